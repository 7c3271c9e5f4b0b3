package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run effort(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * A folder the bench has never seen: a slice of the ARC file with only three of its models, one
   * of them renamed so that the catalog does not know it.
   */
  private Path unseenFolder() throws IOException {
    var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setAllowMissingColumnNames(true).get()
        .parse(Files.newBufferedReader(TestData.routerBenchFile("arc_challenge_train.csv")));
    List<String> keep = List.of("mistralai/mixtral-8x7b-chat", "gpt-4-1106-preview", "claude-v2");
    List<String> header = new ArrayList<>(List.of("", "sample_id", "prompt", "eval_name"));
    for (String m : keep) {
      header.add(rename(m));
    }
    for (String m : keep) {
      header.add(rename(m) + "|model_response");
    }
    for (String m : keep) {
      header.add(rename(m) + "|total_cost");
    }
    header.add("oracle_model_to_route_to");
    Path dir = Files.createDirectories(tmp.resolve("unseen"));
    try (var printer = org.apache.commons.csv.CSVFormat.DEFAULT.print(dir.resolve("arc_challenge_test.csv"),
        java.nio.charset.StandardCharsets.UTF_8)) {
      printer.printRecord(header);
      int n = 0;
      for (var r : parser) {
        if (n++ == 120) {
          break;
        }
        List<String> row = new ArrayList<>(List.of(r.get(0), r.get("sample_id"), r.get("prompt"), r.get("eval_name")));
        keep.forEach(m -> row.add(r.get(m)));
        keep.forEach(m -> row.add(r.get(m + "|model_response")));
        keep.forEach(m -> row.add(r.get(m + "|total_cost")));
        row.add(r.get("oracle_model_to_route_to"));
        printer.printRecord(row);
      }
    }
    return dir;
  }

  private static String rename(String model) {
    return model.equals("claude-v2") ? "acme/unknown-model-v1" : model;
  }

  @Test
  void benchRunsOnAFolderItHasNeverSeenAndWritesJsonAndReport() throws Exception {
    Path json = tmp.resolve("out/bench.json");
    Path report = tmp.resolve("report");
    Run run = effort("bench", "--data", unseenFolder().toString(), "--json", json.toString(), "--report", report.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("arc_challenge_test").contains("oracle").contains("acme/unknown-model-v1");
    assertThat(run.err()).contains("no catalog entry for acme/unknown-model-v1");
    JsonNode root = Json.MAPPER.readTree(json.toFile());
    JsonNode data = root.get("datasets").get(0);
    assertThat(data.get("name").asText()).isEqualTo("arc_challenge_test");
    assertThat(data.get("prompts").asInt()).isEqualTo(120);
    List<String> kinds = new ArrayList<>();
    data.get("rows").forEach(r -> kinds.add(r.get("kind").asText() + ":" + r.get("name").asText()));
    assertThat(kinds).contains("model:acme/unknown-model-v1", "oracle:oracle", "auto:auto", "level:low", "level:max");
    JsonNode low = null;
    JsonNode high = null;
    for (JsonNode r : data.get("rows")) {
      if (r.get("name").asText().equals("low")) {
        low = r;
      }
      if (r.get("name").asText().equals("high")) {
        high = r;
      }
    }
    assertThat(low.get("accuracy").isNumber()).as("low uses only mixtral, which the slice has").isTrue();
    assertThat(high.get("accuracy").isNull()).as("high needs Yi-34B, which the slice lacks").isTrue();
    assertThat(high.get("note").asText()).contains("zero-one-ai/Yi-34B-Chat");
    assertThat(report.resolve("index.html")).exists();
    assertThat(report.resolve("arc_challenge_test.png")).exists();
  }

  @Test
  void aReportNamedLikeAnHtmlFileIsThatFileWithItsPlotsBesideItAndBenchSaysWhatItWrote() throws Exception {
    Path report = tmp.resolve("out/report.html");
    Run run = effort("bench", "--data", unseenFolder().toString(), "--no-auto", "--report", report.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(report).isRegularFile();
    assertThat(tmp.resolve("out/report-arc_challenge_test.png")).isRegularFile();
    assertThat(tmp.resolve("out/report.json")).isRegularFile();
    assertThat(Files.readString(report)).contains("src=\"report-arc_challenge_test.png\"");
    assertThat(run.out()).contains("wrote " + tmp.resolve("out/report.json") + ", " + report)
        .contains("1 plot: report-arc_challenge_test.png");
  }

  @Test
  void benchReportsExactlyTheWorkItAnnouncedSoItsProgressBarEndsAtItsEnd() throws Exception {
    Path folder = unseenFolder();
    var datasets = dev.effort.providers.data.RouterBenchCsv.loadFolder(folder);
    var bench = new dev.effort.cli.bench.Bench(dev.effort.core.Ladder.routerBench(), dev.effort.core.Catalog.builtIn());
    for (var auto : List.of(new dev.effort.cli.bench.Bench.Auto.Off(),
        new dev.effort.cli.bench.Bench.Auto.CrossFitted(dev.effort.router.Learners.byName("knn")))) {
      java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
      bench.run(folder.toString(), datasets, auto, done::addAndGet);
      assertThat(done.get()).as(auto.toString()).isEqualTo(dev.effort.cli.bench.Bench.workOf(datasets, auto));
    }
  }

  /** The first {@code rows} prompts of a recorded file, every column kept. */
  private Path slice(String file, int rows) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("slice"));
    List<String> lines = new ArrayList<>();
    var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setAllowMissingColumnNames(true).get()
        .parse(Files.newBufferedReader(TestData.routerBenchFile(file)));
    try (var printer = org.apache.commons.csv.CSVFormat.DEFAULT.print(dir.resolve(file), java.nio.charset.StandardCharsets.UTF_8)) {
      printer.printRecord(parser.getHeaderNames());
      int n = 0;
      for (var r : parser) {
        if (n++ == rows) {
          break;
        }
        printer.printRecord(r.values());
      }
    }
    return dir;
  }

  @Test
  void tuneWritesARouterThatBenchRoutesAutoWithOnAnotherFolder() throws Exception {
    Path router = tmp.resolve("routers/r.bin");
    Path training = slice("arc_challenge_train.csv", 150);
    Run tune = effort("tune", "--data", training.toString(), "--out", router.toString());
    assertThat(tune.exit()).as(tune.err()).isZero();
    assertThat(tune.out()).contains("wrote " + router).contains("knn router trained on 150 prompts");
    assertThat(router).isRegularFile();

    Path json = tmp.resolve("bench.json");
    Run bench = effort("bench", "--data", unseenFolder().toString(), "--router", router.toString(),
        "--json", json.toString(), "--report", tmp.resolve("report").toString());

    assertThat(bench.exit()).as(bench.err()).isZero();
    JsonNode rows = Json.MAPPER.readTree(json.toFile()).get("datasets").get(0).get("rows");
    List<Double> targets = new ArrayList<>();
    int escalateRows = 0;
    for (JsonNode r : rows) {
      if (r.get("kind").asText().equals("auto")) {
        assertThat(r.get("accuracy").isNumber()).as(r.toString()).isTrue();
        targets.add(r.get("target").asDouble());
      }
      escalateRows += r.get("kind").asText().equals("escalate") && r.get("accuracy").isNumber() ? 1 : 0;
    }
    assertThat(targets).containsExactlyElementsOf(dev.effort.cli.bench.Bench.AUTO_TARGETS);
    // One per target, but for plans dominated by max (not candidates).
    assertThat(escalateRows).as("the router file's learned escalate plans, each run alone").isBetween(1, targets.size());
    assertThat(Json.MAPPER.readTree(json.toFile()).get("method").asText()).contains("router file " + router);

    var first = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setAllowMissingColumnNames(true).get()
        .parse(Files.newBufferedReader(training.resolve("arc_challenge_train.csv"))).iterator().next();
    String prompt = dev.effort.providers.data.PythonLiteral.parseStringList(first.get("prompt")).get(0);
    Run ask = effort("ask", prompt, "--effort", "auto", "--router", router.toString(), "--data", training.toString());
    assertThat(ask.exit()).as(ask.err()).isZero();
    assertThat(ask.err()).contains("effort auto -> auto").contains("auto: cheapest plan expected to reach");
  }

  @Test
  void tuneWithModelsWritesARouterWhoseCandidatesCallOnlyThose() throws Exception {
    Path data = slice("winograde_train.csv", 60);
    Path router = tmp.resolve("two.bin");
    String mixtral = "mistralai/mixtral-8x7b-chat";
    String gpt4 = "gpt-4-1106-preview";

    Run run = effort("tune", "--data", data.toString(), "--models", mixtral + "," + gpt4, "--out", router.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("2 candidate plans");
    assertThat(dev.effort.router.RouterFile.load(router).candidates())
        .extracting(dev.effort.core.Plan::models).containsExactlyInAnyOrder(List.of(mixtral), List.of(gpt4));

    Run unknown = effort("tune", "--data", data.toString(), "--models", "acme/nope," + gpt4, "--out", router.toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("--models: acme/nope not recorded in every data set").contains(mixtral);
  }

  @Test
  void tuneWithoutAnOutputSaysWhatItNeeds() {
    Run run = effort("tune", "--data", TestData.routerBench().toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--out FILE").contains("--compare");
  }

  @Test
  void benchWithAMissingRouterFileSaysHowToMakeOne() {
    Run run = effort("bench", "--router", tmp.resolve("none.bin").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("none.bin").contains("effort tune");
  }

  @Test
  void benchWithAFileThatIsNotARouterSaysSoWithoutAStackTrace() throws IOException {
    Path notARouter = Files.writeString(tmp.resolve("notes.txt"), "hello");
    Run run = effort("bench", "--router", notARouter.toString(), "--data", TestData.routerBench().toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("notes.txt is not a router file").doesNotContain("\tat ");
  }

  @Test
  void benchOnASampleSaysSoAndASeedDrawsTheSameShareOfOtherPrompts() throws Exception {
    Run first = effort("bench", "--data", TestData.routerBench().toString(), "--no-auto", "--sample", "0.1",
        "--json", tmp.resolve("s1.json").toString(), "--report", tmp.resolve("s1").toString());
    Run again = effort("bench", "--data", TestData.routerBench().toString(), "--no-auto", "--sample", "0.1",
        "--json", tmp.resolve("again.json").toString(), "--report", tmp.resolve("again").toString());
    Run other = effort("bench", "--data", TestData.routerBench().toString(), "--no-auto", "--sample", "0.1",
        "--sample-seed", "2", "--json", tmp.resolve("s2.json").toString(), "--report", tmp.resolve("s2").toString());

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("sample: 10% of each data set's prompts, drawn with --sample-seed 1")
        .contains("arc_challenge_train — 104 prompts").contains("mbpp_train — 30 prompts")
        .contains("winograde_train — 89 prompts");
    assertThat(other.out()).contains("drawn with --sample-seed 2").contains("arc_challenge_train — 104 prompts");
    JsonNode s1 = Json.MAPPER.readTree(tmp.resolve("s1.json").toFile());
    assertThat(Json.MAPPER.readTree(tmp.resolve("again.json").toFile()).path("datasets")).as("the same seed, the same sample")
        .isEqualTo(s1.path("datasets"));
    assertThat(Json.MAPPER.readTree(tmp.resolve("s2.json").toFile()).path("datasets")).as("another seed, other prompts")
        .isNotEqualTo(s1.path("datasets"));
  }

  @Test
  void crossFittedAutoAlsoLearnsFromAnotherFolderLessThePromptsBenchedAndSaysSo() throws Exception {
    Path also = Files.move(slice("winograde_train.csv", 80), tmp.resolve("also"));
    Path benched = slice("winograde_train.csv", 60);
    Path json = tmp.resolve("also.json");

    Run run = effort("bench", "--data", benched.toString(), "--train-also", also.toString(), "--json", json.toString(),
        "--report", tmp.resolve("r-also").toString());
    Run alone = effort("bench", "--data", benched.toString(), "--train-also", "none", "--json", tmp.resolve("alone.json").toString(),
        "--report", tmp.resolve("r-alone").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Json.MAPPER.readTree(json.toFile()).get("method").asText())
        .contains("the 60 prompts of all data sets split into 5 folds")
        .contains("and on 20 prompts of winograde_train (--train-also; none of them a prompt evaluated here)");
    assertThat(alone.exit()).as(alone.err()).isZero();
    assertThat(Json.MAPPER.readTree(tmp.resolve("alone.json").toFile()).get("method").asText()).doesNotContain("--train-also");

    var datasets = dev.effort.providers.data.RouterBenchCsv.loadFolder(benched);
    var auto = dev.effort.cli.bench.Bench.Auto.CrossFitted.alsoLearningFrom(dev.effort.router.Learners.byName("knn"),
        dev.effort.providers.data.RouterBenchCsv.loadFolder(also), datasets);
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    new dev.effort.cli.bench.Bench(dev.effort.core.Ladder.routerBench(), dev.effort.core.Catalog.builtIn())
        .run(benched.toString(), datasets, auto, done::addAndGet);
    assertThat(done.get()).as("the progress bar counts the other folder's prompts too")
        .isEqualTo(dev.effort.cli.bench.Bench.workOf(datasets, auto));
  }

  @Test
  void trainAlsoIsRefusedWhereNothingIsCrossFittedAndNeedsAFolder() {
    Run noAuto = effort("bench", "--no-auto", "--train-also", "none");
    assertThat(noAuto.exit()).isEqualTo(2);
    assertThat(noAuto.err()).contains("--train-also applies to cross-fitted auto rows, not with --no-auto");
    Run missing = effort("bench", "--data", TestData.routerBench().toString(), "--train-also", tmp.resolve("nowhere").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("is not a folder").contains("or none");
  }

  @Test
  void benchRefusesASampleShareOutsideZeroToOneAndASeedWithoutASample() {
    Run tooMuch = effort("bench", "--sample", "1.5");
    assertThat(tooMuch.exit()).isEqualTo(2);
    assertThat(tooMuch.err()).contains("--sample 1.5").contains("above 0 and at most 1");
    Run seedAlone = effort("bench", "--sample-seed", "3");
    assertThat(seedAlone.exit()).isEqualTo(2);
    assertThat(seedAlone.err()).contains("--sample-seed applies with --sample SHARE");
  }

  @Test
  void benchWithAnUnknownLearnerNamesTheAcceptedOnes() {
    Run run = effort("bench", "--learner", "forest", "--report", tmp.resolve("r").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("unknown learner 'forest'").contains("knn, logistic");
  }

  @Test
  void benchWithoutDataExitsNonZeroNamingTheDataOption() {
    Run run = effort("bench", "--data", tmp.resolve("nothing-here").toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("--data");
  }

  @Test
  void benchOnAFolderWithoutCsvFilesSaysSo() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Run run = effort("bench", "--data", empty.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("CSV");
  }

  @Test
  void aMalformedCsvRowIsAnErrorNamingFileAndLineWithoutAStackTrace() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(dir.resolve("broken.csv"), String.join("\n",
        ",sample_id,prompt,eval_name,m1,m1|model_response,m1|total_cost,oracle_model_to_route_to",
        "0,x.1,\"['Q1?\\nA) a\\nB) b']\",x,1.0,\"['A']\",0.001,m1",
        "1,x.2,\"['Q2?']\",x,maybe,\"['B']\",0.001,m1",
        ""));
    Run run = effort("bench", "--data", dir.toString(), "--report", tmp.resolve("r").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("broken.csv line 3").contains("maybe").doesNotContain("\tat ");
  }

  @Test
  void askAnswersARecordedPromptWithTheRecordedAnswer() throws Exception {
    Path data = unseenFolder();
    var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setAllowMissingColumnNames(true).get()
        .parse(Files.newBufferedReader(data.resolve("arc_challenge_test.csv")));
    var first = parser.iterator().next();
    String prompt = dev.effort.providers.data.PythonLiteral.parseStringList(first.get("prompt")).get(0);
    String recorded = dev.effort.providers.data.PythonLiteral
        .parseStringList(first.get("mistralai/mixtral-8x7b-chat|model_response")).get(0);

    Run run = effort("ask", prompt, "--effort", "minimal", "--data", data.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(recorded + System.lineSeparator());
    assertThat(run.err()).contains("effort low -> low").contains("single(mistralai/mixtral-8x7b-chat)");
  }

  @Test
  void askTakesARecordedPromptBySampleIdAndNamesIdsWhenItKnowsNone() throws Exception {
    Path data = unseenFolder();
    var first = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setAllowMissingColumnNames(true).get()
        .parse(Files.newBufferedReader(data.resolve("arc_challenge_test.csv"))).iterator().next();
    String recorded = dev.effort.providers.data.PythonLiteral
        .parseStringList(first.get("mistralai/mixtral-8x7b-chat|model_response")).get(0);

    Run run = effort("ask", "--sample", first.get("sample_id"), "--effort", "low", "--data", data.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(recorded + System.lineSeparator());

    Run unknown = effort("ask", "--sample", "no-such-id", "--data", data.toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no recorded prompt has the sample_id 'no-such-id'").contains(first.get("sample_id"));
    assertThat(effort("ask", "--data", data.toString()).err()).contains("either PROMPT or --sample ID");
  }

  @Test
  void askNeverInventsAnAnswerForAnUnknownPrompt() throws Exception {
    Run run = effort("ask", "What is the capital of France?", "--effort", "low", "--data", unseenFolder().toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("no recorded answer for this prompt");
  }

  @Test
  void askRejectsAnUnknownEffortNamingTheAcceptedValues() {
    Run run = effort("ask", "hello", "--effort", "turbo");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("unknown effort 'turbo'").contains("low, medium, high, xhigh, max, auto");
  }
}
