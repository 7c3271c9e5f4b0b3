package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Either client format served by either upstream, streaming included: an OpenAI client answered
 * by an Anthropic model (thinking becomes reasoning_content) and an Anthropic client answered by
 * an OpenAI model. Upstreams are local fakes speaking the exact wire formats.
 */
class CrossFormatTest {
  static final String KEY = System.getenv("EFFORT_TEST_UPSTREAM_KEY");
  static FakeUpstreams upstream;
  static Gateway gateway;
  static RunningGateway client;

  @BeforeAll
  static void start() throws Exception {
    assertThat(KEY).as("surefire sets EFFORT_TEST_UPSTREAM_KEY").isNotBlank();
    upstream = new FakeUpstreams();
    GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.HIGH, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
        Optional.empty(), 1.0, List.of(
            new GatewayConfig.ProviderConfig("claude", "anthropic", upstream.baseUrl(), "EFFORT_TEST_UPSTREAM_KEY",
                List.of("claude-sonnet-4-5")),
            new GatewayConfig.ProviderConfig("oai", "openai", upstream.baseUrl(), "EFFORT_TEST_UPSTREAM_KEY", List.of("gpt-5"))),
        List.of(), Optional.empty());
    client = new RunningGateway(Gateway.start(config, Fleets.fromConfig(config, Path.of("unused")), Optional.empty(), 0));
  }

  @AfterAll
  static void stop() {
    client.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    upstream.received.clear();
  }

  static String openAiBody(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
  }

  static String anthropicBody(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":1000,\"stream\":" + stream + ",\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
  }

  @Test
  void anOpenAiClientIsAnsweredByAnAnthropicModelWithItsThinkingAsReasoning() throws Exception {
    HttpResponse<String> r = client.post("/v1/chat/completions", openAiBody("effort", false), "Effort", "medium");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = RunningGateway.json(r);
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Paris");
    assertThat(body.at("/choices/0/message/reasoning_content").asText()).isEqualTo("The capital of France is Paris.");
    assertThat(body.at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isPositive();
    assertThat(r.headers().firstValue("Effort-Model")).contains("claude-sonnet-4-5");
    assertThat(r.headers().firstValue("Effort-Plan")).contains("single(claude-sonnet-4-5 effort=medium)");

    FakeUpstreams.Received sent = upstream.received.get(0);
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.apiKeyHeader()).isEqualTo(KEY);
    JsonNode request = Json.MAPPER.readTree(sent.body());
    assertThat(request.get("system").asText()).isEqualTo("Be brief.");
    assertThat(request.at("/thinking/type").asText()).isEqualTo("enabled");
    assertThat(request.at("/thinking/budget_tokens").asInt()).isEqualTo(4096);
    assertThat(request.get("max_tokens").asInt()).isGreaterThan(4096);
  }

  @Test
  void anOpenAiStreamCarriesAnthropicThinkingThenTextAsTheyArrive() throws Exception {
    HttpResponse<String> r = client.post("/v1/chat/completions", openAiBody("claude-sonnet-4-5", true), "Effort", "low");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> deltas = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      String data = block.substring("data: ".length());
      if (data.equals("[DONE]")) {
        deltas.add("[DONE]");
        continue;
      }
      JsonNode delta = Json.MAPPER.readTree(data).at("/choices/0/delta");
      if (delta.has("reasoning_content")) {
        deltas.add("thinking:" + delta.get("reasoning_content").asText());
      }
      if (delta.has("content") && !delta.get("content").asText().isEmpty()) {
        deltas.add("text:" + delta.get("content").asText());
      }
    }
    assertThat(deltas).containsExactly("thinking:The capital of France", "thinking: is Paris.", "text:Par", "text:is", "[DONE]");
    assertThat(Json.MAPPER.readTree(upstream.received.get(0).body()).get("stream").asBoolean()).isTrue();
  }

  @Test
  void anAnthropicClientIsAnsweredByAnOpenAiModelWithTheLevelClampedToWhatTheModelTakes() throws Exception {
    HttpResponse<String> r = client.post("/v1/messages", anthropicBody("gpt-5", false), "anthropic-version", "2023-06-01",
        "Effort", "max");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = RunningGateway.json(r);
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(body.at("/content/0/text").asText()).isEqualTo("Paris");
    assertThat(body.at("/usage/output_tokens").asLong()).isEqualTo(50);
    assertThat(body.at("/effort/thinking_tokens").asLong()).isEqualTo(48);

    FakeUpstreams.Received sent = upstream.received.get(0);
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.authorization()).isEqualTo("Bearer " + KEY);
    JsonNode request = Json.MAPPER.readTree(sent.body());
    assertThat(request.get("reasoning_effort").asText()).as("gpt-5 takes up to high").isEqualTo("high");
    assertThat(request.at("/messages/0/role").asText()).isIn("system", "developer");
  }

  @Test
  void anAnthropicStreamServedByAnOpenAiModelHasTheRealEventSequence() throws Exception {
    HttpResponse<String> r = client.post("/v1/messages", anthropicBody("gpt-5", true), "anthropic-version", "2023-06-01");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> events = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String block : r.body().split("\n\n")) {
      String[] lines = block.split("\n");
      events.add(lines[0].substring("event: ".length()));
      JsonNode data = Json.MAPPER.readTree(lines[1].substring("data: ".length()));
      if (data.at("/delta/type").asText().equals("text_delta")) {
        text.append(data.at("/delta/text").asText());
      }
    }
    assertThat(events).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
    assertThat(text.toString()).isEqualTo("Paris");
  }

  @Test
  void anAnthropicClientGetsThinkingBlocksFromAnAnthropicModel() throws Exception {
    HttpResponse<String> r = client.post("/v1/messages", anthropicBody("effort", true), "anthropic-version", "2023-06-01",
        "Effort", "high");

    List<String> blockTypes = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      String[] lines = block.split("\n");
      JsonNode data = Json.MAPPER.readTree(lines[1].substring("data: ".length()));
      if (lines[0].equals("event: content_block_start")) {
        blockTypes.add(data.at("/content_block/type").asText());
      }
    }
    assertThat(blockTypes).containsExactly("thinking", "text");
  }

  @Test
  void theUpstreamKeyAppearsInNoResponseHeaderBodyMetricOrLog() throws Exception {
    List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()) + " " + r.getThrown());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Level level = root.getLevel();
    root.addHandler(capture);
    root.setLevel(java.util.logging.Level.ALL);
    List<HttpResponse<String>> responses;
    try {
      responses = List.of(
        client.post("/v1/chat/completions", openAiBody("effort", false)),
        client.post("/v1/messages", anthropicBody("gpt-5", true), "anthropic-version", "2023-06-01"),
        client.post("/v1/chat/completions", openAiBody("nope", false)),
        client.get("/metrics"),
        client.get("/healthz"),
        client.get("/v1/models"));
    } finally {
      root.removeHandler(capture);
      root.setLevel(level);
    }
    assertThat(String.join("\n", logged)).doesNotContain(KEY);
    for (HttpResponse<String> r : responses) {
      assertThat(r.body()).doesNotContain(KEY);
      assertThat(r.headers().map().toString()).doesNotContain(KEY);
    }
    assertThat(Catalog.builtIn().contains("gpt-5")).isTrue();
  }

  @Test
  void modelsSayWhichTakeToolsAndImages() throws Exception {
    JsonNode list = RunningGateway.json(client.get("/v1/models"));
    JsonNode gpt5 = null;
    for (JsonNode m : list.get("data")) {
      if (m.get("id").asText().equals("gpt-5")) {
        gpt5 = m;
      }
    }
    assertThat(gpt5).isNotNull();
    assertThat(gpt5.at("/effort/tools").asBoolean()).isTrue();
    assertThat(gpt5.at("/effort/images").asBoolean()).isTrue();
  }
}
