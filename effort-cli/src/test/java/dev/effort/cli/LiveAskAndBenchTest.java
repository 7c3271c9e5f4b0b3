package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code effort ask --config} and {@code effort bench --config} against a local upstream that speaks
 * both wire formats. Two models: {@code test-small} always answers "A", {@code test-big} the right
 * letter, so the grader marks the small model's answers right or wrong by prompt. Each call costs
 * {@link LocalUpstream#OUTPUT_TOKENS} output tokens at the catalog price below: $0.01 (small), $0.02 (big).
 */
class LiveAskAndBenchTest {
  /** The gold letter of each test prompt. */
  static final Map<String, String> GOLD = Map.of("Q1", "A", "Q2", "B", "Q3", "C", "Q4", "D");

  @TempDir Path tmp;
  LocalUpstream upstream;

  record Run(int exit, String out, String err) {}

  static Run effort(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeEach
  void start() throws Exception {
    upstream = new LocalUpstream((model, prompt) -> model.equals("test-big") || model.equals(GPT4)
        ? GOLD.get(prompt.substring(0, 2)) : "A");
  }

  @AfterEach
  void stop() {
    upstream.close();
  }

  /** A gateway config whose one provider, of this wire format, serves both test models from the local upstream. */
  Path config(String type) throws Exception {
    String provider = type.equals("anthropic") ? "anthropic" : "openai";
    Path file = tmp.resolve(type + ".yaml");
    Files.writeString(file, """
        providers:
          - name: local
            type: %s
            base_url: %s
            api_key_env: EFFORT_TEST_UPSTREAM_KEY
            models: [test-small, test-big]
        catalog:
          - {id: test-small, provider: %s, input_usd_per_million: 0, output_usd_per_million: 1000,
             ttft_ms: 100, output_tokens_per_second: 100, context_window: 8192, source: test}
          - {id: test-big, provider: %s, input_usd_per_million: 0, output_usd_per_million: 2000,
             ttft_ms: 100, output_tokens_per_second: 100, context_window: 8192, source: test}
        ladder:
          fleet: test
          levels:
            low:    {strategy: single, steps: [{model: test-small}]}
            medium: {strategy: single, steps: [{model: test-small}]}
            high:   {strategy: single, steps: [{model: test-big}]}
            xhigh:  {strategy: single, steps: [{model: test-big}]}
            max:    {strategy: single, steps: [{model: test-big}]}
        """.formatted(type, upstream.baseUrl(), provider, provider));
    return file;
  }

  /** Four multiple-choice prompts in RouterBench format; the recorded labels give the gold letters. */
  Path data() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    StringBuilder csv = new StringBuilder(",sample_id,prompt,eval_name,rec,rec|model_response,rec|total_cost\n");
    for (int i = 1; i <= 4; i++) {
      String q = "Q" + i;
      csv.append(i - 1).append(",arc.").append(i).append(",\"['").append(q).append(": which letter? A) a B) b C) c D) d']\",")
          .append("arc-challenge,1.0,\"['").append(GOLD.get(q)).append("']\",0.001\n");
    }
    Files.writeString(dir.resolve("arc_challenge_test.csv"), csv);
    return dir;
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic"})
  void askAnswersThroughTheConfiguredProvider(String type) throws Exception {
    Run run = effort("ask", "--config", config(type).toString(), "--effort", "high", "Q2: which letter?");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo("B");
    assertThat(run.err()).contains("plan single(test-big)").contains("model test-big").contains("$0.020000")
        .contains("(measured)");
    String path = type.equals("anthropic") ? "/v1/messages" : "/v1/chat/completions";
    assertThat(upstream.on(path)).singleElement().satisfies(r -> {
      assertThat(r.model()).isEqualTo("test-big");
      assertThat(r.prompt()).isEqualTo("Q2: which letter?");
      assertThat(r.apiKey()).isEqualTo(System.getenv("EFFORT_TEST_UPSTREAM_KEY"));
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic"})
  void benchGradesLiveAnswersAndASecondRunResumesFromTheCache(String type) throws Exception {
    Path config = config(type);
    Path data = data();
    Path cache = tmp.resolve("cache");
    Path report = tmp.resolve("report");
    String[] args = {"bench", "--config", config.toString(), "--data", data.toString(), "--levels", "low,high",
        "--max-cost-usd", "1", "--cache", cache.toString(), "--report", report.toString()};

    Run first = effort(args);

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(upstream.received).hasSize(8);
    assertThat(first.err()).contains("expected cost: about $").contains("for 8 asks");
    assertThat(first.out()).contains("live: 0 answers from the cache").contains("8 asked").contains("$0.1200 spent");
    JsonNode json = Json.MAPPER.readTree(report.resolve("bench.json").toFile());
    JsonNode rows = json.path("datasets").get(0).path("rows");
    assertThat(row(rows, "low").path("accuracy").asDouble()).isEqualTo(0.25);
    assertThat(row(rows, "high").path("accuracy").asDouble()).isEqualTo(1.0);
    assertThat(row(rows, "low").path("cost_per_1k_usd").asDouble()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(row(rows, "high").path("latency_p50_ms").asDouble()).isPositive();
    assertThat(first.out()).contains("arc_challenge_test");
    try (var files = Files.list(cache)) {
      assertThat(files.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(8);
    }

    Run second = effort(args);

    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(upstream.received).as("every answer came from the cache").hasSize(8);
    assertThat(second.err()).contains("about $0.0000 for 0 asks").contains("8 answers already in the cache");
    assertThat(second.out()).contains("live: 8 answers from the cache").contains("0 asked").contains("$0.0000 spent");
    JsonNode again = Json.MAPPER.readTree(report.resolve("bench.json").toFile());
    assertThat(row(again.path("datasets").get(0).path("rows"), "low").path("accuracy").asDouble()).isEqualTo(0.25);
  }

  static final String MIXTRAL = "mistralai/mixtral-8x7b-chat";
  static final String GPT4 = "gpt-4-1106-preview";

  /**
   * A router file tuned on 60 recorded prompts of the two models the auto config serves: gpt-4
   * (the ladder's max) always right, mixtral on every other prompt.
   */
  Path tunedRouter() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("train"));
    StringBuilder csv = new StringBuilder(",sample_id,prompt,eval_name," + MIXTRAL + "," + GPT4 + "," + MIXTRAL
        + "|model_response," + GPT4 + "|model_response," + MIXTRAL + "|total_cost," + GPT4 + "|total_cost\n");
    for (int i = 0; i < 60; i++) {
      csv.append(i).append(",arc.t").append(i).append(",\"['Train ").append(i)
          .append(": which letter? A) a B) b C) c D) d']\",arc-challenge,").append(i % 2).append(".0,1.0,\"['")
          .append(i % 2 == 1 ? "B" : "A").append("']\",\"['B']\",0.0003,0.005\n");
    }
    Files.writeString(dir.resolve("arc_challenge_train.csv"), csv);
    Path router = tmp.resolve("router.bin");
    Run tune = effort("tune", "--data", dir.toString(), "--out", router.toString());
    assertThat(tune.exit()).as(tune.err()).isZero();
    return router;
  }

  @Test
  void benchMeasuresAutoLiveWithTheConfigsRouterAndRefusesAutoWithoutOne() throws Exception {
    Path config = tmp.resolve("auto.yaml");
    Files.writeString(config, """
        router: %s
        providers:
          - name: local
            type: openai
            base_url: %s
            api_key_env: EFFORT_TEST_UPSTREAM_KEY
            models: [%s, %s]
        ladder:
          fleet: test
          levels:
            low:    {strategy: single, steps: [{model: %s}]}
            medium: {strategy: single, steps: [{model: %s}]}
            high:   {strategy: single, steps: [{model: %s}]}
            xhigh:  {strategy: single, steps: [{model: %s}]}
            max:    {strategy: single, steps: [{model: %s}]}
        """.formatted(tunedRouter(), upstream.baseUrl(), MIXTRAL, GPT4, MIXTRAL, MIXTRAL, GPT4, GPT4, GPT4));
    Path report = tmp.resolve("report");

    Run run = effort("bench", "--config", config.toString(), "--data", data().toString(), "--levels", "low,auto",
        "--max-cost-usd", "1", "--cache", tmp.resolve("cache").toString(), "--report", report.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    // Four low asks, and four auto asks unless auto chose low's plan for a prompt (then the cache answers it).
    assertThat(upstream.received).hasSizeBetween(5, 8);
    JsonNode auto = row(Json.MAPPER.readTree(report.resolve("bench.json").toFile()).path("datasets").get(0).path("rows"), "auto");
    assertThat(auto.path("kind").asText()).isEqualTo("auto");
    assertThat(auto.path("target").asDouble()).isEqualTo(1.0);
    assertThat(auto.path("graded").asInt()).isEqualTo(4);
    assertThat(auto.path("plan").asText()).startsWith("auto: ").matches("auto: (\\d+% single\\((" + MIXTRAL + "|" + GPT4
        + ")\\)(, )?)+");
    assertThat(upstream.received).extracting(r -> r.model()).as("auto asked only served models").isSubsetOf(MIXTRAL, GPT4);

    Run noRouter = effort("bench", "--config", config("openai").toString(), "--data", data().toString(), "--levels",
        "auto", "--max-cost-usd", "1", "--cache", tmp.resolve("cache").toString(), "--report", report.toString());
    assertThat(noRouter.exit()).isEqualTo(2);
    assertThat(noRouter.err()).contains("auto is measured live with the config's router (router: FILE").contains("names none");
    Run recordedOption = effort("bench", "--config", config.toString(), "--router", "r.bin", "--max-cost-usd", "1");
    assertThat(recordedOption.exit()).isEqualTo(2);
    assertThat(recordedOption.err()).contains("--router applies to recorded runs");
  }

  @Test
  void benchRefusesToStartWithoutACostCapAndSaysWhatItWouldCost() throws Exception {
    Run run = effort("bench", "--config", config("openai").toString(), "--data", data().toString(),
        "--cache", tmp.resolve("cache").toString(), "--report", tmp.resolve("report").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("expected cost: about $").contains("needs --max-cost-usd")
        .contains("expected to cost about $").doesNotContain("\tat ");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void benchStopsWhenTheSpendReachesTheCapAndTheNextRunResumes() throws Exception {
    Path cache = tmp.resolve("cache");
    Path report = tmp.resolve("report");
    String config = config("anthropic").toString();
    String dataDir = data().toString();

    // Each low ask costs $0.01: three asks reach $0.03 >= $0.025, and the fourth does not start.
    Run capped = effort("bench", "--config", config, "--data", dataDir, "--levels", "low", "--parallel", "1",
        "--max-cost-usd", "0.025", "--cache", cache.toString(), "--report", report.toString());

    assertThat(capped.exit()).as(capped.err()).isZero();
    assertThat(upstream.received).hasSize(3);
    assertThat(capped.out()).contains("stopped: the spend reached --max-cost-usd 0.0250 with 1 asks not run")
        .contains("partial: 3 of 4 prompts answered").contains("$0.0300 spent");
    JsonNode json = Json.MAPPER.readTree(report.resolve("bench.json").toFile());
    assertThat(json.path("method").asText()).contains("stopped at the cost cap");

    Run resumed = effort("bench", "--config", config, "--data", dataDir, "--levels", "low", "--limit", "4",
        "--max-cost-usd", "1", "--cache", cache.toString(), "--report", report.toString());

    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(upstream.received).as("only the missing prompt was asked").hasSize(4);
    assertThat(resumed.out()).contains("live: 3 answers from the cache").contains("1 asked").doesNotContain("stopped:")
        .doesNotContain("partial");
  }

  @Test
  void benchLimitTakesTheFirstPromptsOfEachDataSet() throws Exception {
    Run run = effort("bench", "--config", config("openai").toString(), "--data", data().toString(), "--limit", "2",
        "--levels", "high", "--max-cost-usd", "1", "--cache", tmp.resolve("cache").toString(),
        "--report", tmp.resolve("report").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(upstream.received).extracting(r -> r.prompt().substring(0, 2)).containsExactlyInAnyOrder("Q1", "Q2");
  }

  private static JsonNode row(JsonNode rows, String name) {
    for (JsonNode r : rows) {
      if (r.path("name").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no row " + name + " in " + rows);
  }
}
