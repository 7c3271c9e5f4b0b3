package dev.effort.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Attempt;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Plan;
import dev.effort.core.PlannedAsk;
import dev.effort.core.ProviderException;
import dev.effort.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Retries, failover, circuits and hedging around each provider call, against scripted deployments. */
class CallLinksTest {
  private static final RetryPolicy QUICK = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(50));
  private static final Executor.Spend FIXED = (ask, model, output) -> new Executor.Spent(new Usage(10, output.length(), 0), 0.001);

  private final AtomicLong clock = new AtomicLong();

  private Deployments deployments(Map<String, List<Upstream>> byModel, BreakerSettings breaker) {
    Map<String, List<Deployment>> map = new java.util.LinkedHashMap<>();
    byModel.forEach((model, ups) -> map.put(model, ups.stream().map(u -> new Deployment(u.name, u, 1, QUICK)).toList()));
    return new Deployments(map, Deployments.Balance.LATENCY, breaker, clock::get);
  }

  private static Executor executor(Deployments d) {
    return new Executor(d, List.of(), List.of(), List.of(new ChooseDeployment(d), new Retry(), new Hedge(), new Health(d)), FIXED);
  }

  private static PlannedAsk single(String model, Ask ask) {
    return new PlannedAsk(ask, Effort.HIGH, Plan.single(model), List.of());
  }

  private static Ask ask() {
    return Ask.of("What is 2+2?", Effort.HIGH);
  }

  @Test
  void aFailedDeploymentIsFailedOverAtOnceAndOnlyTheAnswerIsCharged() {
    Upstream east = new Upstream("east").then(Upstream.serverError());
    Upstream west = new Upstream("west");
    Answer a = executor(deployments(Map.of("m", List.of(east, west)), BreakerSettings.DEFAULT))
        .execute(single("m", ask()));

    assertThat(a.text()).isEqualTo("from west");
    assertThat(a.trace().attempts()).extracting(Attempt::deployment, Attempt::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("east", Attempt.FAILED),
            org.assertj.core.groups.Tuple.tuple("west", Attempt.ANSWERED));
    assertThat(a.costUsd()).as("a failure before any output costs nothing").isEqualTo(0.01);
  }

  @Test
  void aRateLimitIsRetriedAfterItsRetryAfter() {
    Upstream only = new Upstream("only").then(
        Upstream.fail(ProviderException.Kind.RATE_LIMITED, true, Optional.of(Duration.ofMillis(40))));
    long start = System.nanoTime();
    Answer a = executor(deployments(Map.of("m", List.of(only)), BreakerSettings.DEFAULT)).execute(single("m", ask()));

    assertThat(a.text()).isEqualTo("from only");
    assertThat(only.calls()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited what retry-after asked").isGreaterThanOrEqualTo(Duration.ofMillis(40));
  }

  @Test
  void aRateLimitLongerThanTheGatewayWaitsReachesTheCallerWithItsRetryAfter() {
    Upstream only = new Upstream("only").then(
        Upstream.fail(ProviderException.Kind.RATE_LIMITED, true, Optional.of(Duration.ofSeconds(30))));
    Executor e = executor(deployments(Map.of("m", List.of(only)), BreakerSettings.DEFAULT));

    assertThatThrownBy(() -> e.execute(single("m", ask())))
        .isInstanceOfSatisfying(ProviderException.class, x -> {
          assertThat(x.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
          assertThat(x.retryAfter()).contains(Duration.ofSeconds(30));
          assertThat(x.attempts()).hasSize(1);
        });
  }

  @Test
  void retriesStopAtTheirLimitAndTheFailureCarriesEveryAttempt() {
    Upstream only = new Upstream("only");
    only.otherwise = Upstream.serverError();
    Executor e = executor(deployments(Map.of("m", List.of(only)), BreakerSettings.DEFAULT));

    assertThatThrownBy(() -> e.execute(single("m", ask())))
        .isInstanceOfSatisfying(ProviderException.class, x -> assertThat(x.attempts()).hasSize(1 + QUICK.maxRetries()));
    assertThat(only.calls()).isEqualTo(3);
  }

  @Test
  void theRequestsOwnFaultIsNotRetried() {
    Upstream only = new Upstream("only").then(Upstream.fail(ProviderException.Kind.INVALID, false, Optional.empty()));
    Executor e = executor(deployments(Map.of("m", List.of(only, new Upstream("other"))), BreakerSettings.DEFAULT));

    assertThatThrownBy(() -> e.execute(single("m", ask()))).isInstanceOf(ProviderException.class);
    assertThat(only.calls()).isEqualTo(1);
  }

  @Test
  void nothingIsRetriedOnceTheClientHasPartOfTheAnswerAndWhatStreamedIsCharged() {
    Upstream east = new Upstream("east").then(Upstream.breaksAfter("The answ"));
    Upstream west = new Upstream("west");
    Executor e = executor(deployments(Map.of("m", List.of(east, west)), BreakerSettings.DEFAULT));
    List<String> got = new ArrayList<>();
    Deltas client = new Deltas() {
      @Override
      public void thinking(String delta) {}

      @Override
      public void text(String delta) {
        got.add(delta);
      }
    };

    assertThatThrownBy(() -> e.execute(single("m", ask()), client))
        .isInstanceOfSatisfying(ProviderException.class, x -> {
          assertThat(x.answerStarted()).isTrue();
          assertThat(x.costUsd()).as("the cut attempt is charged").isEqualTo(0.001);
        });
    assertThat(got).containsExactly("The answ");
    assertThat(west.calls()).isZero();
  }

  @Test
  void noRetryStartsThatTheDeadlineCouldNotWaitFor() {
    Upstream only = new Upstream("only");
    only.otherwise = Upstream.fail(ProviderException.Kind.UNAVAILABLE, true, Optional.of(Duration.ofSeconds(2)));
    var slowRetries = new Deployments(Map.of("m", List.of(new Deployment("only", only, 1,
        new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(5))))), Deployments.Balance.WEIGHT,
        BreakerSettings.DEFAULT, clock::get);
    Ask ask = ask().withDeadline(Duration.ofMillis(500));

    assertThatThrownBy(() -> executor(slowRetries).execute(single("m", ask))).isInstanceOf(ProviderException.class);
    assertThat(only.calls()).isEqualTo(1);
  }

  @Test
  void aCircuitOpensAfterFailuresIsPlannedAroundAndClosesAfterAGoodProbe() {
    var breaker = new BreakerSettings(4, 4, 0.5, Duration.ofSeconds(60), 1.0, Duration.ofSeconds(30), 1);
    Upstream east = new Upstream("east");
    east.otherwise = Upstream.serverError();
    Upstream west = new Upstream("west");
    Deployments d = deployments(Map.of("m", List.of(east, west)), breaker);
    Executor e = executor(d);
    for (int i = 0; i < 4; i++) {
      assertThat(e.execute(single("m", ask())).text()).isEqualTo("from west");
    }
    assertThat(d.circuit("m", d.of("m").get(0)).state()).isEqualTo(CircuitBreaker.State.OPEN);
    int eastCalls = east.calls();
    e.execute(single("m", ask()));
    assertThat(east.calls()).as("an open circuit takes no calls").isEqualTo(eastCalls);

    clock.addAndGet(Duration.ofSeconds(31).toNanos());
    east.otherwise = Upstream.answer("from east");
    assertThat(d.circuit("m", d.of("m").get(0)).state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    for (int i = 0; i < 3; i++) {
      e.execute(single("m", ask()));
    }
    assertThat(east.calls()).isGreaterThan(eastCalls);
    assertThat(d.circuit("m", d.of("m").get(0)).state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void everyCircuitOpenIsAnErrorThatSaysWhenToComeBack() {
    var breaker = new BreakerSettings(2, 2, 0.5, Duration.ofSeconds(60), 1.0, Duration.ofSeconds(30), 1);
    Upstream only = new Upstream("only");
    only.otherwise = Upstream.serverError();
    Executor e = executor(deployments(Map.of("m", List.of(only)), breaker));
    assertThatThrownBy(() -> e.execute(single("m", ask()))).isInstanceOf(ProviderException.class);

    assertThatThrownBy(() -> e.execute(single("m", ask())))
        .isInstanceOfSatisfying(ProviderException.class, x -> {
          assertThat(x.getMessage()).contains("circuit open");
          assertThat(x.retryAfter()).contains(Duration.ofSeconds(30));
        });
  }

  @Test
  void aLateFirstTokenStartsAHedgeAndTheFirstToAnswerWinsTheOtherCancelledAndCharged() throws Exception {
    Upstream east = new Upstream("east");
    east.then(east.slow(Duration.ofSeconds(30), "late"));
    Upstream west = new Upstream("west");
    Deployments d = new Deployments(Map.of("m", List.of(new Deployment("east", east, 1, QUICK),
        new Deployment("west", west, 1, QUICK))), Deployments.Balance.WEIGHT, BreakerSettings.DEFAULT, clock::get);
    // east first: weights are equal, so try until the order puts east first
    Ask ask = ask().withTtftDeadline(Optional.of(Duration.ofMillis(100)));
    Answer a = null;
    for (int i = 0; i < 50 && east.calls() == 0; i++) {
      a = executor(d).execute(single("m", ask));
    }

    assertThat(east.calls()).isEqualTo(1);
    assertThat(a.text()).isEqualTo("from west");
    assertThat(east.cancelled.await(5, TimeUnit.SECONDS)).as("the loser was cancelled").isTrue();
    assertThat(a.trace().attempts()).extracting(Attempt::deployment, Attempt::outcome)
        .contains(org.assertj.core.groups.Tuple.tuple("east", Attempt.CANCELLED),
            org.assertj.core.groups.Tuple.tuple("west", Attempt.ANSWERED));
    assertThat(a.costUsd()).as("the cancelled call's prompt is charged too").isGreaterThan(0.01);
  }

  @Test
  void aFirstTokenInTimeStartsNoHedge() {
    Upstream east = new Upstream("east");
    Upstream west = new Upstream("west");
    Ask ask = ask().withTtftDeadline(Optional.of(Duration.ofSeconds(10)));
    executor(deployments(Map.of("m", List.of(east, west)), BreakerSettings.DEFAULT)).execute(single("m", ask));

    assertThat(east.calls() + west.calls()).isEqualTo(1);
  }
}
