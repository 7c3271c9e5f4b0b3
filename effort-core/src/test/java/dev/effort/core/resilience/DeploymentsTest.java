package dev.effort.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentsTest {
  private static Deployment deployment(String name, int weight) {
    return new Deployment(name, new Upstream(name), weight, RetryPolicy.DEFAULT);
  }

  @Test
  void byWeightEachGoesFirstInProportionToItsWeight() {
    Deployments d = new Deployments(Map.of("m", List.of(deployment("east", 3), deployment("west", 1))),
        Deployments.Balance.WEIGHT, BreakerSettings.DEFAULT, System::nanoTime);
    int eastFirst = 0;
    for (int i = 0; i < 4000; i++) {
      List<Deployment> order = d.ordered("m");
      assertThat(order).hasSize(2);
      eastFirst += order.get(0).name().equals("east") ? 1 : 0;
    }
    assertThat(eastFirst).isBetween(2800, 3200); // 3,000 expected; 6 standard deviations either way
  }

  @Test
  void byLatencyTheFastestLatelyGoesFirstAndAnUntriedOneBeforeAny() {
    Deployments d = new Deployments(Map.of("m", List.of(deployment("east", 1), deployment("west", 1))),
        Deployments.Balance.LATENCY, BreakerSettings.DEFAULT, System::nanoTime);
    d.record("m", d.of("m").get(0), false, Duration.ofMillis(500));
    assertThat(d.ordered("m").get(0).name()).isEqualTo("west");
    d.record("m", d.of("m").get(1), false, Duration.ofMillis(900));
    assertThat(d.ordered("m").get(0).name()).isEqualTo("east");
  }
}
