package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PlanTest {

  @Test
  void describesEachStrategyAsAShortString() {
    assertThat(Plan.single("gpt-4").describe()).isEqualTo("single(gpt-4)");
    assertThat(Plan.cascade(List.of("a", "b"), "c").describe()).isEqualTo("cascade(agree(a, b) -> c)");
    assertThat(Plan.vote(List.of("a", "b", "c")).describe()).isEqualTo("vote(a, b, c)");
  }

  @Test
  void describesTheKnobsAStepTurns() {
    Step step = new Step("claude", Optional.of(Effort.HIGH), OptionalInt.of(2048), OptionalInt.of(8192));
    assertThat(new Plan(Strategy.SINGLE, List.of(step)).describe())
        .isEqualTo("single(claude effort=high thinking=2048 max_tokens=8192)");
  }

  @Test
  void plansAreComparableData() {
    assertThat(Plan.cascade(List.of("a", "b"), "c")).isEqualTo(Plan.cascade(List.of("a", "b"), "c"));
    assertThat(Plan.single("a")).isNotEqualTo(Plan.single("b"));
  }

  @Test
  void cascadeSplitsIntoProbesAndEscalation() {
    Plan plan = Plan.cascade(List.of("a", "b"), "c");
    assertThat(plan.probes()).extracting(Step::model).containsExactly("a", "b");
    assertThat(plan.escalation().model()).isEqualTo("c");
    assertThat(plan.models()).containsExactly("a", "b", "c");
  }

  @Test
  void rejectsPlansThatCannotWork() {
    assertThatThrownBy(() -> new Plan(Strategy.SINGLE, List.of(Step.of("a"), Step.of("b"))))
        .hasMessageContaining("exactly one step");
    assertThatThrownBy(() -> Plan.cascade(List.of("a"), "c")).hasMessageContaining("at least two cheap steps");
    assertThatThrownBy(() -> Plan.vote(List.of("a"))).hasMessageContaining("at least two steps");
    assertThatThrownBy(() -> Plan.single(" ")).hasMessageContaining("needs a model");
  }
}
