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
 * Loads the RouteLLM recordings of a strong/weak model pair: MMLU (correctness only), GSM8K
 * (correctness and full answers, with the gold number from the GSM8K test set) and MT-Bench (a
 * GPT-4 judge's scores of both turns).
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

  /**
   * MT-Bench: the questions ({@code question_id}, {@code turns}) and the judge's scores of each
   * model's answers ({@code question_id}, {@code model}, {@code turn}, {@code score}). A prompt is
   * a question's first turn, as RouteLLM routes on it; a model's score is the mean over the turns
   * judged, as RouteLLM scores the routed model on both turns. Prompt ids are
   * {@code mt-bench.<question_id>}; models are in the order they first appear in the judgements.
   *
   * @throws DatasetFormatException naming the file and line of a malformed entry, or a question
   *     that some model has no score for
   */
  public static JudgedDataset loadMtBench(Path questionsJsonl, Path judgementsJsonl) {
    ObjectMapper json = new ObjectMapper();
    Map<Long, String> firstTurn = new LinkedHashMap<>();
    Map<Long, Long> questionLine = new HashMap<>();
    readJsonLines(json, questionsJsonl, (line, item) -> {
      JsonNode id = item.get("question_id");
      JsonNode turns = item.get("turns");
      if (id == null || !id.canConvertToLong() || turns == null || !turns.isArray() || turns.isEmpty()
          || !turns.get(0).isTextual()) {
        throw new DatasetFormatException(questionsJsonl, line,
            "expected 'question_id' (a number) and 'turns' (a list of strings)");
      }
      firstTurn.put(id.asLong(), turns.get(0).asText());
      questionLine.put(id.asLong(), line);
    });
    List<String> models = new ArrayList<>();
    Map<Long, Map<String, double[]>> sums = new HashMap<>(); // question -> model -> {sum, count}
    readJsonLines(json, judgementsJsonl, (line, item) -> {
      JsonNode id = item.get("question_id");
      JsonNode model = item.get("model");
      JsonNode score = item.get("score");
      if (id == null || !id.canConvertToLong() || model == null || !model.isTextual() || score == null
          || !score.isNumber()) {
        throw new DatasetFormatException(judgementsJsonl, line,
            "expected 'question_id' (a number), 'model' (a string) and 'score' (a number)");
      }
      if (!firstTurn.containsKey(id.asLong())) {
        throw new DatasetFormatException(judgementsJsonl, line,
            "question_id " + id.asLong() + " is not among the questions of " + questionsJsonl.getFileName());
      }
      if (!models.contains(model.asText())) {
        models.add(model.asText());
      }
      double[] s = sums.computeIfAbsent(id.asLong(), q -> new HashMap<>())
          .computeIfAbsent(model.asText(), m -> new double[2]);
      s[0] += score.asDouble();
      s[1]++;
    });
    List<JudgedPrompt> prompts = new ArrayList<>();
    for (var question : firstTurn.entrySet()) {
      Map<String, double[]> byModel = sums.getOrDefault(question.getKey(), Map.of());
      Map<String, Double> score = new LinkedHashMap<>();
      for (String model : models) {
        double[] s = byModel.get(model);
        if (s == null) {
          throw new DatasetFormatException(questionsJsonl, questionLine.get(question.getKey()),
              "question " + question.getKey() + " has no judgement of model '" + model + "' in "
                  + judgementsJsonl.getFileName());
        }
        score.put(model, s[0] / s[1]);
      }
      prompts.add(new JudgedPrompt("mt-bench." + question.getKey(), question.getValue(), score));
    }
    return new JudgedDataset("mt-bench", models, prompts);
  }

  private interface JsonLine {
    void accept(long line, JsonNode item);
  }

  private static void readJsonLines(ObjectMapper json, Path file, JsonLine consumer) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        line++;
        if (!text.isBlank()) {
          consumer.accept(line, parseJson(json, file, line, text));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
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
