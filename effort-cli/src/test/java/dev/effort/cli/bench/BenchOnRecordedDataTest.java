package dev.effort.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.effort.cli.TestData;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RouterBenchCsv;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bench on the three RouterBench train sets, checked against the CSV files directly. */
class BenchOnRecordedDataTest {
  private static BenchReport report;

  @BeforeAll
  static void runBench() {
    Path dir = TestData.routerBench();
    report = new Bench(Ladder.routerBench(), Catalog.builtIn())
        .run(dir.toString(), RouterBenchCsv.loadFolder(dir), n -> {});
  }

  private static DatasetResult dataset(String name) {
    return report.datasets().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  private static BenchRow row(DatasetResult d, String kind, String name) {
    return d.rows().stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Each single model's accuracy and cost equal a plain computation over the CSV columns, made
   * here without the loader, the Python-literal parser, the planner, the executor or the replay.
   */
  @ParameterizedTest
  @ValueSource(strings = {"arc_challenge_train", "mbpp_train", "winograde_train"})
  void singleModelRowsEqualAnIndependentComputationFromTheCsv(String name) throws Exception {
    List<CSVRecord> records;
    List<String> header;
    try (Reader in = Files.newBufferedReader(TestData.routerBenchFile(name + ".csv"))) {
      var parser = CSVFormat.DEFAULT.builder().setHeader().setAllowMissingColumnNames(true).get().parse(in);
      header = parser.getHeaderNames();
      records = parser.getRecords();
    }
    List<String> models = header.stream()
        .filter(h -> header.contains(h + "|model_response"))
        .toList();
    assertThat(models).hasSize(11);
    DatasetResult d = dataset(name);
    assertThat(d.prompts()).isEqualTo(records.size());
    for (String model : models) {
      int correct = 0;
      int known = 0;
      double cost = 0;
      for (CSVRecord r : records) {
        String label = r.get(model);
        if (!label.isEmpty()) {
          known++;
          correct += Double.parseDouble(label) == 1.0 ? 1 : 0;
        }
        cost += Double.parseDouble(r.get(model + "|total_cost"));
      }
      BenchRow row = row(d, "model", model);
      assertThat(row.accuracy()).as(model + " accuracy").isCloseTo((double) correct / known, within(1e-12));
      assertThat(row.graded()).as(model + " graded").isEqualTo(known);
      assertThat(row.unknown()).as(model + " unknown").isEqualTo(records.size() - known);
      assertThat(row.costPer1kUsd()).as(model + " cost").isCloseTo(cost / records.size() * 1000, within(1e-9));
    }
  }

  @Test
  void anEmptyCorrectnessCellCountsAsUnknownNotWrong() {
    // ARC has 8 prompts with no recorded correctness for gpt-4 (12 for gpt-3.5): 1031 graded of 1039.
    BenchRow gpt4 = row(dataset("arc_challenge_train"), "model", "gpt-4-1106-preview");
    assertThat(gpt4.graded()).isEqualTo(1031);
    assertThat(gpt4.unknown()).isEqualTo(8);
    assertThat(gpt4.accuracy()).as("counted as wrong it would be .946").isGreaterThan(0.95);
    assertThat(row(dataset("arc_challenge_train"), "model", "gpt-3.5-turbo-1106").unknown()).isEqualTo(12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"arc_challenge_train", "mbpp_train", "winograde_train"})
  void ladderQualityAndCostNeverFallAsTheLevelRises(String name) {
    DatasetResult d = dataset(name);
    BenchRow previous = null;
    for (Effort level : Effort.LEVELS) {
      BenchRow current = row(d, "level", level.wireName());
      assertThat(current.measured()).as(level + " measured").isTrue();
      if (previous != null) {
        assertThat(current.accuracy()).as(name + ": accuracy of " + level).isGreaterThanOrEqualTo(previous.accuracy());
        assertThat(current.costPer1kUsd()).as(name + ": cost of " + level).isGreaterThanOrEqualTo(previous.costPer1kUsd());
      }
      previous = current;
    }
  }

  @Test
  void ladderQualityAndCostNeverFallOnTheWholeFleetTraffic() {
    double previousAccuracy = -1;
    double previousCost = -1;
    for (Effort level : Effort.LEVELS) {
      double correct = 0;
      double graded = 0;
      double cost = 0;
      double prompts = 0;
      for (DatasetResult d : report.datasets()) {
        BenchRow r = row(d, "level", level.wireName());
        correct += r.accuracy() * r.graded();
        graded += r.graded();
        cost += r.costPer1kUsd() * d.prompts();
        prompts += d.prompts();
      }
      assertThat(correct / graded).as("pooled accuracy of " + level).isGreaterThanOrEqualTo(previousAccuracy);
      assertThat(cost / prompts).as("pooled cost of " + level).isGreaterThanOrEqualTo(previousCost);
      previousAccuracy = correct / graded;
      previousCost = cost / prompts;
    }
  }

  @Test
  void noRowBeatsTheOracleAndTheOracleCostsLessThanMax() {
    for (DatasetResult d : report.datasets()) {
      BenchRow oracle = row(d, "oracle", "oracle");
      for (BenchRow r : d.rows()) {
        if (r.measured() && !r.kind().equals("oracle")) {
          assertThat(oracle.accuracy()).as(d.name() + " oracle vs " + r.name()).isGreaterThanOrEqualTo(r.accuracy());
        }
      }
      assertThat(oracle.costPer1kUsd()).isLessThan(row(d, "level", "max").costPer1kUsd());
    }
  }

  @Test
  void autoTurnedOffSaysSoInsteadOfFakingNumbers() {
    for (DatasetResult d : report.datasets()) {
      BenchRow auto = row(d, "auto", "auto");
      assertThat(auto.measured()).isFalse();
      assertThat(auto.note()).isEqualTo("auto: not evaluated in this run");
      assertThat(d.rows()).noneMatch(r -> r.kind().equals("random"));
    }
  }

  @Test
  void modeledLatencyRisesWithTheLevel() {
    DatasetResult arc = dataset("arc_challenge_train");
    assertThat(row(arc, "level", "max").latencyP50Ms()).isGreaterThan(row(arc, "level", "low").latencyP50Ms());
    for (BenchRow r : arc.rows()) {
      if (r.measured()) {
        assertThat(r.latencyP95Ms()).as(r.name()).isGreaterThanOrEqualTo(r.latencyP50Ms());
      }
    }
  }

  @Test
  void rowsComeInTheOrderLevelsModelsOracleAuto() {
    DatasetResult arc = dataset("arc_challenge_train");
    assertThat(arc.rows()).extracting(BenchRow::kind).startsWith("level", "level", "level", "level", "level", "model");
    assertThat(arc.rows()).extracting(BenchRow::kind).endsWith("oracle", "auto");
    assertThat(arc.rows()).extracting(BenchRow::name).startsWith("low", "medium", "high", "xhigh", "max");
  }
}
