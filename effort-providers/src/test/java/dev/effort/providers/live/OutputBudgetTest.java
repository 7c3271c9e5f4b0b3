package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Message;
import dev.effort.core.Step;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OutputBudgetTest {

  @Test
  void thinkingComesOnTopOfTheAnswersRoomWhereTheModelAllows() {
    assertThat(OutputBudget.of(8192, 4096, 64_000)).isEqualTo(new OutputBudget(12_288, 4096));
    assertThat(OutputBudget.of(8192, 0, 64_000)).isEqualTo(new OutputBudget(8192, 0));
  }

  @Test
  void theAnswerNeverExceedsTheModelsLimit() {
    assertThat(OutputBudget.of(100_000, 0, 16_384)).isEqualTo(new OutputBudget(16_384, 0));
  }

  @Test
  void whereTheLimitIsTightThinkingGivesWayDownToTheAnswersMinimumRoom() {
    OutputBudget b = OutputBudget.of(8192, 32_000, 32_000);
    assertThat(b.maxTokens()).isEqualTo(32_000);
    assertThat(b.thinkingTokens()).isEqualTo(32_000 - OutputBudget.MIN_ANSWER_ROOM);
    assertThat(b.maxTokens() - b.thinkingTokens()).isEqualTo(OutputBudget.MIN_ANSWER_ROOM);
  }

  @Test
  void aSmallClientCapKeepsItsRoomAndThinkingTheRest() {
    OutputBudget b = OutputBudget.of(500, 40_000, 32_000);
    assertThat(b).isEqualTo(new OutputBudget(32_000, 31_500));
  }

  @Test
  void aLimitTooSmallForAnyThinkingLeavesItAllToTheAnswer() {
    assertThat(OutputBudget.of(8192, 1024, 4096)).isEqualTo(new OutputBudget(4096, 0));
  }

  @Test
  void anUnknownLimitClampsNothing() {
    assertThat(OutputBudget.of(8192, 32_000, 0)).isEqualTo(new OutputBudget(40_192, 32_000));
  }

  @Test
  void theRoomForThinkingRisesWithTheLevel() {
    int previous = 0;
    for (Effort level : Effort.LEVELS) {
      assertThat(OutputBudget.thinkingTokensFor(level)).isGreaterThan(previous);
      previous = OutputBudget.thinkingTokensFor(level);
    }
    assertThat(OutputBudget.thinkingTokensFor(Effort.LOW)).isEqualTo(OutputBudget.MIN_ANTHROPIC_THINKING_BUDGET);
  }

  @Test
  void theAnswersCapIsTheSmallerOfThePlansAndTheClients() {
    Ask capped = new Ask(List.of(Message.user("q")), Effort.LOW, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Map.of(), OptionalInt.of(700));
    Ask open = Ask.of("q", Effort.LOW);
    Step planCap = new Step("m", Optional.empty(), OptionalInt.empty(), OptionalInt.of(500));
    assertThat(planCap.answerCap(capped)).hasValue(500);
    assertThat(Step.of("m").answerCap(capped)).hasValue(700);
    assertThat(planCap.answerCap(open)).hasValue(500);
    assertThat(Step.of("m").answerCap(open)).isEmpty();
  }
}
