package dev.effort.providers.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** Reads single cells of recorded-outcome files, or says what is wrong with them and where. */
final class Cells {

  private Cells() {}

  /** A Python {@code str(list)} cell; several elements are texts sent together, joined as paragraphs. */
  static String pythonText(Path file, long line, String column, String cell) {
    if (cell.isEmpty()) {
      return "";
    }
    try {
      return String.join("\n\n", PythonLiteral.parseStringList(cell));
    } catch (IllegalArgumentException e) {
      throw new DatasetFormatException(file, line,
          "column '" + column + "' is not a Python list of strings: " + e.getMessage(), e);
    }
  }

  /** A RouterBench label: 1.0 correct, 0.0 wrong, empty unknown (not wrong). */
  static Optional<Boolean> correctness(Path file, long line, String column, String cell) {
    return switch (cell.strip()) {
      case "" -> Optional.empty();
      case "1.0", "1" -> Optional.of(true);
      case "0.0", "0" -> Optional.of(false);
      default -> throw new DatasetFormatException(file, line,
          "column '" + column + "' is '" + cell + "', expected 1.0, 0.0 or empty");
    };
  }

  /** A RouteLLM label: True or False. */
  static boolean trueOrFalse(Path file, long line, String column, String cell) {
    return switch (cell.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new DatasetFormatException(file, line,
          "column '" + column + "' is '" + cell + "', expected True or False");
    };
  }

  static OptionalDouble cost(Path file, long line, String column, String cell) {
    if (cell.isBlank()) {
      return OptionalDouble.empty();
    }
    try {
      double usd = Double.parseDouble(cell.strip());
      if (usd >= 0 && Double.isFinite(usd)) {
        return OptionalDouble.of(usd);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DatasetFormatException(file, line,
        "column '" + column + "' is '" + cell + "', expected a non-negative number of USD or empty");
  }
}
