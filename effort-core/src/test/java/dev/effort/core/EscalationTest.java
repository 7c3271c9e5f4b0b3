package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EscalationTest {
  private static final String CHOICE_PROMPT = "Which is a fly?\nA) centipede\nB) lizard\nC) spider\nD) fly\nAnswer:";
  private static final String CODE_PROMPT = "Write a function to reverse a list.\nassert reverse_list([1, 2]) == [2, 1]";

  /** Answers per model with a fixed text; a call costs its model's price; records every call. */
  private record Scripted(Map<String, String> texts, List<String> calls) implements Provider {
    Scripted(Map<String, String> texts) {
      this(texts, Collections.synchronizedList(new ArrayList<>()));
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public Completion complete(Ask ask, Step step) {
      calls.add(step.model());
      double price = switch (step.model()) {
        case "big" -> 5.0;
        case "mid" -> 1.0;
        default -> 0.1;
      };
      return new Completion(step.model(), texts.get(step.model()), new Usage(10, 1, 0), price,
          Duration.ofMillis(10), Duration.ofMillis(100));
    }
  }

  /** Gates that trust agreement: score high when more than half of the answers so far agree. */
  private static Escalation.Gate trustsAgreement(int answers) {
    List<Double> w = new ArrayList<>(Collections.nCopies(EscalationSignals.length(answers), 0.0));
    int block = (EscalationSignals.length(answers) / EscalationFormat.values().length) * EscalationFormat.CHOICE.ordinal();
    w.set(block, -6.0); // bias: a majority of two in three passes, a split of two does not
    w.set(block + 1, 10.0); // share agreeing
    return Escalation.Gate.of(w, 0.5);
  }

  private static final Plan PLAN = Plan.escalate(List.of(List.of("a", "b"), List.of("mid"), List.of("big")),
      List.of(trustsAgreement(2), trustsAgreement(3)), "test");

  private static Answer run(Scripted provider, Plan plan, String prompt) {
    return new Executor(model -> provider).execute(new PlannedAsk(Ask.of(prompt, Effort.AUTO), Effort.AUTO, plan, List.of()));
  }

  @Test
  void acceptsAfterTheFirstStageWhenTheGateScoresAgreementHigh() {
    var provider = new Scripted(Map.of("a", "D", "b", "D) fly", "mid", "C", "big", "C"));
    Answer answer = run(provider, PLAN, CHOICE_PROMPT);

    assertThat(answer.text()).isEqualTo("D) fly");
    assertThat(provider.calls()).containsExactlyInAnyOrder("a", "b");
    assertThat(answer.costUsd()).as("pays for the stage that ran").isCloseTo(0.2, within(1e-9));
    assertThat(answer.trace().notes()).anyMatch(n -> n.contains("stage 1 scored") && n.contains("accepted"));
  }

  @Test
  void escalatesStageByStageAndPaysForEveryStageThatRan() {
    var provider = new Scripted(Map.of("a", "A", "b", "B", "mid", "C", "big", "D"));
    Answer answer = run(provider, PLAN, CHOICE_PROMPT);

    assertThat(answer.model()).isEqualTo("big");
    assertThat(answer.text()).isEqualTo("D");
    assertThat(provider.calls()).containsExactlyInAnyOrder("a", "b", "mid", "big");
    assertThat(answer.costUsd()).isCloseTo(0.1 + 0.1 + 1.0 + 5.0, within(1e-9));
    assertThat(answer.latency()).as("stages run one after another").isEqualTo(Duration.ofMillis(300));
    assertThat(answer.trace().steps()).filteredOn(StepTrace::used).extracting(s -> s.step().model()).containsExactly("big");
  }

  @Test
  void aLowScoreSkipsStraightToTheLastStage() {
    Escalation.Gate first = trustsAgreement(2);
    List<Double> never = Collections.nCopies(EscalationFormat.values().length, 1.01);
    Plan skipping = Plan.escalate(List.of(List.of("a", "b"), List.of("mid"), List.of("big")),
        List.of(new Escalation.Gate(first.weights(), first.accept(), never), trustsAgreement(3)), "test");
    var provider = new Scripted(Map.of("a", "A", "b", "B", "mid", "B", "big", "D"));
    Answer answer = run(provider, skipping, CHOICE_PROMPT);

    assertThat(provider.calls()).containsExactlyInAnyOrder("a", "b", "big");
    assertThat(answer.text()).isEqualTo("D");
    assertThat(answer.costUsd()).isCloseTo(0.1 + 0.1 + 5.0, within(1e-9));
  }

  @Test
  void theMiddleStageCanSettleADisagreement() {
    var provider = new Scripted(Map.of("a", "A", "b", "B", "mid", "B", "big", "D"));
    Answer answer = run(provider, PLAN, CHOICE_PROMPT);

    assertThat(provider.calls()).doesNotContain("big");
    assertThat(EscalationSignals.chosen(CHOICE_PROMPT, List.of("A", "B", "B"))).isEqualTo(2);
    assertThat(answer.text()).isEqualTo("B");
  }

  @Test
  void signalsReadWhetherCodeDefinesTheFunctionTheTestsCall() {
    String good = "Here:\n```python\ndef reverse_list(xs):\n    return xs[::-1]\n```";
    String wrongName = "```python\ndef rev(xs):\n    return xs[::-1]\n```";
    String cutOff = "```python\ndef reverse_list(xs):\n    return list(reversed(xs\n```";
    assertThat(CodeAnswer.valid(CODE_PROMPT, good)).isTrue();
    assertThat(CodeAnswer.valid(CODE_PROMPT, wrongName)).isFalse();
    assertThat(CodeAnswer.valid(CODE_PROMPT, cutOff)).isFalse();
    assertThat(CodeAnswer.valid(CODE_PROMPT, "```python\ndef reverse_list(a, b, c):\n    pass\n```")).as("arity").isFalse();
    assertThat(EscalationSignals.chosen(CODE_PROMPT, List.of(good, wrongName))).as("the later answer has no usable code")
        .isEqualTo(0);
  }

  @Test
  void planJsonCarriesStagesAndGates() {
    Plan back = PlanJson.read(PlanJson.write(PLAN), "test");
    assertThat(back).isEqualTo(PLAN);
    assertThat(back.describe()).isEqualTo("escalate(a, b -> mid -> big; learned for test)");
  }

  @Test
  void rejectsGatesThatDoNotFitTheStages() {
    assertThatThrownBy(() -> Plan.escalate(List.of(List.of("a", "b"), List.of("big")), List.of(trustsAgreement(3)), "x"))
        .hasMessageContaining("gate 1 needs");
    assertThatThrownBy(() -> new Plan(Strategy.ESCALATE, List.of(Step.of("a"), Step.of("b"))))
        .hasMessageContaining("escalate plans");
  }
}
