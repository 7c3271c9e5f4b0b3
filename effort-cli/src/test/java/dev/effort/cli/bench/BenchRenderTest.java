package dev.effort.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchRenderTest {

  @TempDir Path tmp;

  static BenchRow level(String name, String model, double acc, double cost, double p50, double p95) {
    return new BenchRow(name, "level", "single(" + model + ")", acc, 440, 5, cost, p50, p95, null);
  }

  static BenchRow model(String name, double acc, double cost, double p50, double p95) {
    return new BenchRow(name, "model", "single(" + name + ")", acc, 445, 0, cost, p50, p95, null);
  }

  /** Figures shaped like ARC-Challenge in RouterBench. */
  static DatasetResult arc() {
    return new DatasetResult(
        "arc_challenge_test",
        445,
        List.of(
            level("low", "mistralai/mistral-7b-chat", 0.670, 0.10, 420, 900),
            level("medium", "mistralai/mixtral-8x7b-chat", 0.851, 0.30, 650, 1500),
            level("high", "zero-one-ai/Yi-34B-Chat", 0.897, 0.41, 800, 2100),
            level("xhigh", "cascade(Yi-34B-Chat→gpt-4-1106-preview)", 0.930, 1.90, 1500, 5200),
            level("max", "gpt-4-1106-preview", 0.953, 5.08, 2400, 7800),
            model("gpt-4-1106-preview", 0.953, 5.08, 2400, 7800),
            model("zero-one-ai/Yi-34B-Chat", 0.897, 0.41, 800, 2100),
            model("mistralai/mixtral-8x7b-chat", 0.851, 0.30, 650, 1500),
            model("mistralai/mistral-7b-chat", 0.670, 0.10, 420, 900),
            model("WizardLM/WizardLM-13B-V1.2", 0.712, 0.14, 700, 1800),
            model("meta/llama-2-70b-chat", 0.781, 0.45, 1100, 3000),
            model("gpt-3.5-turbo-1106", 0.862, 0.55, 600, 1400),
            model("claude-instant-v1", 0.829, 0.42, 700, 1600),
            new BenchRow(
                "oracle", "oracle", "cheapest correct model per prompt", 0.986, 445, 0, 0.23, 500.0,
                1900.0, null),
            new BenchRow(
                "auto", "auto", "router(<none>)", null, 0, 0, null, null, null,
                "auto: no router yet")));
  }

  static BenchReport report() {
    DatasetResult tiny =
        new DatasetResult(
            "mmlu <tiny> & co",
            3,
            List.of(
                new BenchRow("low", "level", "single(a)", 0.5, 2, 1, 0.2, 100.0, 200.0, null),
                new BenchRow("max", "level", "single(b)", 1.0, 2, 1, 2.0, 300.0, 900.0, null),
                new BenchRow(
                    "<script>x</script>", "model", "single(\"q\")", 0.5, 2, 1, 0.4, 150.0, 400.0,
                    null),
                new BenchRow("random", "random", "uniform over models", 0.5, 3, 0, 1.1, 250.0, 800.0, null),
                new BenchRow("auto", "auto", "router", null, 0, 0, null, null, null, "auto: no router yet")));
    return new BenchReport(
        "/data/routerbench", "fleet-a & b", "Replayed recorded answers; latency modeled <p50/p95>.",
        List.of(arc(), tiny));
  }

  private static String table(DatasetResult d) {
    StringWriter text = new StringWriter();
    BenchTable.print(d, new PrintWriter(text, true));
    return text.toString();
  }

  @Test
  void tableShowsRowsNumbersAndNotes() {
    String t = table(arc());
    List<String> lines = t.lines().toList();
    assertThat(lines.get(0)).isEqualTo("arc_challenge_test — 445 prompts");
    assertThat(lines.get(1))
        .contains("row", "plan", "accuracy", "% max acc", "USD / 1k", "% max cost", "p50 ms", "p95 ms");
    for (BenchRow r : arc().rows()) {
      assertThat(t).contains(r.name());
    }
    String gpt4 = lines.stream().filter(l -> l.startsWith("gpt-4-1106-preview ")).findFirst().orElseThrow();
    assertThat(gpt4).contains("0.953", "100.0%", "5.08", "2400", "7800");
    String low = lines.stream().filter(l -> l.startsWith("low ")).findFirst().orElseThrow();
    // 0.670 / 0.953 = 70.3 %, 0.10 / 5.08 = 2.0 %
    assertThat(low).contains("0.670*", "70.3%", " 0.10 ", "2.0%", "420", "900");
    String oracle = lines.stream().filter(l -> l.startsWith("oracle ")).findFirst().orElseThrow();
    assertThat(oracle).contains("0.986", "103.5%", " 0.23 ", "4.5%");
    String auto = lines.stream().filter(l -> l.startsWith("auto ")).findFirst().orElseThrow();
    assertThat(auto).contains("auto: no router yet").doesNotContain("0.", "%");
    assertThat(t).contains("* prompts with unknown grade").contains("5 of 445 (low, medium, high, xhigh, max)");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(BenchTable.MAX_LINE + 5));
  }

  @Test
  void numericColumnsAreAligned() {
    List<String> lines = table(arc()).lines().toList();
    String header = lines.get(1);
    int p95End = header.indexOf("p95 ms") + "p95 ms".length();
    for (String l : lines.subList(3, 3 + 14)) {
      assertThat(l).hasSize(p95End);
    }
  }

  @Test
  void usdDecimalsFollowTheCheapestRow() {
    DatasetResult d =
        new DatasetResult(
            "d",
            1,
            List.of(
                new BenchRow("low", "level", "a", 0.5, 1, 0, 0.052, 1.0, 1.0, null),
                new BenchRow("max", "level", "b", 0.9, 1, 0, 10.0, 1.0, 1.0, null)));
    String t = table(d);
    assertThat(t).contains(" 0.052 ", " 10.000 ");
    assertThat(BenchFormat.usdDecimals(arc())).isEqualTo(2);
  }

  @Test
  void longPlansAreTruncatedToKeepLinesShort() {
    String plan = "cascade(" + "very-long-model-name/".repeat(12) + ")";
    DatasetResult d =
        new DatasetResult(
            "d", 1, List.of(new BenchRow("max", "level", plan, 1.0, 1, 0, 1.0, 1.0, 1.0, null)));
    String t = table(d);
    assertThat(t).contains("…").doesNotContain(plan);
    assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(BenchTable.MAX_LINE));
  }

  @Test
  void theShippedCascadesStillLookDifferentInTheTable() {
    // The shipped ladder's plans, with a row name as long as the longest model of the recorded data.
    DatasetResult d = new DatasetResult("d", 1, List.of(
        new BenchRow("medium", "level", dev.effort.core.Ladder.routerBench().plan(dev.effort.core.Effort.MEDIUM).describe(),
            0.5, 1, 0, 1.0, 1.0, 1.0, null),
        new BenchRow("high", "level", dev.effort.core.Ladder.routerBench().plan(dev.effort.core.Effort.HIGH).describe(),
            0.6, 1, 0, 2.0, 1.0, 1.0, null),
        new BenchRow("xhigh", "level", dev.effort.core.Ladder.routerBench().plan(dev.effort.core.Effort.XHIGH).describe(),
            0.7, 1, 0, 3.0, 1.0, 1.0, null),
        new BenchRow("meta/code-llama-instruct-34b-chat", "model", "single(meta/code-llama-instruct-34b-chat)",
            0.7, 1, 0, 3.0, 1.0, 1.0, null)));
    List<String> lines = BenchTable.lines(d);
    List<String> plans = lines.stream().filter(l -> l.startsWith("medium") || l.startsWith("high") || l.startsWith("xhigh"))
        .map(l -> l.replaceAll("^\\S+\\s+", "").replaceAll("\\s+[0-9.]+\\s.*$", "")).toList();
    assertThat(plans).hasSize(3).doesNotHaveDuplicates();
    assertThat(plans.get(0)).startsWith("cascade(agree(").endsWith("-> gpt-3.5-turbo-1106)");
    assertThat(plans.get(1)).endsWith("-> gpt-4-1106-preview)").containsOnlyOnce(", ");
    assertThat(plans.get(2)).endsWith("-> gpt-4-1106-preview)").contains(", ").matches(".*, .*, .*");
    assertThat(lines).noneMatch(l -> l.contains("mistralai/"));
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(BenchTable.MAX_LINE));
  }

  @Test
  void aLongPlanOfAnotherShapeIsCutInTheMiddleKeepingItsEnd() {
    assertThat(BenchTable.fitPlan("auto: 74% single(mixtral-8x7b-chat), 20% single(mistral-7b-chat)", 30))
        .hasSize(30).startsWith("auto: 74% sing").endsWith("istral-7b-chat)").contains("…");
  }

  @Test
  void tableWithoutMaxRowShowsDashes() {
    DatasetResult d =
        new DatasetResult(
            "d", 2, List.of(new BenchRow("m", "model", "single(m)", 0.5, 2, 0, 1.0, 10.0, null, null)));
    String t = table(d);
    assertThat(t).contains("% max columns need a measured");
    String row = t.lines().filter(l -> l.startsWith("m ")).findFirst().orElseThrow();
    assertThat(row).contains("0.500", "1.00", "10").endsWith("-");
    assertThat(row.split("\\s+")).containsExactly("m", "single(m)", "0.500", "-", "1.00", "-", "10", "-");
  }

  @Test
  void jsonParsesBackWithExactFields() throws Exception {
    Path file = tmp.resolve("a/b/bench.json");
    BenchJson.write(report(), file);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertThat(root.get("data_dir").asText()).isEqualTo("/data/routerbench");
    assertThat(root.get("ladder").asText()).isEqualTo("fleet-a & b");
    assertThat(root.get("datasets")).hasSize(2);
    JsonNode ds = root.get("datasets").get(0);
    assertThat(ds.get("name").asText()).isEqualTo("arc_challenge_test");
    assertThat(ds.get("prompts").asInt()).isEqualTo(445);
    JsonNode rows = ds.get("rows");
    assertThat(rows).hasSize(15);
    JsonNode low = rows.get(0);
    assertThat(low.get("name").asText()).isEqualTo("low");
    assertThat(low.get("kind").asText()).isEqualTo("level");
    assertThat(low.get("plan").asText()).isEqualTo("single(mistralai/mistral-7b-chat)");
    assertThat(low.get("accuracy").asDouble()).isEqualTo(0.670);
    assertThat(low.get("graded").asInt()).isEqualTo(440);
    assertThat(low.get("unknown").asInt()).isEqualTo(5);
    assertThat(low.get("cost_per_1k_usd").asDouble()).isEqualTo(0.10);
    assertThat(low.get("latency_p50_ms").isNumber()).isTrue();
    assertThat(low.get("latency_p50_ms").asDouble()).isEqualTo(420);
    assertThat(low.get("latency_p95_ms").asDouble()).isEqualTo(900);
    assertThat(low.get("pct_of_max_accuracy").asDouble()).isEqualTo(70.3);
    assertThat(low.get("note").isNull()).isTrue();
    assertThat(rows.get(13).get("kind").asText()).isEqualTo("oracle");
    JsonNode auto = rows.get(14);
    assertThat(auto.get("kind").asText()).isEqualTo("auto");
    for (String f :
        List.of("accuracy", "cost_per_1k_usd", "latency_p50_ms", "latency_p95_ms", "pct_of_max_accuracy")) {
      assertThat(auto.has(f)).as(f).isTrue();
      assertThat(auto.get(f).isNull()).as(f).isTrue();
    }
    assertThat(auto.get("note").asText()).isEqualTo("auto: no router yet");
    assertThat(root.get("datasets").get(1).get("rows").get(3).get("kind").asText()).isEqualTo("random");
  }

  @Test
  void htmlIsEscapedSelfContainedAndReferencesValidPngs() throws Exception {
    Path dir = tmp.resolve("report");
    Path index = BenchHtml.write(report(), dir);
    assertThat(index).isEqualTo(dir.resolve("index.html"));
    String html = Files.readString(index);
    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html).contains("Replayed recorded answers; latency modeled &lt;p50/p95&gt;.");
    assertThat(html).contains("fleet-a &amp; b", "/data/routerbench");
    assertThat(html).contains("mmlu &lt;tiny&gt; &amp; co — 3 prompts");
    assertThat(html).contains("&lt;script&gt;x&lt;/script&gt;").doesNotContain("<script>");
    assertThat(html).contains("single(&quot;q&quot;)");
    assertThat(html).contains("gpt-4-1106-preview", "0.953", "5.08", "70.3%");
    assertThat(html).contains("auto: no router yet");
    assertThat(html).doesNotContain("http://", "https://", "<link", "src=\"http");
    assertThat(html).contains("<img src=\"arc_challenge_test.png\"");
    assertThat(html).contains("<img src=\"mmlu__tiny____co.png\"");
    for (String png : List.of("arc_challenge_test.png", "mmlu__tiny____co.png")) {
      Path p = dir.resolve(png);
      assertThat(p).exists();
      byte[] head = new byte[8];
      System.arraycopy(Files.readAllBytes(p), 0, head, 0, 8);
      assertThat(head).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
      BufferedImage img = ImageIO.read(p.toFile());
      assertThat(img).isNotNull();
      assertThat(img.getWidth()).isEqualTo(BenchChart.WIDTH);
      assertThat(img.getHeight()).isEqualTo(BenchChart.HEIGHT);
    }
  }

  @Test
  void chartIsNotBlankAndDrawsEachSeries() {
    BufferedImage img = BenchChart.render(arc());
    // the level line's blue and the oracle's near-black are present
    assertThat(countColor(img, 31, 119, 180, 10)).isGreaterThan(200);
    assertThat(BenchChart.build(arc()).getSeriesMap().keySet())
        .contains("effort levels", "gpt-4-1106-preview", "Yi-34B-Chat", "mistral-7b-chat", "oracle")
        .doesNotContain("auto");
  }

  @Test
  void chartOfUnmeasuredOrEmptyDataSetStillRenders() throws Exception {
    DatasetResult none =
        new DatasetResult(
            "empty", 0, List.of(new BenchRow("auto", "auto", "router", null, 0, 0, null, null, null, "auto: no router yet")));
    DatasetResult empty = new DatasetResult("nothing", 0, List.of());
    Path dir = tmp.resolve("e");
    BenchHtml.write(new BenchReport("d", "l", "m", List.of(none, empty)), dir);
    assertThat(ImageIO.read(dir.resolve("empty.png").toFile()).getWidth()).isEqualTo(BenchChart.WIDTH);
    assertThat(ImageIO.read(dir.resolve("nothing.png").toFile()).getHeight()).isEqualTo(BenchChart.HEIGHT);
    assertThat(table(empty)).contains("nothing — 0 prompts", "(no rows)");
  }

  @Test
  void duplicateDataSetNamesGetDistinctPngs() {
    DatasetResult a = new DatasetResult("a/b", 0, List.of());
    DatasetResult b = new DatasetResult("a_b", 0, List.of());
    assertThat(BenchHtml.pngNames(new BenchReport("d", "l", "m", List.of(a, b))))
        .containsExactly("a_b.png", "a_b-2.png");
  }

  private static int countColor(BufferedImage img, int r, int g, int b, int tol) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 255) - r) <= tol
            && Math.abs(((rgb >> 8) & 255) - g) <= tol
            && Math.abs((rgb & 255) - b) <= tol) {
          n++;
        }
      }
    }
    return n;
  }

  /** Writes the example report to target/bench-example for a look (not an assertion). */
  @Test
  void writesExampleForInspection() {
    Path out = Path.of("target", "bench-example");
    List<BenchRow> dense = new java.util.ArrayList<>();
    dense.add(level("low", "m1", 0.52, 0.06, 300, 700));
    dense.add(level("medium", "m2", 0.70, 0.31, 500, 1100));
    dense.add(level("high", "m3", 0.74, 0.55, 700, 1500));
    dense.add(level("xhigh", "m4", 0.78, 1.4, 900, 2500));
    dense.add(level("max", "m5", 0.81, 3.3, 1600, 4800));
    String[] names = {"gpt-4-1106-preview", "gpt-3.5-turbo-1106", "claude-v2", "claude-instant-v1",
        "meta/llama-2-70b-chat", "meta/code-llama-instruct-34b-chat", "zero-one-ai/Yi-34B-Chat",
        "mistralai/mixtral-8x7b-chat", "mistralai/mistral-7b-chat", "WizardLM/WizardLM-13B-V1.2",
        "claude-v1"};
    double[][] v = {{0.81, 3.3}, {0.68, 0.31}, {0.65, 2.6}, {0.60, 0.28}, {0.63, 0.30}, {0.54, 0.26},
        {0.74, 0.29}, {0.70, 0.22}, {0.53, 0.06}, {0.56, 0.10}, {0.66, 2.5}};
    for (int i = 0; i < names.length; i++) {
      dense.add(model(names[i], v[i][0], v[i][1], 800, 2000));
    }
    dense.add(new BenchRow("oracle", "oracle", "o", 0.96, 100, 0, 0.09, 400.0, 900.0, null));
    dense.add(new BenchRow("auto@0.7", "auto", "router", 0.72, 100, 0, 0.25, 600.0, 1400.0, null));
    dense.add(new BenchRow("auto@0.8", "auto", "router", 0.79, 100, 0, 0.9, 900.0, 2400.0, null));
    dense.add(new BenchRow("random", "random", "r", 0.64, 100, 0, 0.8, 800.0, 2400.0, null));
    BenchReport r = report();
    java.util.List<DatasetResult> all = new java.util.ArrayList<>(r.datasets());
    all.add(new DatasetResult("mmlu_dense", 14042, dense));
    Path index = BenchHtml.write(new BenchReport(r.dataDir(), r.ladder(), r.method(), all), out);
    BenchJson.write(report(), out.resolve("bench.json"));
    assertThat(index).exists();
  }
}
