package dev.effort.providers.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.effort.core.FinalAnswer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * Loads the RouteLLM recordings of a strong/weak model pair: MMLU (correctness only) and GSM8K
 * (correctness and full answers, with the gold number from the GSM8K test set).
 */
public final class RouteLlmData {

  private static final String MMLU_PREFIX = "mmlu_";
  private static final String RESPONSE_SUFFIX = "_response";
  private static final String GOLD_MARK = "####";

  private RouteLlmData() {}

  /**
   * All {@code mmlu_<subject>.csv} files of the folder as one dataset (columns: prompt, then
   * True/False per model). Prompt ids are {@code <subject>.<row>}, rows counted from 0 in each
   * file; there are no responses, so each response is "".
   */
  public static RecordedDataset loadMmlu(Path mmluDir) {
    List<Path> files = mmluFiles(mmluDir);
    List<String> models = null;
    List<RecordedPrompt> prompts = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String subject = name.substring(MMLU_PREFIX.length(), name.length() - ".csv".length());
      try (CsvLines lines = CsvLines.open(file)) {
        List<String> header = header(file, lines);
        requireColumn(file, header, 0, "prompt");
        List<String> fileModels = header.subList(1, header.size());
        if (fileModels.isEmpty()) {
          throw new DatasetFormatException(file, 1, "no model columns after 'prompt'");
        }
        if (models == null) {
          models = List.copyOf(fileModels);
        } else if (!models.equals(fileModels)) {
          throw new DatasetFormatException(file, 1, "the model columns are " + fileModels
              + ", expected " + models + " as in " + files.get(0).getFileName());
        }
        int row = 0;
        for (CsvLines.Numbered r = lines.next(); r != null; r = lines.next()) {
          checkWidth(file, r, header.size());
          Map<String, RecordedOutcome> outcomes = new LinkedHashMap<>();
          for (int m = 0; m < models.size(); m++) {
            String model = models.get(m);
            boolean correct = Cells.trueOrFalse(file, r.line(), model, r.values().get(m + 1));
            outcomes.put(model,
                new RecordedOutcome(model, "", Optional.of(correct), OptionalDouble.empty()));
          }
          prompts.add(new RecordedPrompt(
              subject + "." + row++, "mmlu", r.values().get(0), Optional.empty(), outcomes));
        }
      }
    }
    return new RecordedDataset("mmlu", "mmlu", models, prompts);
  }

  /**
   * GSM8K answers (columns: prompt, True/False per model, {@code <model>_response}) with the gold
   * number of each question taken from the GSM8K test set, matched by question text. Prompt ids
   * are {@code gsm8k.<row>}, counted from 0.
   */
  public static RecordedDataset loadGsm8k(Path responsesCsv, Path testJsonl) {
    Map<String, String> goldByQuestion = goldNumbers(testJsonl);
    try (CsvLines lines = CsvLines.open(responsesCsv)) {
      List<String> header = header(responsesCsv, lines);
      requireColumn(responsesCsv, header, 0, "prompt");
      // A column X is a model iff X_response exists; X holds its True/False label.
      Map<String, Integer> labelColumn = new LinkedHashMap<>();
      Map<String, Integer> responseColumn = new HashMap<>();
      for (int i = 1; i < header.size(); i++) {
        int response = header.indexOf(header.get(i) + RESPONSE_SUFFIX);
        if (response > 0) {
          labelColumn.put(header.get(i), i);
          responseColumn.put(header.get(i), response);
        }
      }
      if (labelColumn.isEmpty()) {
        throw new DatasetFormatException(responsesCsv, 1,
            "no model columns: expected columns '<model>' and '<model>" + RESPONSE_SUFFIX + "'");
      }
      List<String> models = List.copyOf(labelColumn.keySet());
      List<RecordedPrompt> prompts = new ArrayList<>();
      for (CsvLines.Numbered r = lines.next(); r != null; r = lines.next()) {
        checkWidth(responsesCsv, r, header.size());
        List<String> v = r.values();
        Map<String, RecordedOutcome> outcomes = new LinkedHashMap<>();
        for (String model : models) {
          boolean correct = Cells.trueOrFalse(responsesCsv, r.line(), model, v.get(labelColumn.get(model)));
          outcomes.put(model, new RecordedOutcome(
              model, v.get(responseColumn.get(model)), Optional.of(correct), OptionalDouble.empty()));
        }
        String question = v.get(0);
        Optional<String> gold = Optional.ofNullable(goldByQuestion.get(question))
            .or(() -> Optional.ofNullable(goldByQuestion.get(question.strip())));
        prompts.add(new RecordedPrompt("gsm8k." + prompts.size(), "gsm8k", question, gold, outcomes));
      }
      return new RecordedDataset("gsm8k", "gsm8k", models, prompts);
    }
  }

  private static Map<String, String> goldNumbers(Path testJsonl) {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> gold = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(testJsonl, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode item = parseJson(json, testJsonl, line, text);
        String question = item.path("question").asText(null);
        String answer = item.path("answer").asText(null);
        if (question == null || answer == null) {
          throw new DatasetFormatException(testJsonl, line,
              "expected string fields 'question' and 'answer'");
        }
        int mark = answer.lastIndexOf(GOLD_MARK);
        Optional<String> number = mark < 0 ? Optional.empty()
            : FinalAnswer.finalNumber(answer.substring(mark));
        if (number.isEmpty()) {
          throw new DatasetFormatException(testJsonl, line,
              "the answer has no '#### <number>' giving the gold number");
        }
        gold.put(question, number.get());
        gold.putIfAbsent(question.strip(), number.get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + testJsonl, e);
    }
    return gold;
  }

  private static JsonNode parseJson(ObjectMapper json, Path file, long line, String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(file, line, "not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  private static List<Path> mmluFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a folder: " + dir);
    }
    try (Stream<Path> listing = Files.list(dir)) {
      List<Path> files = listing
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.startsWith(MMLU_PREFIX) && name.endsWith(".csv") && Files.isRegularFile(p);
          })
          .sorted()
          .toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no " + MMLU_PREFIX + "<subject>.csv files in " + dir);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static List<String> header(Path file, CsvLines lines) {
    CsvLines.Numbered header = lines.next();
    if (header == null) {
      throw new DatasetFormatException(file, 1, "the file is empty, expected a header row");
    }
    return header.values();
  }

  private static void requireColumn(Path file, List<String> header, int position, String name) {
    if (header.size() <= position || !header.get(position).equals(name)) {
      String found = header.size() <= position ? "missing" : "'" + header.get(position) + "'";
      throw new DatasetFormatException(file, 1,
          "column " + (position + 1) + " is " + found + ", expected '" + name + "'");
    }
  }

  private static void checkWidth(Path file, CsvLines.Numbered r, int width) {
    if (r.values().size() != width) {
      throw new DatasetFormatException(file, r.line(),
          "the row has " + r.values().size() + " columns, expected " + width + " as in the header");
    }
  }
}
