package dev.effort.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Plan;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.core.ProviderException;
import dev.effort.core.Usage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fallback along the dial, and what a plan's later steps get of the deadline and the bill. */
class PlanLinksTest {
  private static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);
  private static final String CHOICE = "Which is a fly?\nA) centipede\nB) lizard\nC) spider\nD) fly\nAnswer:";

  private final Map<String, Upstream> upstreams = new LinkedHashMap<>();

  private Upstream upstream(String model) {
    return upstreams.computeIfAbsent(model, Upstream::new);
  }

  private static Ladder ladder() {
    Map<Effort, Plan> plans = new EnumMap<>(Effort.class);
    plans.put(Effort.LOW, Plan.single("gpt-4o-mini"));
    plans.put(Effort.MEDIUM, Plan.single("gpt-5-mini"));
    plans.put(Effort.HIGH, Plan.single("gpt-4o"));
    plans.put(Effort.XHIGH, Plan.cascade(List.of("gpt-4o-mini", "gpt-5-mini"), "gpt-5"));
    plans.put(Effort.MAX, Plan.single("gpt-5"));
    return new Ladder("test", plans);
  }

  private Executor executor(Fallback.OnFailure onFailure, Map<String, List<String>> standIns) {
    Map<String, List<Deployment>> map = new LinkedHashMap<>();
    for (String m : List.of("gpt-4o-mini", "gpt-5-mini", "gpt-4o", "gpt-4.1", "gpt-5")) {
      map.put(m, List.of(new Deployment(m, upstream(m), 1, NONE)));
    }
    Deployments d = new Deployments(map, Deployments.Balance.WEIGHT, BreakerSettings.DEFAULT, System::nanoTime);
    Planner planner = new Planner(ladder(), Catalog.builtIn(), Effort.HIGH);
    Executor.Spend spend = (ask, model, output) -> new Executor.Spent(new Usage(10, 1, 0), 0.001);
    return new Executor(d, List.of(), List.of(new Fallback(planner, d, onFailure, standIns)),
        List.of(new ChooseDeployment(d), new Retry(), new Hedge(), new Health(d)), spend);
  }

  private static PlannedAsk high(Ask ask) {
    return new PlannedAsk(ask, Effort.HIGH, ladder().plan(Effort.HIGH), List.of());
  }

  @Test
  void aModelWhoseDeploymentsFailedIsReplacedByItsStandInAtTheSameLevel() {
    upstream("gpt-4o").otherwise = Upstream.serverError();
    Answer a = executor(Fallback.OnFailure.FALLBACK, Map.of("gpt-4o", List.of("gpt-4.1")))
        .execute(high(Ask.of(CHOICE, Effort.HIGH)));

    assertThat(a.text()).isEqualTo("from gpt-4.1");
    assertThat(a.trace().applied()).isEqualTo(Effort.HIGH);
    assertThat(a.trace().fallback()).hasValueSatisfying(f -> assertThat(f).contains("gpt-4o").contains("gpt-4.1"));
    assertThat(a.trace().downgrade()).isEmpty();
  }

  @Test
  void withoutAStandInOrWhenAskedToLowerItRunsTheNearestLowerLevel() {
    upstream("gpt-4o").otherwise = Upstream.serverError();
    for (Fallback.OnFailure mode : List.of(Fallback.OnFailure.FALLBACK, Fallback.OnFailure.LOWER)) {
      Map<String, List<String>> standIns = mode == Fallback.OnFailure.LOWER ? Map.of("gpt-4o", List.of("gpt-4.1")) : Map.of();
      Answer a = executor(mode, standIns).execute(high(Ask.of(CHOICE, Effort.HIGH)));

      assertThat(a.text()).as(mode.name()).isEqualTo("from gpt-5-mini");
      assertThat(a.trace().applied()).isEqualTo(Effort.MEDIUM);
      assertThat(a.trace().downgrade()).hasValueSatisfying(d -> assertThat(d).contains("lowered from high to medium"));
    }
  }

  @Test
  void onFailureErrorGivesTheFailure() {
    upstream("gpt-4o").otherwise = Upstream.serverError();
    assertThatThrownBy(() -> executor(Fallback.OnFailure.ERROR, Map.of("gpt-4o", List.of("gpt-4.1")))
        .execute(high(Ask.of(CHOICE, Effort.HIGH)))).isInstanceOf(ProviderException.class);
    assertThat(upstream("gpt-4.1").calls()).isZero();
  }

  @Test
  void noFallbackOnceTheClientHasPartOfTheAnswer() {
    upstream("gpt-4o").then(Upstream.breaksAfter("D"));
    Deltas client = new Deltas() {
      @Override
      public void thinking(String delta) {}

      @Override
      public void text(String delta) {}
    };
    assertThatThrownBy(() -> executor(Fallback.OnFailure.FALLBACK, Map.of())
        .execute(high(Ask.of(CHOICE, Effort.HIGH)), client)).isInstanceOf(ProviderException.class);
    assertThat(upstream("gpt-5-mini").calls()).isZero();
  }

  @Test
  void aCascadeWhoseEscalationFailsIsChargedForItsProbes() {
    upstream("gpt-4o-mini").otherwise = Upstream.answer("A");
    upstream("gpt-5-mini").otherwise = Upstream.answer("B"); // disagree: escalate
    upstream("gpt-5").otherwise = Upstream.fail(ProviderException.Kind.INVALID, false, Optional.empty());
    PlannedAsk xhigh = new PlannedAsk(Ask.of(CHOICE, Effort.XHIGH), Effort.XHIGH, ladder().plan(Effort.XHIGH), List.of());

    assertThatThrownBy(() -> executor(Fallback.OnFailure.FALLBACK, Map.of()).execute(xhigh))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.attempts()).hasSize(3);
          assertThat(e.costUsd()).as("two probes at $0.01").isEqualTo(0.02, org.assertj.core.api.Assertions.within(1e-9));
        });
  }

  @Test
  void theEscalationGetsWhatIsLeftOfTheDeadlineNotANewOne() {
    upstream("gpt-4o-mini").otherwise = upstream("gpt-4o-mini").slow(Duration.ofMillis(300), "A");
    upstream("gpt-5-mini").otherwise = Upstream.answer("B");
    Ask ask = Ask.of(CHOICE, Effort.XHIGH).withDeadline(Duration.ofSeconds(20));
    executor(Fallback.OnFailure.FALLBACK, Map.of())
        .execute(new PlannedAsk(ask, Effort.XHIGH, ladder().plan(Effort.XHIGH), List.of()));

    Duration escalationGot = upstream("gpt-5").asks.get(0).deadline().orElseThrow();
    assertThat(escalationGot).isLessThanOrEqualTo(Duration.ofSeconds(20).minusMillis(300));
  }

  @Test
  void aModelWithEveryCircuitOpenIsPlannedAroundWithoutACall() {
    upstream("gpt-4o").otherwise = Upstream.serverError();
    Executor e = executor(Fallback.OnFailure.LOWER, Map.of());
    for (int i = 0; i < BreakerSettings.DEFAULT.minCalls(); i++) {
      e.execute(high(Ask.of(CHOICE, Effort.HIGH)));
    }
    int calls = upstream("gpt-4o").calls();
    Answer a = e.execute(high(Ask.of(CHOICE, Effort.HIGH)));

    assertThat(upstream("gpt-4o").calls()).as("open: not called").isEqualTo(calls);
    assertThat(a.trace().applied()).isEqualTo(Effort.MEDIUM);
    assertThat(a.trace().fallback()).isPresent();
  }
}
