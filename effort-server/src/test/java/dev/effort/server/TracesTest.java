package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.server.OtlpCollector.Received;
import dev.effort.server.traces.Tracing;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces of a real gateway (replay fleet) exported by OTLP to a collector in the test's process, as
 * the standard {@code OTEL_*} environment asks: a server span per request and a client span per
 * upstream attempt, its child, with the GenAI conventions and the effort attributes.
 */
class TracesTest {
  static OtlpCollector collector;
  static RunningGateway gateway;
  static RecordedPrompt prompt;

  @BeforeAll
  static void start() throws Exception {
    collector = new OtlpCollector();
    Tracing tracing = Tracing.fromEnvironment(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_SERVICE_NAME", "effort-under-test",
        "OTEL_BSP_SCHEDULE_DELAY", "50"));
    assertThat(tracing.on()).isTrue();
    Gateway g = Gateway.start(GatewayConfig.defaults(), Fleets.replay(Catalog.builtIn(), Ladder.routerBench(),
        RunningGateway.data()), Optional.empty(), Optional.empty(), 0, tracing);
    gateway = new RunningGateway(g);
    prompt = arc().get(0);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  /** The recorded ARC prompts, which the replay fleet answers. */
  static synchronized List<RecordedPrompt> arc() {
    if (arc == null) {
      arc = dev.effort.providers.data.RouterBenchCsv.loadFolder(RunningGateway.data()).stream()
          .filter(d -> d.name().equals("arc_challenge_train")).findFirst().orElseThrow().prompts();
    }
    return arc;
  }

  private static List<RecordedPrompt> arc;

  /** The request span of the request that got {@code response}: it carries the request's id. */
  static Received requestSpan(HttpResponse<String> response) throws InterruptedException {
    String id = response.headers().firstValue(RequestIds.HEADER).orElseThrow();
    return collector.await(s -> id.equals(s.attribute("effort.request_id")), Duration.ofSeconds(10))
        .orElseThrow(() -> new AssertionError("no span with effort.request_id " + id + " among " + collector.spans()));
  }

  /** The children of {@code parent}, once {@code count} of them have arrived. */
  static List<Received> children(Received parent, int count) throws InterruptedException {
    collector.await(s -> collector.spans().stream().filter(c -> c.parentSpanId().equals(parent.spanId())).count() >= count,
        Duration.ofSeconds(10));
    return collector.spans().stream().filter(c -> c.parentSpanId().equals(parent.spanId())).toList();
  }

  @Test
  void aRequestIsAServerSpanWithTheGenAiAndEffortAttributesAndEachUpstreamCallIsAClientSpanUnderIt() throws Exception {
    // medium is a cascade: two probes in parallel, on threads of their own, then maybe an escalation.
    HttpResponse<String> r = gateway.post("/v1/chat/completions", GatewayTest.openAiBody("effort", prompt.prompt(), ""),
        "Effort", "medium");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = RunningGateway.json(r);

    Received request = requestSpan(r);
    assertThat(request.name()).isEqualTo("chat effort");
    assertThat(request.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(request.span().getParentSpanId().isEmpty()).isTrue();
    assertThat(request.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(request.resource()).containsEntry("service.name", "effort-under-test");
    assertThat(request.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.request.model", "effort")
        .containsEntry("gen_ai.response.model", body.path("model").asText())
        .containsEntry("gen_ai.provider.name", "replay")
        .containsEntry("gen_ai.system", "replay")
        .containsEntry("gen_ai.usage.input_tokens", body.at("/usage/prompt_tokens").asLong())
        .containsEntry("gen_ai.usage.output_tokens", body.at("/usage/completion_tokens").asLong())
        .containsEntry("effort.asked", "medium")
        .containsEntry("effort.applied", r.headers().firstValue("Effort-Applied").orElseThrow())
        .containsEntry("effort.plan", r.headers().firstValue("Effort-Plan").orElseThrow())
        .doesNotContainKey("effort.downgrade_reason")
        .containsKey("gen_ai.response.finish_reasons");
    assertThat((double) request.attribute("effort.cost_usd"))
        .isCloseTo(Double.parseDouble(r.headers().firstValue("Effort-Cost-Usd").orElseThrow()),
            org.assertj.core.data.Offset.offset(1e-6));

    long attempts = (long) request.attribute("effort.attempts");
    assertThat(attempts).isGreaterThanOrEqualTo(2);
    List<Received> calls = children(request, (int) attempts);
    assertThat(calls).hasSize((int) attempts);
    assertThat(calls).extracting(Received::traceId).containsOnly(request.traceId());
    assertThat(calls).extracting(Received::name)
        .contains("chat mistralai/mixtral-8x7b-chat", "chat zero-one-ai/Yi-34B-Chat");
    long input = 0;
    long output = 0;
    for (Received call : calls) {
      assertThat(call.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(call.attributes())
          .containsEntry("gen_ai.operation.name", "chat")
          .containsEntry("gen_ai.request.model", call.name().substring("chat ".length()))
          .containsEntry("gen_ai.response.model", call.name().substring("chat ".length()))
          .containsEntry("gen_ai.provider.name", "replay")
          .containsEntry("effort.deployment", "replay")
          .containsEntry("effort.outcome", "answered")
          .containsKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "effort.cost_usd");
      input += (long) call.attribute("gen_ai.usage.input_tokens");
      output += (long) call.attribute("gen_ai.usage.output_tokens");
    }
    // The request's usage is that of all its upstream calls.
    assertThat(request.attributes()).containsEntry("gen_ai.usage.input_tokens", input)
        .containsEntry("gen_ai.usage.output_tokens", output);
  }

  @Test
  void aRequestContinuesTheTraceTheClientSent() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parent = "00f067aa0ba902b7";
    HttpResponse<String> r = gateway.post("/v1/chat/completions", GatewayTest.openAiBody("effort-low", prompt.prompt(), ""),
        "traceparent", "00-" + traceId + "-" + parent + "-01");
    assertThat(r.statusCode()).isEqualTo(200);
    Received request = requestSpan(r);
    assertThat(request.traceId()).isEqualTo(traceId);
    assertThat(request.parentSpanId()).isEqualTo(parent);
    assertThat(children(request, 1)).extracting(Received::traceId).containsOnly(traceId);
  }

  @Test
  void aLoweredLevelSaysWhyOnTheRequestSpan() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", GatewayTest.openAiBody("effort-max", prompt.prompt(), ""),
        "Effort-Deadline", "1000ms");
    assertThat(r.statusCode()).isEqualTo(200);
    Received request = requestSpan(r);
    assertThat(request.name()).isEqualTo("chat effort-max");
    assertThat(request.attributes())
        .containsEntry("effort.asked", "max")
        .containsEntry("effort.applied", r.headers().firstValue("Effort-Applied").orElseThrow())
        .containsEntry("effort.downgrade_reason", RunningGateway.json(r).at("/effort/downgrade_reason").asText());
    assertThat(request.attribute("effort.applied")).isNotEqualTo("max");
  }

  @Test
  void aPinnedModelStreamedIsTracedLikeAnyOther() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/messages", "{\"model\":\"gpt-4-1106-preview\",\"max_tokens\":300,"
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt.prompt()) + "}]}",
        "anthropic-version", "2023-06-01", "Effort", "low");
    assertThat(r.statusCode()).isEqualTo(200);
    Received request = requestSpan(r);
    assertThat(request.name()).isEqualTo("chat gpt-4-1106-preview");
    assertThat(request.attributes())
        .containsEntry("gen_ai.request.model", "gpt-4-1106-preview")
        .containsEntry("gen_ai.request.max_tokens", 300L)
        .containsEntry("gen_ai.response.model", "gpt-4-1106-preview")
        .containsEntry("effort.asked", "low");
    assertThat(children(request, 1)).singleElement().satisfies(call -> assertThat(call.name())
        .isEqualTo("chat gpt-4-1106-preview"));
  }

  @Test
  void anUpstreamFailureIsAnErrorOnBothSpans() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", GatewayTest.openAiBody("effort", "not a recorded prompt", ""),
        "Effort", "low");
    assertThat(r.statusCode()).isEqualTo(404);
    Received request = requestSpan(r);
    assertThat(request.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(request.attributes()).containsEntry("error.type", "not_found").containsEntry("effort.asked", "low");
    assertThat(request.span().getEventsList()).extracting(Span.Event::getName).contains("exception");
    Received call = children(request, 1).get(0);
    assertThat(call.attributes()).containsEntry("effort.outcome", "failed").containsEntry("error.type", "not_found");
    assertThat(call.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
  }

  @Test
  void aClientErrorNamesItsTypeButIsNoServerError() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", GatewayTest.openAiBody("gpt-9", prompt.prompt(), ""));
    assertThat(r.statusCode()).isEqualTo(404);
    Received request = requestSpan(r);
    assertThat(request.name()).isEqualTo("chat gpt-9");
    assertThat(request.attributes()).containsEntry("error.type", "not_found");
    assertThat(request.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(children(request, 0)).isEmpty();
  }
}
