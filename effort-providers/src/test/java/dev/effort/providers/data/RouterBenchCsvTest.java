package dev.effort.providers.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.effort.providers.RecordedDataFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterBenchCsvTest {

  private static final List<String> MODELS = List.of(
      "WizardLM/WizardLM-13B-V1.2", "claude-instant-v1", "claude-v1", "claude-v2",
      "gpt-3.5-turbo-1106", "gpt-4-1106-preview", "meta/code-llama-instruct-34b-chat",
      "meta/llama-2-70b-chat", "mistralai/mistral-7b-chat", "mistralai/mixtral-8x7b-chat",
      "zero-one-ai/Yi-34B-Chat");

  @Nested
  class RecordedTrainFiles {

    static List<RecordedDataset> all;
    static long loadMillis;

    @BeforeAll
    static void load() {
      long start = System.nanoTime();
      all = RouterBenchCsv.loadFolder(RecordedDataFolder.routerBench());
      loadMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.println("RouterBench: loaded 3 train files in " + loadMillis + " ms (cold JVM)");
    }

    private static RecordedDataset arc() {
      return all.get(0);
    }

    @Test
    void loadsEveryFileInNameOrderWithItsTaskAndPromptCount() {
      assertThat(all).extracting(RecordedDataset::name)
          .containsExactly("arc_challenge_train", "mbpp_train", "winograde_train");
      assertThat(all).extracting(RecordedDataset::task)
          .containsExactly("arc-challenge", "mbpp", "winogrande");
      assertThat(all).extracting(d -> d.prompts().size()).containsExactly(1039, 299, 887);
    }

    @Test
    void findsTheElevenModelsInColumnOrder() {
      for (RecordedDataset d : all) {
        assertThat(d.models()).as(d.name()).isEqualTo(MODELS);
        assertThat(d.prompts()).allSatisfy(p -> assertThat(p.outcomes().keySet()).containsExactlyElementsOf(MODELS));
      }
    }

    @Test
    void emptyCorrectnessCellIsUnknownNotWrong() {
      for (String model : MODELS) {
        long unknown = arc().prompts().stream()
            .filter(p -> p.outcome(model).orElseThrow().correct().isEmpty())
            .count();
        assertThat(unknown).as(model).isEqualTo(model.equals("gpt-3.5-turbo-1106") ? 12 : 8);
      }
      RecordedOutcome blank = arc().prompts().stream()
          .filter(p -> p.id().startsWith("arc-challenge.val.208#"))
          .map(p -> p.outcome("gpt-4-1106-preview").orElseThrow())
          .filter(o -> o.correct().isEmpty())
          .findFirst().orElseThrow();
      assertThat(blank.correct()).isEqualTo(Optional.empty());
    }

    @Test
    void countsCorrectAndWrongLabelsAsRecorded() {
      long correct = count(arc(), "gpt-4-1106-preview", true);
      long wrong = count(arc(), "gpt-4-1106-preview", false);
      // README: ARC gpt-4 accuracy .946 = 983 / 1039, i.e. counted over all rows.
      assertThat(correct).isEqualTo(983);
      assertThat(wrong).isEqualTo(48);
    }

    @Test
    void parsesCostsInUsdMatchingTheReadme() {
      RecordedPrompt first = arc().prompts().get(0);
      assertThat(first.outcome("gpt-3.5-turbo-1106").orElseThrow().costUsd().getAsDouble())
          .isEqualTo(0.000532);
      assertThat(all).allSatisfy(d -> assertThat(d.prompts()).allSatisfy(p ->
          assertThat(p.outcomes().values()).allSatisfy(o -> assertThat(o.costUsd()).isPresent())));
      double gpt4PerThousand = arc().prompts().stream()
          .mapToDouble(p -> p.outcome("gpt-4-1106-preview").orElseThrow().costUsd().getAsDouble())
          .average().orElseThrow() * 1000;
      assertThat(gpt4PerThousand).isCloseTo(5.08, within(0.005));
    }

    @Test
    void promptIsTheDecodedTextSentToTheModels() {
      RecordedPrompt first = arc().prompts().get(0);
      assertThat(first.id()).isEqualTo("arc-challenge.test.1108");
      assertThat(first.dataset()).isEqualTo("arc_challenge_train");
      assertThat(first.prompt())
          .startsWith("George wants to warm his hands quickly by rubbing them. Which skin surface"
              + " will produce the most heat?\nA) dry palms\n")
          .endsWith("Answer:")
          .doesNotContain("\\n");
      assertThat(first.gold()).isEmpty();
    }

    @Test
    void responsesAreDecodedText() {
      RecordedPrompt first = arc().prompts().get(0);
      assertThat(first.outcome("meta/llama-2-70b-chat").orElseThrow().response()).matches("[A-D]\n");
      assertThat(first.outcome("gpt-4-1106-preview").orElseThrow().response()).matches("[A-D]");
      RecordedDataset mbpp = all.get(1);
      assertThat(mbpp.prompts().get(0).outcome("gpt-4-1106-preview").orElseThrow().response())
          .contains("def ").contains("\n");
    }

    @Test
    void idsStayUniqueWhereTheDataRepeatsASampleId() {
      Set<String> ids = new HashSet<>();
      for (RecordedDataset d : all) {
        d.prompts().forEach(p -> assertThat(ids.add(d.name() + "/" + p.id())).as(p.id()).isTrue());
      }
      assertThat(arc().prompts()).filteredOn(p -> p.id().contains("#")).hasSize(14);
    }

    @Test
    void aPromptRecordedAsTwoTextsJoinsThemAsParagraphs() {
      RecordedPrompt doubled = arc().prompts().stream()
          .filter(p -> p.id().equals("arc-challenge.val.208#1684"))
          .findFirst().orElseThrow();
      String half = doubled.prompt().substring(0, (doubled.prompt().length() - 2) / 2);
      assertThat(doubled.prompt()).isEqualTo(half + "\n\n" + half);
    }

    private static long count(RecordedDataset d, String model, boolean label) {
      return d.prompts().stream()
          .filter(p -> p.outcome(model).orElseThrow().correct().equals(Optional.of(label)))
          .count();
    }
  }

  @Nested
  class OtherFiles {

    @TempDir Path dir;

    private static final String HEADER =
        ",sample_id,prompt,eval_name,m1,m2,m1|model_response,m2|model_response,m1|total_cost,m2|total_cost,oracle_model_to_route_to";

    private Path write(String name, String... lines) throws IOException {
      return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void loadsAFileWithADifferentSetOfModels() throws IOException {
      Path csv = write("quiz_dev.csv",
          ",sample_id,prompt,eval_name,zeta,alpha/b,alpha/b|model_response,zeta|model_response,zeta|total_cost",
          "0,quiz.1,['Pick one'],quiz,1.0,,\"['B']\",['C'],0.5");
      RecordedDataset d = RouterBenchCsv.load(csv);
      assertThat(d.name()).isEqualTo("quiz_dev");
      assertThat(d.task()).isEqualTo("quiz");
      assertThat(d.models()).containsExactly("zeta", "alpha/b");
      RecordedPrompt p = d.prompts().get(0);
      assertThat(p.outcome("zeta").orElseThrow())
          .isEqualTo(new RecordedOutcome("zeta", "C", Optional.of(true), OptionalDouble.of(0.5)));
      assertThat(p.outcome("alpha/b").orElseThrow().correct()).isEmpty();
      assertThat(p.outcome("alpha/b").orElseThrow().costUsd()).isEmpty();
      assertThat(p.outcome("gpt-4-1106-preview")).isEmpty();
    }

    @Test
    void badCorrectnessCellNamesFileLineColumnAndTheExpectedValues() throws IOException {
      Path csv = write("arc_x.csv", HEADER,
          "0,s.1,['q'],arc,1.0,0.0,['A'],['B'],0.1,0.2,m1",
          "1,s.2,['q'],arc,maybe,0.0,['A'],['B'],0.1,0.2,m1");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessage("arc_x.csv line 3: column 'm1' is 'maybe', expected 1.0, 0.0 or empty")
          .satisfies(e -> assertThat(((DatasetFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void lineNumberCountsLineBreaksInsideQuotedCells() throws IOException {
      Path csv = write("multi.csv", HEADER,
          "0,s.1,['q'],arc,1.0,0.0,['A'],['B'],0.1,0.2,\"m1\nor m2\"",
          "1,s.2,['q'],arc,1.0,0.0,['A'],['B'],0.1,0.2");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessageStartingWith("multi.csv line 4: the row has 10 columns, expected 11");
    }

    @Test
    void unparseableLiteralNamesFileLineAndOffset() throws IOException {
      Path csv = write("lit.csv", HEADER,
          "0,s.1,['q'],arc,1.0,0.0,['A'],\"['B\",0.1,0.2,m1");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessageStartingWith("lit.csv line 2: column 'm2|model_response' is not a Python list of strings")
          .hasMessageContaining("offset 3");
    }

    @Test
    void badCostNamesFileLineAndColumn() throws IOException {
      Path csv = write("cost.csv", HEADER,
          "0,s.1,['q'],arc,1.0,0.0,['A'],['B'],0.1,cheap,m1");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessage("cost.csv line 2: column 'm2|total_cost' is 'cheap', expected a non-negative number of USD or empty");
    }

    @Test
    void brokenQuotingIsReportedAtTheRecordWhereItStarts() throws IOException {
      Path csv = write("quote.csv", HEADER,
          "0,s.1,['q'],arc,1.0,0.0,['A'],['B'],0.1,0.2,m1",
          "1,s.2,\"['q'],arc,1.0,0.0,['A'],['B'],0.1,0.2,m1");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessageStartingWith("quote.csv line 3: not valid CSV");
    }

    @Test
    void headerWithoutModelsIsRejectedAtLineOne() throws IOException {
      Path csv = write("none.csv", ",sample_id,prompt,eval_name", "0,s.1,['q'],arc");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessageStartingWith("none.csv line 1: no model columns");
    }

    @Test
    void responseColumnWithoutCorrectnessColumnIsRejected() throws IOException {
      Path csv = write("half.csv", ",sample_id,prompt,eval_name,m1|model_response", "0,s.1,['q'],arc,['A']");
      assertThatThrownBy(() -> RouterBenchCsv.load(csv))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessageStartingWith("half.csv line 1: column 'm1|model_response' has no correctness column 'm1'");
    }

    @Test
    void folderWithoutCsvFilesIsAClearError() throws IOException {
      Files.writeString(dir.resolve("notes.txt"), "not data");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> RouterBenchCsv.loadFolder(dir))
          .withMessage("no CSV files (*.csv) in " + dir);
    }

    @Test
    void folderLoadsOnlyCsvFilesInNameOrder() throws IOException {
      String row = "0,s.1,['q'],arc,1.0,0.0,['A'],['B'],0.1,0.2,m1";
      write("b.csv", HEADER, row);
      write("a.csv", HEADER, row);
      write("readme.md", "# not data");
      assertThat(RouterBenchCsv.loadFolder(dir)).extracting(RecordedDataset::name).containsExactly("a", "b");
    }
  }
}
