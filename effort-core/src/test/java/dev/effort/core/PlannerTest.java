package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThat(planned.plan()).isEqualTo(Plan.single("claude-v2"));
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
}
