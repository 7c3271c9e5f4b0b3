package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts of the recorded RouterBench data, read in place (system property {@code effort.data},
 * set by the build). A small reader of its own: effort-router does not depend on the loaders in
 * effort-providers. Tests fail, not skip, when the data is missing.
 */
final class RecordedPrompts {
  private RecordedPrompts() {}

  /** The {@code prompt} column of {@code routerbench/<file>}, first {@code limit} rows. */
  static List<String> routerBench(String file, int limit) throws IOException {
    String property = System.getProperty("effort.data");
    assertThat(property).as("system property effort.data (the recorded data folder)").isNotBlank();
    Path csv = Path.of(property, "routerbench", file);
    assertThat(csv).as("recorded data file").isRegularFile();
    List<List<String>> rows = csvRows(Files.readString(csv, StandardCharsets.UTF_8), limit + 1);
    int column = rows.get(0).indexOf("prompt");
    return rows.subList(1, rows.size()).stream().map(r -> pythonString(r.get(column))).toList();
  }

  /** RFC 4180: cells in double quotes may hold commas, line breaks and doubled quotes. */
  private static List<List<String>> csvRows(String text, int limit) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length() && rows.size() < limit; i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    return rows;
  }

  /** The one string of a Python {@code ['...']} literal, with the escapes Python's repr writes. */
  private static String pythonString(String literal) {
    String s = literal.strip();
    assertThat(s).as("a one-string Python list").startsWith("[").endsWith("]");
    s = s.substring(1, s.length() - 1).strip();
    char quote = s.charAt(0);
    assertThat(s.charAt(s.length() - 1)).isEqualTo(quote);
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'x' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }
}
