package dev.effort.providers.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * Loads RouterBench CSV files: one row per prompt, one correctness, response and cost column
 * per model. Models are found from the header (a column {@code X} is a model iff
 * {@code X|model_response} exists), so any file in this format loads, whatever its models.
 */
public final class RouterBenchCsv {

  private static final String RESPONSE_SUFFIX = "|model_response";
  private static final String COST_SUFFIX = "|total_cost";

  private RouterBenchCsv() {}

  /** Every {@code *.csv} file of the folder, in file-name order. */
  public static List<RecordedDataset> loadFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a folder: " + dir);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing
          .filter(p -> p.getFileName().toString().endsWith(".csv") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CSV files (*.csv) in " + dir);
    }
    return files.stream().map(RouterBenchCsv::load).toList();
  }

  public static RecordedDataset load(Path csv) {
    String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
    try (CsvLines lines = CsvLines.open(csv)) {
      CsvLines.Numbered header = lines.next();
      if (header == null) {
        throw new DatasetFormatException(csv, 1, "the file is empty, expected a header row");
      }
      Columns columns = Columns.of(csv, header.values());
      List<Row> rows = new ArrayList<>();
      String task = null;
      for (CsvLines.Numbered r = lines.next(); r != null; r = lines.next()) {
        Row row = columns.row(csv, r);
        if (task == null) {
          task = row.evalName();
        } else if (!task.equals(row.evalName())) {
          throw new DatasetFormatException(csv, r.line(),
              "eval_name is '" + row.evalName() + "', expected '" + task + "' as in the rows above");
        }
        rows.add(row);
      }
      if (rows.isEmpty()) {
        throw new DatasetFormatException(csv, header.line() + 1, "no rows after the header");
      }
      return new RecordedDataset(name, task, columns.models(), prompts(name, rows));
    }
  }

  // A few sample ids occur twice in the ARC file (the same question recorded twice); the
  // original RouterBench index then tells them apart so that ids stay unique.
  private static List<RecordedPrompt> prompts(String dataset, List<Row> rows) {
    Map<String, Integer> idCounts = new HashMap<>();
    rows.forEach(r -> idCounts.merge(r.sampleId(), 1, Integer::sum));
    List<RecordedPrompt> prompts = new ArrayList<>(rows.size());
    for (Row r : rows) {
      String id = idCounts.get(r.sampleId()) == 1 ? r.sampleId() : r.sampleId() + "#" + r.index();
      prompts.add(new RecordedPrompt(id, dataset, r.prompt(), Optional.empty(), r.outcomes()));
    }
    return prompts;
  }

  private record Row(
      String index, String sampleId, String evalName, String prompt,
      Map<String, RecordedOutcome> outcomes) {}

  /** Where each field is in a row, found from the header. */
  private record Columns(
      int width, int index, int sampleId, int prompt, int evalName, List<ModelColumns> perModel) {

    private record ModelColumns(String model, int correct, int response, int cost) {}

    static Columns of(Path csv, List<String> header) {
      Map<String, Integer> byName = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        if (byName.putIfAbsent(header.get(i), i) != null) {
          throw new DatasetFormatException(csv, 1,
              "column '" + header.get(i) + "' appears twice in the header");
        }
      }
      List<ModelColumns> perModel = new ArrayList<>();
      for (Map.Entry<String, Integer> column : byName.entrySet()) {
        String model = column.getKey();
        Integer response = byName.get(model + RESPONSE_SUFFIX);
        if (response != null) {
          perModel.add(new ModelColumns(
              model, column.getValue(), response, byName.getOrDefault(model + COST_SUFFIX, -1)));
        }
      }
      for (String column : byName.keySet()) {
        String model = column.substring(0, Math.max(0, column.length() - RESPONSE_SUFFIX.length()));
        if (column.endsWith(RESPONSE_SUFFIX) && !byName.containsKey(model)) {
          throw new DatasetFormatException(csv, 1, "column '" + column
              + "' has no correctness column '" + model + "' (1.0, 0.0 or empty per row)");
        }
      }
      if (perModel.isEmpty()) {
        throw new DatasetFormatException(csv, 1,
            "no model columns: expected columns '<model>' and '<model>" + RESPONSE_SUFFIX + "'");
      }
      // The first column is RouterBench's own row index when it has no name.
      int index = byName.getOrDefault("", -1) == 0 ? 0 : -1;
      return new Columns(header.size(), index,
          required(csv, byName, "sample_id"), required(csv, byName, "prompt"),
          required(csv, byName, "eval_name"), List.copyOf(perModel));
    }

    private static int required(Path csv, Map<String, Integer> byName, String column) {
      Integer i = byName.get(column);
      if (i == null) {
        throw new DatasetFormatException(csv, 1, "no column '" + column + "' in the header");
      }
      return i;
    }

    List<String> models() {
      return perModel.stream().map(ModelColumns::model).toList();
    }

    Row row(Path csv, CsvLines.Numbered r) {
      List<String> v = r.values();
      long line = r.line();
      if (v.size() != width) {
        throw new DatasetFormatException(csv, line,
            "the row has " + v.size() + " columns, expected " + width + " as in the header");
      }
      Map<String, RecordedOutcome> outcomes = new LinkedHashMap<>();
      for (ModelColumns m : perModel) {
        OptionalDouble cost = m.cost() < 0 ? OptionalDouble.empty()
            : Cells.cost(csv, line, m.model() + COST_SUFFIX, v.get(m.cost()));
        outcomes.put(m.model(), new RecordedOutcome(
            m.model(),
            Cells.pythonText(csv, line, m.model() + RESPONSE_SUFFIX, v.get(m.response())),
            Cells.correctness(csv, line, m.model(), v.get(m.correct())),
            cost));
      }
      String rowIndex = index >= 0 ? v.get(index) : "line" + line;
      return new Row(rowIndex, v.get(sampleId), v.get(evalName),
          Cells.pythonText(csv, line, "prompt", v.get(prompt)), outcomes);
    }
  }
}
