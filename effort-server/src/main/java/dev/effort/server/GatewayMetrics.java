package dev.effort.server;

import dev.effort.core.Answer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Prometheus metrics: requests, latency, tokens and cost by API, effort level, model and status. */
final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** One finished request; {@code answer} is null when it failed. */
  void record(String api, String asked, String applied, String model, int status, Duration took, Answer answer) {
    String s = Integer.toString(status);
    Counter.builder("effort_requests").description("Chat requests answered or refused")
        .tags("api", api, "effort", asked, "applied", applied, "model", model, "status", s)
        .register(registry).increment();
    Timer.builder("effort_request_duration").description("Time from request to last byte, in the gateway")
        .tags("api", api, "applied", applied, "status", s)
        .publishPercentileHistogram()
        .register(registry).record(took);
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

  /** Adds the tempo guard's per-key gauges. */
  void bind(Governance governance) {
    governance.bindMetrics(registry);
  }

  String scrape() {
    return registry.scrape();
  }
}
