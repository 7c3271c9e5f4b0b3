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

class ExecutorTest {
  private static final String CHOICE_PROMPT = "Which is a fly?\nA) centipede\nB) lizard\nC) spider\nD) fly\nAnswer:";
  private static final String CODE_PROMPT = "Write a function to reverse a list.";

  /** Answers per model with a fixed text, cost and latency; records every call. */
  private static final class ScriptedProvider implements Provider {
    final Map<String, String> texts;
    final Map<String, Long> latencyMs;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    ScriptedProvider(Map<String, String> texts, Map<String, Long> latencyMs) {
      this.texts = texts;
      this.latencyMs = latencyMs;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public Completion complete(Ask ask, Step step) {
      calls.add(step.model());
      String text = texts.get(step.model());
      if (text == null) {
        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, step.model() + " is down");
      }
      long ms = latencyMs.get(step.model());
      return new Completion(step.model(), text, new Usage(10, 1, 0), ms / 1000.0,
          Duration.ofMillis(ms / 4), Duration.ofMillis(ms));
    }
  }

  private static Answer run(ScriptedProvider provider, Plan plan, String prompt) {
    PlannedAsk planned = new PlannedAsk(Ask.of(prompt, Effort.HIGH), Effort.HIGH, plan, List.of());
    return new Executor(model -> provider).execute(planned);
  }

  @Test
  void cascadeAcceptsTheCheapAnswerWhenProbesAgree() {
    var provider = new ScriptedProvider(Map.of("a", "D", "b", "D) fly", "big", "C"), Map.of("a", 100L, "b", 300L, "big", 2000L));
    Answer answer = run(provider, Plan.cascade(List.of("a", "b"), "big"), CHOICE_PROMPT);

    assertThat(answer.text()).isEqualTo("D");
    assertThat(answer.model()).isEqualTo("a");
    assertThat(provider.calls).containsExactlyInAnyOrder("a", "b");
    assertThat(answer.costUsd()).isCloseTo(0.4, within(1e-9));
    assertThat(answer.latency()).as("probes run in parallel: the slowest counts").isEqualTo(Duration.ofMillis(300));
    assertThat(answer.trace().notes()).anyMatch(n -> n.contains("agreed on D"));
    assertThat(answer.trace().steps()).extracting(StepTrace::role).containsExactly("probe", "probe");
  }

  @Test
  void cascadeEscalatesWhenProbesDisagree() {
    var provider = new ScriptedProvider(Map.of("a", "A", "b", "B", "big", "D"), Map.of("a", 100L, "b", 300L, "big", 2000L));
    Answer answer = run(provider, Plan.cascade(List.of("a", "b"), "big"), CHOICE_PROMPT);

    assertThat(answer.text()).isEqualTo("D");
    assertThat(answer.model()).isEqualTo("big");
    assertThat(answer.costUsd()).isCloseTo(0.1 + 0.3 + 2.0, within(1e-9));
    assertThat(answer.latency()).as("escalation waits for the probes").isEqualTo(Duration.ofMillis(300 + 2000));
    assertThat(answer.ttft()).isEqualTo(Duration.ofMillis(300 + 500));
    assertThat(answer.trace().notes()).anyMatch(n -> n.contains("escalated to big"));
    assertThat(answer.trace().steps()).filteredOn(StepTrace::used).extracting(s -> s.step().model()).containsExactly("big");
  }

  @Test
  void cascadeSkipsProbesWhenAnswersCannotBeCompared() {
    var provider = new ScriptedProvider(Map.of("a", "def f(): pass", "b", "def f(): pass", "big", "def g(): pass"),
        Map.of("a", 100L, "b", 300L, "big", 2000L));
    Answer answer = run(provider, Plan.cascade(List.of("a", "b"), "big"), CODE_PROMPT);

    assertThat(provider.calls).containsExactly("big");
    assertThat(answer.costUsd()).isCloseTo(2.0, within(1e-9));
    assertThat(answer.trace().notes()).anyMatch(n -> n.contains("free-form"));
  }

  @Test
  void aFailedProbeCountsAsDisagreement() {
    var provider = new ScriptedProvider(Map.of("a", "D", "big", "D"), Map.of("a", 100L, "big", 2000L));
    Answer answer = run(provider, Plan.cascade(List.of("a", "down"), "big"), CHOICE_PROMPT);

    assertThat(answer.model()).isEqualTo("big");
    assertThat(answer.trace().notes()).anyMatch(n -> n.contains("probe down failed"));
  }

  @Test
  void aFailedSingleCallSurfacesTheProviderError() {
    var provider = new ScriptedProvider(Map.of(), Map.of());
    assertThatThrownBy(() -> run(provider, Plan.single("down"), CHOICE_PROMPT))
        .isInstanceOf(ProviderException.class).hasMessageContaining("down is down");
  }

  @Test
  void voteTakesTheMajorityAndPaysForEverySample() {
    var provider = new ScriptedProvider(Map.of("a", "A", "b", "C", "c", "C)"), Map.of("a", 100L, "b", 200L, "c", 700L));
    Answer answer = run(provider, Plan.vote(List.of("a", "b", "c")), CHOICE_PROMPT);

    assertThat(answer.text()).isEqualTo("C");
    assertThat(answer.model()).isEqualTo("b");
    assertThat(answer.costUsd()).isCloseTo(1.0, within(1e-9));
    assertThat(answer.latency()).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void voteTieGoesToTheStepListedFirst() {
    var provider = new ScriptedProvider(Map.of("a", "B", "b", "A"), Map.of("a", 100L, "b", 200L));
    assertThat(run(provider, Plan.vote(List.of("a", "b")), CHOICE_PROMPT).model()).isEqualTo("a");
    assertThat(run(provider, Plan.vote(List.of("b", "a")), CHOICE_PROMPT).model()).isEqualTo("b");
  }

  @Test
  void linksRunInOrderAroundTheStrategy() {
    var provider = new ScriptedProvider(Map.of("a", "A"), Map.of("a", 100L));
    List<String> seen = new ArrayList<>();
    Executor.Link first = (planned, next) -> {
      seen.add("first in");
      Answer a = next.proceed(planned);
      seen.add("first out");
      return a;
    };
    Executor.Link second = (planned, next) -> {
      seen.add("second in");
      return next.proceed(planned);
    };
    PlannedAsk planned = new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.LOW), Effort.LOW, Plan.single("a"), List.of());
    new Executor(m -> provider, List.of(first, second)).execute(planned);
    assertThat(seen).containsExactly("first in", "second in", "first out");
  }

  @Test
  void exchangeLinksRunBeforeThePlanExistsThenPlanLinksAroundTheStrategy() {
    var provider = new ScriptedProvider(Map.of("a", "A"), Map.of("a", 100L));
    List<String> seen = new ArrayList<>();
    PlannedAsk plannedA = new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.LOW), Effort.LOW, Plan.single("a"), List.of());
    Executor.ExchangeLink guard = (exchange, next) -> {
      seen.add("guard, planned: " + exchange.planned().isPresent());
      Answer a = next.proceed(exchange);
      seen.add("guard out");
      return a;
    };
    Executor.ExchangeLink plan = (exchange, next) -> {
      exchange.plan(plannedA);
      return next.proceed(exchange);
    };
    Executor.Link aroundThePlan = (planned, next) -> {
      seen.add("plan link sees " + planned.plan().describe());
      return next.proceed(planned);
    };
    Answer answer = new Executor(m -> provider, List.of(guard, plan), List.of(aroundThePlan))
        .execute(new Exchange(Ask.of(CHOICE_PROMPT, Effort.LOW)));

    assertThat(answer.model()).isEqualTo("a");
    assertThat(seen).containsExactly("guard, planned: false", "plan link sees single(a)", "guard out");
  }

  @Test
  void theChainCanStartBeforeTheAskIsReadAndALinkCanReplaceThePlan() {
    var provider = new ScriptedProvider(Map.of("a", "A", "b", "B"), Map.of("a", 100L, "b", 100L));
    Ask ask = Ask.of(CHOICE_PROMPT, Effort.HIGH);
    Executor.ExchangeLink readAsk = (exchange, next) -> {
      exchange.ask(ask);
      return next.proceed(exchange);
    };
    Executor.ExchangeLink plan = (exchange, next) -> {
      exchange.plan(new PlannedAsk(exchange.ask(), Effort.HIGH, Plan.single("a"), List.of()));
      return next.proceed(exchange);
    };
    Executor.ExchangeLink cheaper = (exchange, next) -> {
      exchange.plan(new PlannedAsk(exchange.ask(), Effort.LOW, Plan.single("b"), List.of("lowered")));
      return next.proceed(exchange);
    };

    Answer answer = new Executor(m -> provider, List.of(readAsk, plan, cheaper), List.of()).execute(new Exchange());

    assertThat(answer.model()).isEqualTo("b");
    assertThat(answer.trace().notes()).containsExactly("lowered");
    assertThat(provider.calls).containsExactly("b");
  }

  @Test
  void thePlanningLinkPlansWithinTheExchangesCeilingUnlessTheAskCamePlanned() {
    var provider = new StreamingProvider();
    Planner planner = new Planner(Ladder.routerBench(), Catalog.builtIn(), Effort.HIGH);
    Executor executor = new Executor(m -> provider, List.of(Executor.planning(planner)), List.of());
    Exchange capped = new Exchange(Ask.of(CHOICE_PROMPT, Effort.MAX));
    capped.ceiling(new Planner.Ceiling(Effort.LOW, "key 'k' has max_effort low"));

    Answer answer = executor.execute(capped);

    assertThat(answer.trace().applied()).isEqualTo(Effort.LOW);
    assertThat(answer.trace().downgrade()).hasValueSatisfying(d -> assertThat(d).endsWith("key 'k' has max_effort low"));
    PlannedAsk given = new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.MAX), Effort.MAX, Plan.single("given"), List.of());
    assertThat(executor.execute(given).model()).isEqualTo("given");
  }

  @Test
  void aChainWithoutPlanningSaysSo() {
    var provider = new ScriptedProvider(Map.of("a", "A"), Map.of("a", 100L));
    assertThatThrownBy(() -> new Executor(m -> provider).execute(new Exchange(Ask.of(CHOICE_PROMPT, Effort.LOW))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Executor.planning");
  }

  @Test
  void theTraceCarriesAskedAndAppliedLevelsAndPlannerNotes() {
    var provider = new ScriptedProvider(Map.of("a", "A"), Map.of("a", 100L));
    PlannedAsk planned = new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.MAX), Effort.LOW, Plan.single("a"), List.of("lowered"));
    Trace trace = new Executor(m -> provider).execute(planned).trace();
    assertThat(trace.asked()).isEqualTo(Effort.MAX);
    assertThat(trace.applied()).isEqualTo(Effort.LOW);
    assertThat(trace.notes()).containsExactly("lowered");
  }

  /** Records deltas in order, tagged by kind. */
  private static final class Recorded implements Deltas {
    final List<String> events = new ArrayList<>();

    @Override
    public void thinking(String delta) {
      events.add("thinking:" + delta);
    }

    @Override
    public void text(String delta) {
      events.add("text:" + delta);
    }
  }

  /** Streams its answer in two pieces, after its thinking. */
  private static class StreamingProvider implements Provider {
    final List<String> streamed = new ArrayList<>();

    @Override
    public String name() {
      return "streaming";
    }

    @Override
    public Completion complete(Ask ask, Step step) {
      return new Completion(step.model(), "answer " + step.model(), "", Usage.ZERO, 0, Duration.ZERO, Duration.ZERO);
    }

    @Override
    public Completion stream(Ask ask, Step step, Deltas deltas) {
      streamed.add(step.model());
      deltas.thinking("hmm");
      deltas.text("D");
      deltas.text(" is right");
      return new Completion(step.model(), "D is right", "hmm", Usage.ZERO, 0, Duration.ZERO, Duration.ZERO);
    }
  }

  @Test
  void aSingleCallStreamsThinkingAndTextAsTheProviderSendsThem() {
    var provider = new StreamingProvider();
    var deltas = new Recorded();
    Answer answer = new Executor(model -> provider).execute(
        new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.LOW), Effort.LOW, Plan.single("m"), List.of()), deltas);

    assertThat(deltas.events).containsExactly("thinking:hmm", "text:D", "text: is right");
    assertThat(answer.text()).isEqualTo("D is right");
    assertThat(answer.thinking()).isEqualTo("hmm");
  }

  @Test
  void aCascadeNeverStreamsProbesAndPassesOnTheAcceptedAnswerWhole() {
    var provider = new ScriptedProvider(Map.of("a", "D", "b", "D) fly", "big", "C"), Map.of("a", 100L, "b", 300L, "big", 2000L));
    var deltas = new Recorded();
    new Executor(model -> provider).execute(new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.HIGH), Effort.HIGH,
        Plan.cascade(List.of("a", "b"), "big"), List.of()), deltas);

    assertThat(deltas.events).containsExactly("text:D");
  }

  @Test
  void aCascadeThatEscalatesStreamsTheEscalationOnly() {
    var provider = new StreamingProvider() {
      @Override
      public Completion complete(Ask ask, Step step) {
        String text = step.model().equals("a") ? "A" : "B";
        return new Completion(step.model(), text, Usage.ZERO, 0, Duration.ZERO, Duration.ZERO);
      }
    };
    var deltas = new Recorded();
    Answer answer = new Executor(model -> provider).execute(new PlannedAsk(Ask.of(CHOICE_PROMPT, Effort.HIGH),
        Effort.HIGH, Plan.cascade(List.of("a", "b"), "big"), List.of()), deltas);

    assertThat(provider.streamed).containsExactly("big");
    assertThat(deltas.events).containsExactly("thinking:hmm", "text:D", "text: is right");
    assertThat(answer.model()).isEqualTo("big");
  }
}
