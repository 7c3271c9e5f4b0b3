package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.server.traces.Tracing;
import java.io.IOException;
import java.net.BindException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Without an {@code OTEL_*} setting that asks for traces, none are made or sent. */
class NoTracesTest {

  @Test
  void withoutOtelSettingsNothingIsExported() throws Exception {
    // A collector where OTLP over HTTP goes by default: nothing must reach it.
    OtlpCollector collector;
    try {
      collector = new OtlpCollector(4318);
    } catch (BindException e) {
      Assumptions.abort("port 4318 is taken");
      return;
    }
    try (collector) {
      Tracing tracing = Tracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "effort-under-test"));
      assertThat(tracing.on()).isFalse();
      Gateway g = Gateway.start(GatewayConfig.defaults(), Fleets.replay(Catalog.builtIn(), Ladder.routerBench(),
          RunningGateway.data()), Optional.empty(), Optional.empty(), 0, tracing);
      try (RunningGateway gateway = new RunningGateway(g)) {
        String prompt = TracesTest.arc().get(0).prompt();
        HttpResponse<String> r = gateway.post("/v1/chat/completions", GatewayTest.openAiBody("effort", prompt, ""),
            "Effort", "medium");
        assertThat(r.statusCode()).isEqualTo(200);
      }
      Thread.sleep(300);
      assertThat(collector.posts()).isZero();
    }
  }

  @Test
  void tracingIsOffUnlessTheEnvironmentAsksForOtlp() throws IOException {
    assertThat(Tracing.fromEnvironment(Map.of()).on()).isFalse();
    assertThat(Tracing.fromEnvironment(Map.of()).describe()).startsWith("off (set OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThat(Tracing.fromEnvironment(Map.of()).requestLinks(m -> m)).isEmpty();
    assertThat(Tracing.fromEnvironment(Map.of()).attemptLinks()).isEmpty();
    assertThat(Tracing.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")).on()).isFalse();
    assertThat(Tracing.fromEnvironment(Map.of("OTEL_SDK_DISABLED", "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")).on()).isFalse();
    try (Tracing t = Tracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:1/v1/traces",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"))) {
      assertThat(t.on()).isTrue();
      assertThat(t.describe()).isEqualTo("by OTLP (http/protobuf) to http://127.0.0.1:1/v1/traces");
      assertThat(t.requestLinks(m -> m)).hasSize(1);
      assertThat(t.attemptLinks()).hasSize(1);
    }
    try (Tracing t = Tracing.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "otlp"))) {
      assertThat(t.on()).isTrue();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tracing.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "zipkin")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OTLP only");
  }
}
