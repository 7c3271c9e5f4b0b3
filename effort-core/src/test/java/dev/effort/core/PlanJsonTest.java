package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PlanJsonTest {
  @Test
  void plansRoundTripThroughJson() {
    List<Plan> plans = List.of(
        Plan.single("a"),
        Plan.cascade(List.of("a", "b"), "c"),
        Plan.vote(List.of("a", "b", "c")),
        new Plan(Strategy.SINGLE, List.of(new Step("m", Optional.of(Effort.XHIGH), OptionalInt.of(1024), OptionalInt.of(4096)))));
    for (Plan plan : plans) {
      assertThat(PlanJson.read(PlanJson.write(plan), "test")).isEqualTo(plan);
    }
  }
}
