package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.effort.core.AnswerFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighborCostsTest {

  /** Cluster 0 prompts cost 1 and take 100 ms on "a", cluster 1 prompts 3 and 300 ms; all 100 tokens long. */
  private static TrainingSet twoPriceLevels() {
    Random random = new Random(1);
    List<PromptFeatures> features = new ArrayList<>();
    double[][] cost = new double[80][];
    double[][] latency = new double[80][];
    for (int i = 0; i < 80; i++) {
      int cluster = i % 2;
      PromptFeatures f = Synthetic.prompt(cluster, random);
      features.add(new PromptFeatures(f.embedding(), 100, AnswerFormat.CHOICE));
      cost[i] = new double[] {cluster == 0 ? 1 : 3, Double.NaN};
      latency[i] = new double[] {cluster == 0 ? 100 : 300, Double.NaN};
    }
    return new TrainingSet(List.of("a", "b"), features, Synthetic.filled(cost, 1), cost, latency);
  }

  private static PromptFeatures near(int cluster, int tokens) {
    return new PromptFeatures(Synthetic.prompt(cluster, new Random(2)).embedding(), tokens, AnswerFormat.CHOICE);
  }

  @Test
  void expectedCostAndLatencyAreThoseOfSimilarPrompts() {
    NeighborCosts costs = NeighborCosts.fit(twoPriceLevels());

    assertThat(costs.costUsd(near(0, 100))[0]).isCloseTo(1, within(1e-9));
    assertThat(costs.costUsd(near(1, 100))[0]).isCloseTo(3, within(1e-9));
    assertThat(costs.latencyMs(near(1, 100))[0]).isCloseTo(300, within(1e-9));
  }

  @Test
  void aLongerPromptCostsMoreButTakesNoLonger() {
    NeighborCosts costs = NeighborCosts.fit(twoPriceLevels());

    assertThat(costs.costUsd(near(0, 201))[0]).as("twice the neighbours' tokens (+1 each)").isCloseTo(2, within(1e-9));
    assertThat(costs.latencyMs(near(0, 201))[0]).isCloseTo(100, within(1e-9));
  }

  @Test
  void aCandidateWithNoKnownCostHasNone() {
    NeighborCosts costs = NeighborCosts.fit(twoPriceLevels());

    assertThat(costs.costUsd(near(0, 100))[1]).isNaN();
    assertThat(costs.latencyMs(near(0, 100))[1]).isNaN();
  }

  @Test
  void writtenAndReadBackGivesTheSameFigures() throws IOException {
    NeighborCosts costs = NeighborCosts.fit(Synthetic.twoClusters(50, 3));
    var bytes = new ByteArrayOutputStream();
    costs.write(new DataOutputStream(bytes));

    NeighborCosts read = NeighborCosts.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    Random random = new Random(4);
    for (int i = 0; i < 10; i++) {
      PromptFeatures f = Synthetic.prompt(i % 2, random);
      assertThat(read.costUsd(f)).containsExactly(costs.costUsd(f));
      assertThat(read.latencyMs(f)).containsExactly(costs.latencyMs(f));
    }
  }
}
