package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteChoiceTest {
  private static final Plan CHEAP = Plan.single("cheap");
  private static final Plan MIDDLE = Plan.single("middle");
  private static final Plan MAX = Plan.single("max");

  private static List<Estimate> estimates(double cheapQuality, double middleQuality) {
    return List.of(
        new Estimate(CHEAP, cheapQuality, 0.001, Duration.ofMillis(300)),
        new Estimate(MIDDLE, middleQuality, 0.010, Duration.ofMillis(900)),
        new Estimate(MAX, 0.90, 0.050, Duration.ofMillis(2_000)));
  }

  private static Plan choose(List<Estimate> estimates, double threshold, Optional<Duration> deadline, Optional<Double> cap) {
    return RouteChoice.choose(estimates, MAX, threshold, deadline, cap).chosen().plan();
  }

  @Test
  void picksTheCheapestPlanExpectedToMeetTheTarget() {
    assertThat(choose(estimates(0.60, 0.89), 0.98, Optional.empty(), Optional.empty())).isEqualTo(MIDDLE);
    assertThat(choose(estimates(0.89, 0.89), 0.98, Optional.empty(), Optional.empty())).isEqualTo(CHEAP);
    assertThat(choose(estimates(0.60, 0.70), 0.98, Optional.empty(), Optional.empty())).isEqualTo(MAX);
  }

  @Test
  void aLowerTargetAcceptsCheaperPlans() {
    assertThat(choose(estimates(0.80, 0.85), 1.0, Optional.empty(), Optional.empty())).isEqualTo(MAX);
    assertThat(choose(estimates(0.80, 0.85), 0.85, Optional.empty(), Optional.empty())).isEqualTo(CHEAP);
  }

  @Test
  void aPlanThatCannotMeetTheDeadlineIsNotACandidate() {
    var choice = RouteChoice.choose(estimates(0.60, 0.70), MAX, 0.98, Optional.of(Duration.ofSeconds(1)), Optional.empty());
    assertThat(choice.chosen().plan()).as("max is too slow; middle is the best expected that fits").isEqualTo(MIDDLE);
    assertThat(choice.notes()).singleElement().asString().contains("deadline of 1000 ms").contains("best expected");
  }

  @Test
  void aThresholdAboveMaxWithoutConstraintsTakesTheBestAndSpeaksOfNoConstraint() {
    var choice = RouteChoice.choose(estimates(0.60, 0.70), MAX, 1.01, Optional.empty(), Optional.empty());
    assertThat(choice.chosen().plan()).isEqualTo(MAX);
    assertThat(choice.notes()).singleElement().asString()
        .startsWith("auto: no plan is expected to reach 0.909 (1.010 x max's 0.900); took the best expected")
        .doesNotContain("constraint").doesNotContain("within");
  }

  @Test
  void aPlanAboveTheCostCapIsNotACandidate() {
    assertThat(choose(estimates(0.60, 0.89), 0.98, Optional.empty(), Optional.of(0.005))).isEqualTo(CHEAP);
  }

  @Test
  void whenNothingFitsTheDeadlineTheFastestRunsAndTheTraceSaysSo() {
    var choice = RouteChoice.choose(estimates(0.9, 0.9), MAX, 1.0, Optional.of(Duration.ofMillis(10)), Optional.empty());
    assertThat(choice.chosen().plan()).isEqualTo(CHEAP);
    assertThat(choice.notes()).singleElement().asString().contains("took the fastest");
  }

  @Test
  void whenNothingFitsTheCostCapTheCheapestRunsAndTheTraceSaysSo() {
    var choice = RouteChoice.choose(estimates(0.9, 0.9), MAX, 1.0, Optional.empty(), Optional.of(0.0000001));
    assertThat(choice.chosen().plan()).isEqualTo(CHEAP);
    assertThat(choice.notes()).singleElement().asString().contains("took the cheapest");
  }
}
