package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private final Ladder ladder = Ladder.routerBench();
  private final Planner planner = new Planner(ladder, Catalog.builtIn(), Effort.HIGH);

  @Test
  void fixedLevelsReadTheLadder() {
    for (Effort level : Effort.LEVELS) {
      PlannedAsk planned = planner.plan(Ask.of("q", level));
      assertThat(planned.plan()).isEqualTo(ladder.plan(level));
      assertThat(planned.applied()).isEqualTo(level);
      assertThat(planned.notes()).isEmpty();
    }
  }

  @Test
  void autoWithoutARouterFallsBackToTheDefaultLevelAndSaysSo() {
    PlannedAsk planned = planner.plan(Ask.of("q", Effort.AUTO));
    assertThat(planned.applied()).isEqualTo(Effort.HIGH);
    assertThat(planned.plan()).isEqualTo(ladder.plan(Effort.HIGH));
    assertThat(planned.notes()).singleElement().asString().contains("no router");
  }

  @Test
  void aPinnedModelGetsASingleCallToThatModel() {
    PlannedAsk planned = planner.plan(Ask.of("q", Effort.LOW).withModel("claude-v2"));
    assertThat(planned.plan().models()).containsExactly("claude-v2");
    assertThat(planned.plan().steps().get(0).nativeEffort()).as("the level goes to the model's own knob").contains(Effort.LOW);
    assertThat(planned.notes()).anyMatch(n -> n.contains("pinned"));
  }

  @Test
  void anUnknownPinnedModelIsAnErrorListingTheAcceptedOnes() {
    assertThatThrownBy(() -> planner.plan(Ask.of("q", Effort.LOW).withModel("gpt-9")))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("gpt-4-1106-preview");
  }

  @Test
  void theDefaultLevelMustBeFixed() {
    assertThatThrownBy(() -> new Planner(ladder, Catalog.builtIn(), Effort.AUTO)).hasMessageContaining("fixed");
  }

  /** A router whose estimates are fixed, to check how the planner uses them. */
  private record FixedRouter(List<Estimate> estimates, Plan reference) implements Router {
    @Override
    public List<Estimate> estimate(Ask ask) {
      return estimates;
    }

    @Override
    public double threshold(double target) {
      return target;
    }

    @Override
    public String describe() {
      return "fixed";
    }
  }

  private final Router router = new FixedRouter(List.of(
      new Estimate(Plan.single("mistralai/mixtral-8x7b-chat"), 0.80, 0.0003, Duration.ofMillis(300)),
      new Estimate(ladder.plan(Effort.HIGH), 0.93, 0.0014, Duration.ofMillis(1_200)),
      new Estimate(ladder.plan(Effort.MAX), 0.95, 0.0050, Duration.ofMillis(2_500))), ladder.plan(Effort.MAX));

  @Test
  void autoWithARouterTakesTheCheapestPlanMeetingTheTarget() {
    Planner strict = new Planner(ladder, Catalog.builtIn(), Effort.HIGH, Optional.of(router), 1.0);
    Planner lenient = new Planner(ladder, Catalog.builtIn(), Effort.HIGH, Optional.of(router), 0.95);
    assertThat(strict.plan(Ask.of("q", Effort.AUTO)).plan()).isEqualTo(ladder.plan(Effort.MAX));
    PlannedAsk planned = lenient.plan(Ask.of("q", Effort.AUTO));
    assertThat(planned.plan()).isEqualTo(ladder.plan(Effort.HIGH));
    assertThat(planned.applied()).isEqualTo(Effort.AUTO);
    assertThat(planned.notes()).singleElement().asString().startsWith("auto: cheapest plan");
  }

  @Test
  void autoAmongOnlyTheAllowedPlansKeepsItsBarRelativeToTheReference() {
    Planner planner = new Planner(ladder, Catalog.builtIn(), Effort.HIGH, Optional.of(router), 0.99);
    var withoutMax = planner.planAuto(Ask.of("q", Effort.AUTO), plan -> !plan.equals(ladder.plan(Effort.MAX)));
    // The bar stays 0.99 x max's 0.95 = 0.94: high (0.93) misses it too and is taken as the best left.
    assertThat(withoutMax).hasValueSatisfying(p -> {
      assertThat(p.plan()).isEqualTo(ladder.plan(Effort.HIGH));
      assertThat(p.applied()).isEqualTo(Effort.AUTO);
      assertThat(p.notes()).singleElement().asString().contains("took the best expected").contains("x max's 0.950");
    });
    assertThat(planner.planAuto(Ask.of("q", Effort.AUTO), plan -> false)).as("nothing allowed").isEmpty();
    assertThat(planner.planAuto(Ask.of("q", Effort.HIGH), plan -> true)).as("a fixed level is not routed").isEmpty();
  }

  @Test
  void autoRespectsTheAsksDeadline() {
    Planner planner = new Planner(ladder, Catalog.builtIn(), Effort.HIGH, Optional.of(router), 1.0);
    Ask ask = new Ask(List.of(Message.user("q")), Effort.AUTO, Optional.empty(), Optional.of(Duration.ofMillis(1_500)),
        Optional.empty(), Optional.empty(), java.util.Map.of());
    assertThat(planner.plan(ask).plan()).isEqualTo(ladder.plan(Effort.HIGH));
  }

  @Test
  void fixedLevelsIgnoreTheRouter() {
    Planner planner = new Planner(ladder, Catalog.builtIn(), Effort.HIGH, Optional.of(router), 1.0);
    assertThat(planner.plan(Ask.of("q", Effort.LOW)).plan()).isEqualTo(ladder.plan(Effort.LOW));
  }

  @Test
  void aTargetOutsideItsRangeIsRejected() {
    assertThatThrownBy(() -> new Planner(ladder, Catalog.builtIn(), Effort.HIGH, Optional.of(router), 0))
        .hasMessageContaining("target");
  }

  private static Ask constrained(Effort level, Duration deadline, Double maxCost) {
    Ask plain = Ask.of("Which is a fly?\nA) ant\nB) fly\nAnswer:", level);
    return new Ask(plain.messages(), level, Optional.empty(), Optional.ofNullable(deadline), Optional.ofNullable(maxCost),
        Optional.empty(), java.util.Map.of());
  }

  @Test
  void aDeadlineTheLevelCannotMeetLowersItAndSaysWhy() {
    Duration maxLatency = PlanForecast.of(ladder.plan(Effort.MAX), constrained(Effort.MAX, null, null), Catalog.builtIn()).latency();
    Duration lowLatency = PlanForecast.of(ladder.plan(Effort.LOW), constrained(Effort.LOW, null, null), Catalog.builtIn()).latency();
    assertThat(lowLatency).isLessThan(maxLatency);

    PlannedAsk planned = planner.plan(constrained(Effort.MAX, lowLatency.plusMillis(1), null));

    assertThat(planned.applied()).isNotEqualTo(Effort.MAX);
    assertThat(PlanForecast.of(planned.plan(), planned.ask(), Catalog.builtIn()).latency()).isLessThanOrEqualTo(lowLatency.plusMillis(1));
    assertThat(planned.downgrade()).get().asString().startsWith("lowered from max to").contains("exceeds the deadline");
    assertThat(planned.unmet()).isEmpty();
  }

  @Test
  void aCostCapLowersTheLevelToTheHighestThatFits() {
    Ask probe = constrained(Effort.XHIGH, null, null);
    double highCost = PlanForecast.of(ladder.plan(Effort.HIGH), probe, Catalog.builtIn()).costUsd();

    PlannedAsk planned = planner.plan(constrained(Effort.XHIGH, null, highCost * 1.0001));

    assertThat(planned.applied()).isEqualTo(Effort.HIGH);
    assertThat(planned.downgrade()).get().asString().contains("cost cap");
  }

  @Test
  void whenNoLevelMeetsTheDeadlineTheFastestRunsAndTheUnmetConstraintIsReported() {
    PlannedAsk planned = planner.plan(constrained(Effort.HIGH, Duration.ofMillis(1), null));

    assertThat(planned.unmet()).get().asString().contains("no level is expected to meet the deadline of 1 ms").contains("fastest");
    Duration chosen = PlanForecast.of(planned.plan(), planned.ask(), Catalog.builtIn()).latency();
    for (Effort level : List.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH)) {
      assertThat(chosen).isLessThanOrEqualTo(PlanForecast.of(ladder.plan(level), planned.ask(), Catalog.builtIn()).latency());
    }
  }

  @Test
  void aConstraintThatTheAskedLevelMeetsChangesNothing() {
    PlannedAsk planned = planner.plan(constrained(Effort.HIGH, Duration.ofMinutes(5), 10.0));
    assertThat(planned.applied()).isEqualTo(Effort.HIGH);
    assertThat(planned.downgrade()).isEmpty();
    assertThat(planned.unmet()).isEmpty();
  }

  @Test
  void aCeilingLowersAHigherLevelAndSaysWhy() {
    PlannedAsk planned = planner.plan(Ask.of("q", Effort.MAX), Optional.of(new Planner.Ceiling(Effort.MEDIUM, "the key's max_effort is medium")));
    assertThat(planned.ask().effort()).isEqualTo(Effort.MAX);
    assertThat(planned.applied()).isEqualTo(Effort.MEDIUM);
    assertThat(planned.plan()).isEqualTo(ladder.plan(Effort.MEDIUM));
    assertThat(planned.downgrade()).contains("lowered from max to medium: the key's max_effort is medium");

    PlannedAsk below = planner.plan(Ask.of("q", Effort.LOW), Optional.of(new Planner.Ceiling(Effort.MEDIUM, "x")));
    assertThat(below.applied()).isEqualTo(Effort.LOW);
    assertThat(below.downgrade()).isEmpty();
  }
}
