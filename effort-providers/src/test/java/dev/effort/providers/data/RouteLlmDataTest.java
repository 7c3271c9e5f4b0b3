package dev.effort.providers.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.providers.RecordedDataFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteLlmDataTest {

  private static final List<String> PAIR =
      List.of("mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-1106-preview");

  private static RecordedDataset gsm8k() {
    Path root = RecordedDataFolder.routeLlm();
    return RouteLlmData.loadGsm8k(root.resolve("gsm8k_responses.csv"), root.resolve("gsm8k_test.jsonl"));
  }

  @Test
  void mmluHasEveryPromptOfTheFiftySevenSubjects() {
    RecordedDataset mmlu = RouteLlmData.loadMmlu(RecordedDataFolder.routeLlm().resolve("mmlu"));
    assertThat(mmlu.name()).isEqualTo("mmlu");
    assertThat(mmlu.task()).isEqualTo("mmlu");
    assertThat(mmlu.models()).isEqualTo(PAIR);
    assertThat(mmlu.prompts()).hasSize(14_042);
    assertThat(mmlu.prompts().stream().map(p -> p.id().substring(0, p.id().lastIndexOf('.'))).distinct())
        .hasSize(57)
        .contains("abstract_algebra", "anatomy");
    assertThat(new HashSet<>(mmlu.prompts().stream().map(RecordedPrompt::id).toList())).hasSize(14_042);
  }

  @Test
  void mmluRecordsCorrectnessButNoResponsesOrCosts() {
    RecordedDataset mmlu = RouteLlmData.loadMmlu(RecordedDataFolder.routeLlm().resolve("mmlu"));
    RecordedPrompt first = mmlu.prompts().get(0);
    assertThat(first.id()).isEqualTo("abstract_algebra.0");
    assertThat(first.prompt()).endsWith("Answer:");
    assertThat(first.outcomes().values()).allSatisfy(o -> {
      assertThat(o.response()).isEmpty();
      assertThat(o.costUsd()).isEmpty();
      assertThat(o.correct()).isPresent();
    });
    long gpt4Correct = mmlu.prompts().stream()
        .filter(p -> p.outcome("gpt-4-1106-preview").orElseThrow().correct().orElseThrow())
        .count();
    assertThat(gpt4Correct).isEqualTo(8818 + 2497);
  }

  @Test
  void gsm8kHasEveryTestQuestionWithItsGoldNumber() {
    RecordedDataset gsm = gsm8k();
    assertThat(gsm.name()).isEqualTo("gsm8k");
    assertThat(gsm.task()).isEqualTo("gsm8k");
    assertThat(gsm.models()).isEqualTo(PAIR);
    assertThat(gsm.prompts()).hasSize(1_319);
    assertThat(gsm.prompts()).allSatisfy(p -> assertThat(p.gold()).isPresent());
    RecordedPrompt first = gsm.prompts().get(0);
    assertThat(first.id()).isEqualTo("gsm8k.0");
    assertThat(first.prompt()).startsWith("Janet’s ducks lay 16 eggs per day.");
    assertThat(first.gold()).contains("18");
    assertThat(first.outcome("gpt-4-1106-preview").orElseThrow().response())
        .endsWith("$18 every day at the farmers' market.");
  }

  @Test
  void gsm8kGoldNumbersWithThousandsSeparatorsAreNormalized() {
    assertThat(gsm8k().prompts()).extracting(p -> p.gold().orElseThrow())
        .allSatisfy(g -> assertThat(g).matches("-?\\d+"))
        .contains("1450000");
  }

  @Test
  void gsm8kLabelsAreTrueOrFalseForBothModels() {
    long mixtralCorrect = gsm8k().prompts().stream()
        .filter(p -> p.outcome(PAIR.get(0)).orElseThrow().correct().equals(Optional.of(true)))
        .count();
    assertThat(mixtralCorrect).isEqualTo(842);
  }

  @Test
  void mmluLabelOtherThanTrueOrFalseNamesFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("mmlu_x.csv"), "prompt,a,b\n\"Q\nA. 1\nAnswer:\",True,yes\n");
    assertThatThrownBy(() -> RouteLlmData.loadMmlu(dir))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("mmlu_x.csv line 2: column 'b' is 'yes', expected True or False");
  }

  @Test
  void mmluFilesWithDifferentModelsAreRejected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("mmlu_a.csv"), "prompt,a,b\nQ,True,False\n");
    Files.writeString(dir.resolve("mmlu_b.csv"), "prompt,a,c\nQ,True,False\n");
    assertThatThrownBy(() -> RouteLlmData.loadMmlu(dir))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith("mmlu_b.csv line 1: the model columns are [a, c], expected [a, b]");
  }

  @Test
  void gsm8kAnswerWithoutGoldMarkNamesTheJsonlLine(@TempDir Path dir) throws IOException {
    Path csv = Files.writeString(dir.resolve("r.csv"), "prompt,m,m_response\nQ,True,#### 1\n");
    Path jsonl = Files.writeString(dir.resolve("t.jsonl"),
        "{\"question\": \"Q\", \"answer\": \"#### 1\"}\n{\"question\": \"R\", \"answer\": \"one\"}\n");
    assertThatThrownBy(() -> RouteLlmData.loadGsm8k(csv, jsonl))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith("t.jsonl line 2: the answer has no '#### <number>'");
  }

  @Test
  void gsm8kQuestionMissingFromTheTestSetHasNoGold(@TempDir Path dir) throws IOException {
    Path csv = Files.writeString(dir.resolve("r.csv"), "prompt,m,m_response\nQ,True,#### 1\nZ,False,#### 2\n");
    Path jsonl = Files.writeString(dir.resolve("t.jsonl"), "{\"question\": \"Q\", \"answer\": \"#### 1,000\"}\n");
    RecordedDataset d = RouteLlmData.loadGsm8k(csv, jsonl);
    assertThat(d.prompts()).extracting(RecordedPrompt::gold).containsExactly(Optional.of("1000"), Optional.empty());
  }

  @Test
  void mtBenchHasEightyQuestionsScoredForBothModelsOnBothTurns() {
    Path root = RecordedDataFolder.routeLlm();
    JudgedDataset mt = RouteLlmData.loadMtBench(root.resolve("mt_bench_question.jsonl"),
        root.resolve("mt_bench_judgements.jsonl"));
    assertThat(mt.name()).isEqualTo("mt-bench");
    assertThat(mt.models()).containsExactlyInAnyOrderElementsOf(PAIR);
    assertThat(mt.prompts()).hasSize(80);
    JudgedPrompt first = mt.prompts().get(0);
    assertThat(first.id()).isEqualTo("mt-bench.81");
    assertThat(first.prompt()).startsWith("Compose an engaging travel blog post about a recent trip to Hawaii");
    // Means over 160 judgements each (80 questions, two turns): 9.228 and 8.341.
    assertThat(mt.prompts().stream().mapToDouble(p -> p.score("gpt-4-1106-preview")).average().orElseThrow())
        .isCloseTo(9.228125, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(mt.prompts().stream().mapToDouble(p -> p.score(PAIR.get(0))).average().orElseThrow())
        .isCloseTo(8.340625, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void mtBenchQuestionWithoutAModelsJudgementNamesTheQuestionLine(@TempDir Path dir) throws IOException {
    Path questions = Files.writeString(dir.resolve("q.jsonl"),
        "{\"question_id\": 1, \"turns\": [\"A\", \"B\"]}\n{\"question_id\": 2, \"turns\": [\"C\"]}\n");
    Path judgements = Files.writeString(dir.resolve("j.jsonl"),
        "{\"question_id\": 1, \"model\": \"m\", \"turn\": 1, \"score\": 7}\n"
            + "{\"question_id\": 1, \"model\": \"m\", \"turn\": 2, \"score\": 8}\n");
    assertThatThrownBy(() -> RouteLlmData.loadMtBench(questions, judgements))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith("q.jsonl line 2: question 2 has no judgement of model 'm'");
  }
}
