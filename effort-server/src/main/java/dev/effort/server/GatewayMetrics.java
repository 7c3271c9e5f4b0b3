package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Attempt;
import dev.effort.core.resilience.CircuitBreaker;
import dev.effort.core.resilience.Deployments;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Prometheus metrics: requests, latency, tokens and cost by API, effort level, model and status.
 * Each meter is built and registered once, on its first use, and then found by its tags in a map:
 * a request costs map lookups, not meter builders and registry lookups.
 */
final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private record RequestTags(String api, String asked, String applied, String model, int status) {}

  private record DurationTags(String api, String applied, int status) {}

  private record AttemptTags(String model, String deployment, String outcome) {}

  private record FallbackTags(String api, String applied) {}

  private record AnswerTags(String api, String applied, String model) {}

  private record RetryTags(String model, String deployment) {}

  /** What an answer adds to: its tokens by type and its cost. */
  private record AnswerCounters(Counter input, Counter output, Counter thinking, Counter cost) {}

  private final Map<RequestTags, Counter> requests = new ConcurrentHashMap<>();
  private final Map<DurationTags, Timer> durations = new ConcurrentHashMap<>();
  private final Map<AttemptTags, Counter> attempts = new ConcurrentHashMap<>();
  private final Map<FallbackTags, Counter> fallbacks = new ConcurrentHashMap<>();
  private final Map<AnswerTags, AnswerCounters> answers = new ConcurrentHashMap<>();
  private final Map<RetryTags, Counter> retries = new ConcurrentHashMap<>();

  /** One finished request; {@code answer} is null when it failed. */
  void record(String api, String asked, String applied, String model, int status, Duration took, Answer answer,
      List<Attempt> attempts) {
    requests.computeIfAbsent(new RequestTags(api, asked, applied, model, status), t ->
        Counter.builder("effort_requests").description("Chat requests answered or refused")
            .tags("api", t.api(), "effort", t.asked(), "applied", t.applied(), "model", t.model(),
                "status", Integer.toString(t.status()))
            .register(registry)).increment();
    durations.computeIfAbsent(new DurationTags(api, applied, status), t ->
        Timer.builder("effort_request_duration").description("Time from request to last byte, in the gateway")
            .tags("api", t.api(), "applied", t.applied(), "status", Integer.toString(t.status()))
            .publishPercentileHistogram()
            .register(registry)).record(took);
    for (Attempt a : attempts) {
      this.attempts.computeIfAbsent(new AttemptTags(a.model(), a.deployment(), a.outcome()), t ->
          Counter.builder("effort_upstream_attempts").description("Upstream calls by outcome (answered, failed, cancelled)")
              .tags("model", t.model(), "deployment", t.deployment(), "outcome", t.outcome())
              .register(registry)).increment();
    }
    if (answer != null && answer.trace().fallback().isPresent()) {
      fallbacks.computeIfAbsent(new FallbackTags(api, applied), t ->
          Counter.builder("effort_fallbacks").description("Answers from a fallback plan, the plan asked having failed")
              .tags("api", t.api(), "applied", t.applied()).register(registry)).increment();
    }
    if (answer != null) {
      AnswerCounters c = answers.computeIfAbsent(new AnswerTags(api, applied, model), this::answerCounters);
      c.input().increment(answer.usage().inputTokens());
      c.output().increment(answer.usage().outputTokens());
      c.thinking().increment(answer.usage().thinkingTokens());
      c.cost().increment(answer.costUsd());
    }
  }

  private AnswerCounters answerCounters(AnswerTags t) {
    return new AnswerCounters(tokens(t, "input"), tokens(t, "output"), tokens(t, "thinking"),
        Counter.builder("effort_cost_usd").description("Upstream cost of answers, US dollars")
            .tags("api", t.api(), "applied", t.applied(), "model", t.model())
            .register(registry));
  }

  private Counter tokens(AnswerTags t, String type) {
    return Counter.builder("effort_tokens").description("Tokens of answers by type")
        .tags("api", t.api(), "applied", t.applied(), "model", t.model(), "type", type)
        .register(registry);
  }

  /** One retry of a failed upstream call (at another deployment, or after a backoff). */
  void retried(String model, String deployment) {
    retries.computeIfAbsent(new RetryTags(model, deployment), t ->
        Counter.builder("effort_retries").description("Upstream calls tried again after a failure")
            .tags("model", t.model(), "deployment", t.deployment()).register(registry)).increment();
  }

  /** Each deployment's circuit: 0 closed, 1 half-open (a probe may go), 2 open; and how often it opened. */
  void bind(Deployments deployments) {
    for (Deployments.Health h : deployments.health()) {
      Gauge.builder("effort_circuit_state", deployments, d -> d.health().stream()
              .filter(x -> x.model().equals(h.model()) && x.deployment().equals(h.deployment()))
              .mapToDouble(x -> x.state().ordinal() == 0 ? 0 : x.state() == CircuitBreaker.State.HALF_OPEN ? 1 : 2)
              .findFirst().orElse(0))
          .description("Circuit of each deployment: 0 closed, 1 half-open, 2 open")
          .tags("model", h.model(), "deployment", h.deployment()).register(registry);
      FunctionCounter.builder("effort_circuit_opened", deployments, d -> d.health().stream()
              .filter(x -> x.model().equals(h.model()) && x.deployment().equals(h.deployment()))
              .mapToDouble(Deployments.Health::timesOpened).findFirst().orElse(0))
          .description("Times each deployment's circuit opened")
          .tags("model", h.model(), "deployment", h.deployment()).register(registry);
    }
  }

  /** Adds the tempo guard's per-key gauges. */
  void bind(Governance governance) {
    governance.bindMetrics(registry);
  }

  String scrape() {
    return registry.scrape();
  }
}
