package dev.effort.providers.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV file record by record, each with the physical line where it starts, so that
 * loaders can say where a bad record is even when quoted cells span several lines.
 */
final class CsvLines implements AutoCloseable {

  /** One CSV record and the 1-based line where it starts. */
  record Numbered(long line, List<String> values) {}

  // Empty lines are kept as records so that the parser's line count stays exact; next() skips them.
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();

  private final Path file;
  private final Reader reader;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;

  private CsvLines(Path file) throws IOException {
    this.file = file;
    this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    this.parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
    this.records = parser.iterator();
  }

  static CsvLines open(Path file) {
    try {
      return new CsvLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The next record that is not a blank line, or null at the end of the file. */
  Numbered next() {
    while (true) {
      long line = parser.getCurrentLineNumber() + 1;
      List<String> values;
      try {
        if (!records.hasNext()) {
          return null;
        }
        values = records.next().toList();
      } catch (UncheckedIOException | IllegalStateException e) {
        throw new DatasetFormatException(file, line, "not valid CSV: " + e.getMessage(), e);
      }
      if (line == 1 && !values.isEmpty()) {
        values = withoutByteOrderMark(values);
      }
      if (values.size() != 1 || !values.get(0).isEmpty()) {
        return new Numbered(line, values);
      }
    }
  }

  private static List<String> withoutByteOrderMark(List<String> values) {
    if (!values.get(0).startsWith("\uFEFF")) {
      return values;
    }
    List<String> copy = new ArrayList<>(values);
    copy.set(0, values.get(0).substring(1));
    return copy;
  }

  @Override
  public void close() {
    try {
      parser.close();
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
