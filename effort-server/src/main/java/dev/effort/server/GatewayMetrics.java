package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Attempt;
import dev.effort.core.resilience.CircuitBreaker;
import dev.effort.core.resilience.Deployments;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Prometheus metrics: requests, latency, tokens and cost by API, effort level, model and status. */
final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** One finished request; {@code answer} is null when it failed. */
  void record(String api, String asked, String applied, String model, int status, Duration took, Answer answer,
      List<Attempt> attempts) {
    String s = Integer.toString(status);
    Counter.builder("effort_requests").description("Chat requests answered or refused")
        .tags("api", api, "effort", asked, "applied", applied, "model", model, "status", s)
        .register(registry).increment();
    Timer.builder("effort_request_duration").description("Time from request to last byte, in the gateway")
        .tags("api", api, "applied", applied, "status", s)
        .publishPercentileHistogram()
        .register(registry).record(took);
    for (Attempt a : attempts) {
      Counter.builder("effort_upstream_attempts").description("Upstream calls by outcome (answered, failed, cancelled)")
          .tags("model", a.model(), "deployment", a.deployment(), "outcome", a.outcome())
          .register(registry).increment();
    }
    if (answer != null && answer.trace().fallback().isPresent()) {
      Counter.builder("effort_fallbacks").description("Answers from a fallback plan, the plan asked having failed")
          .tags("api", api, "applied", applied).register(registry).increment();
    }
    if (answer != null) {
      tokens(api, applied, model, "input", answer.usage().inputTokens());
      tokens(api, applied, model, "output", answer.usage().outputTokens());
      tokens(api, applied, model, "thinking", answer.usage().thinkingTokens());
      Counter.builder("effort_cost_usd").description("Upstream cost of answers, US dollars")
          .tags("api", api, "applied", applied, "model", model)
          .register(registry).increment(answer.costUsd());
    }
  }

  private void tokens(String api, String applied, String model, String type, long n) {
    Counter.builder("effort_tokens").description("Tokens of answers by type")
        .tags("api", api, "applied", applied, "model", model, "type", type)
        .register(registry).increment(n);
  }

  /** One retry of a failed upstream call (at another deployment, or after a backoff). */
  void retried(String model, String deployment) {
    Counter.builder("effort_retries").description("Upstream calls tried again after a failure")
        .tags("model", model, "deployment", deployment).register(registry).increment();
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
