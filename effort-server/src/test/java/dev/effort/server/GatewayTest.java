package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedPrompt;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway over real HTTP, answering recorded prompts through the replay provider. */
class GatewayTest {
  static RunningGateway gateway;
  static RecordedPrompt prompt;
  static final Ladder LADDER = Ladder.routerBench();

  @BeforeAll
  static void start() {
    gateway = new RunningGateway();
    prompt = gateway.arc.get(0);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static String openAiBody(String model, String content, String extra) {
    return "{\"model\":\"" + model + "\"," + extra + "\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(content) + "}]}";
  }

  static String recorded(String model) {
    return prompt.outcome(model).orElseThrow().response();
  }

  @Test
  void theEffortLineIsStrippedAndBeatsTheHeaderWhichBeatsTheBody() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions",
        openAiBody("effort", "/effort max\n" + prompt.prompt(), "\"reasoning_effort\":\"medium\","), "Effort", "low");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Level")).contains("max");
    assertThat(r.headers().firstValue("Effort-Plan")).contains(LADDER.plan(Effort.MAX).describe());
    JsonNode body = RunningGateway.json(r);
    assertThat(body.at("/choices/0/message/content").asText()).as("the recorded answer: the prompt reached replay without the line")
        .isEqualTo(recorded("gpt-4-1106-preview"));
    assertThat(body.at("/effort/source").asText()).isEqualTo("/effort line");

    r = gateway.post("/v1/chat/completions", openAiBody("effort", prompt.prompt(), "\"reasoning_effort\":\"max\","), "Effort", "low");
    assertThat(r.headers().firstValue("Effort-Applied")).contains("low");
    assertThat(RunningGateway.json(r).at("/effort/source").asText()).isEqualTo("header Effort");

    r = gateway.post("/v1/chat/completions", openAiBody("effort-max", prompt.prompt(), "\"reasoning\":{\"effort\":\"low\"},"));
    assertThat(r.headers().firstValue("Effort-Applied")).contains("low");
    assertThat(RunningGateway.json(r).at("/effort/source").asText()).isEqualTo("body reasoning.effort");

    r = gateway.post("/v1/chat/completions", openAiBody("effort-low", prompt.prompt(), ""));
    assertThat(RunningGateway.json(r).at("/effort/source").asText()).isEqualTo("model name");

    r = gateway.post("/v1/chat/completions", openAiBody("effort", prompt.prompt(), ""));
    assertThat(r.headers().firstValue("Effort-Applied")).contains("high");
    assertThat(RunningGateway.json(r).at("/effort/source").asText()).isEqualTo("config default");
  }

  @Test
  void aPinnedModelAnswersAloneWithTheLevelOnItsOwnKnob() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", openAiBody("claude-v1", prompt.prompt(), ""), "Effort", "xhigh");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Model")).contains("claude-v1");
    assertThat(r.headers().firstValue("Effort-Plan")).contains("single(claude-v1 effort=xhigh)");
    assertThat(RunningGateway.json(r).at("/choices/0/message/content").asText()).isEqualTo(recorded("claude-v1"));
  }

  @Test
  void anthropicStreamsTheRealEventSequenceWithTheTraceInMessageDelta() throws Exception {
    String body = "{\"model\":\"effort\",\"max_tokens\":50,\"stream\":true,\"output_config\":{\"effort\":\"low\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt.prompt()) + "}]}";
    HttpResponse<String> r = gateway.post("/v1/messages", body, "anthropic-version", "2023-06-01");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(r.headers().firstValue("Effort-Applied")).contains("low");
    List<String> events = new ArrayList<>();
    List<JsonNode> data = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      String[] lines = block.split("\n");
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      events.add(lines[0].substring(7));
      data.add(Json.MAPPER.readTree(lines[1].substring(6)));
    }
    assertThat(events).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    for (int i = 0; i < events.size(); i++) {
      assertThat(data.get(i).fieldNames().next()).as("type comes first").isEqualTo("type");
      assertThat(data.get(i).get("type").asText()).isEqualTo(events.get(i));
    }
    assertThat(data.get(2).at("/delta/text").asText()).isEqualTo(recorded("mistralai/mixtral-8x7b-chat"));
    assertThat(data.get(4).at("/effort/applied").asText()).isEqualTo("low");
    assertThat(data.get(4).at("/usage/output_tokens").asLong()).isPositive();
  }

  @Test
  void openAiStreamsChunksThenUsageWithTheTraceThenDone() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions",
        openAiBody("effort-max", prompt.prompt(), "\"stream\":true,\"stream_options\":{\"include_usage\":true},"));

    assertThat(r.statusCode()).isEqualTo(200);
    List<String> data = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      assertThat(block).startsWith("data: ");
      data.add(block.substring(6));
    }
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode first = Json.MAPPER.readTree(data.get(0));
    assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      Json.MAPPER.readTree(d).at("/choices/0/delta/content").asText("").chars().forEach(c -> text.append((char) c));
    }
    assertThat(text.toString()).isEqualTo(recorded("gpt-4-1106-preview"));
    JsonNode usage = Json.MAPPER.readTree(data.get(data.size() - 2));
    assertThat(usage.get("choices")).isEmpty();
    assertThat(usage.at("/usage/prompt_tokens").asLong()).isPositive();
    assertThat(usage.at("/effort/plan").asText()).isEqualTo(LADDER.plan(Effort.MAX).describe());
    assertThat(Json.MAPPER.readTree(data.get(data.size() - 3)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void aStreamThatFailsBeforeItStartsIsAPlainErrorWithItsStatus() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", openAiBody("effort", "not a recorded prompt", "\"stream\":true,"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(RunningGateway.json(r).at("/error/message").asText()).contains("no recorded answer");
  }

  @Test
  void aDeadlineLowersTheLevelAndSaysWhyInHeadersAndTrace() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", openAiBody("effort", prompt.prompt(), ""),
        "Effort", "max", "Effort-Deadline", "1000ms");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Level")).contains("max");
    assertThat(r.headers().firstValue("Effort-Applied")).isPresent().get().isNotEqualTo("max");
    assertThat(r.headers().firstValue("Effort-Downgrade-Reason")).isPresent().get().asString().contains("deadline of 1000 ms");
    assertThat(RunningGateway.json(r).at("/effort/downgrade_reason").asText()).startsWith("lowered from max");

    r = gateway.post("/v1/chat/completions", openAiBody("effort", prompt.prompt(), "\"deadline\":\"1ms\","), "Effort", "high");
    assertThat(r.headers().firstValue("Effort-Constraint-Unmet")).isPresent().get().asString().contains("fastest");
  }

  @Test
  void aCostCapInTheBodyLowersTheLevel() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/messages", "{\"model\":\"effort-max\",\"max_tokens\":20,\"max_cost_usd\":0.001,"
        + "\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt.prompt()) + "}]}",
        "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Applied")).isPresent().get().isNotEqualTo("max");
    assertThat(r.headers().firstValue("Effort-Downgrade-Reason")).isPresent().get().asString().contains("cost cap");
  }

  @Test
  void modelsListsTheEffortNamesAndTheFleetInEachFormat() throws Exception {
    JsonNode openAi = RunningGateway.json(gateway.get("/v1/models"));
    assertThat(openAi.get("object").asText()).isEqualTo("list");
    List<String> ids = new ArrayList<>();
    openAi.get("data").forEach(m -> ids.add(m.get("id").asText()));
    assertThat(ids).startsWith("effort", "effort-low", "effort-medium", "effort-high", "effort-xhigh", "effort-max", "effort-auto")
        .contains("gpt-4-1106-preview", "mistralai/mixtral-8x7b-chat");

    JsonNode anthropic = RunningGateway.json(gateway.get("/v1/models", "anthropic-version", "2023-06-01"));
    assertThat(anthropic.get("has_more").asBoolean()).isFalse();
    assertThat(anthropic.at("/data/0/type").asText()).isEqualTo("model");
    assertThat(anthropic.get("data")).hasSize(ids.size());
  }

  @Test
  void metricsCountRequestsTokensAndCostByLevelModelAndStatus() throws Exception {
    gateway.post("/v1/chat/completions", openAiBody("effort-low", prompt.prompt(), ""));
    gateway.post("/v1/chat/completions", openAiBody("gpt-9", prompt.prompt(), ""));
    HttpResponse<String> r = gateway.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .containsPattern("effort_requests_total\\{[^}]*applied=\"low\"[^}]*model=\"mistralai/mixtral-8x7b-chat\"[^}]*status=\"200\"")
        .containsPattern("effort_requests_total\\{[^}]*status=\"404\"")
        .containsPattern("effort_tokens_total\\{[^}]*type=\"input\"")
        .contains("effort_cost_usd_total")
        .contains("effort_request_duration_seconds_bucket");
  }

  @Test
  void healthzSaysWhatItServes() throws Exception {
    JsonNode h = RunningGateway.json(gateway.get("/healthz"));
    assertThat(h.get("status").asText()).isEqualTo("ok");
    assertThat(h.get("fleet").asText()).contains("replay");
  }

  @Test
  void oneModelByIdIncludingIdsWithASlash() throws Exception {
    JsonNode m = RunningGateway.json(gateway.get("/v1/models/mistralai/mixtral-8x7b-chat"));
    assertThat(m.get("id").asText()).isEqualTo("mistralai/mixtral-8x7b-chat");
    assertThat(m.get("object").asText()).isEqualTo("model");
    assertThat(m.at("/effort/tools").asBoolean(true)).as("a RouterBench replay model calls no tools").isFalse();
    assertThat(m.at("/effort/images").asBoolean(true)).isFalse();
    JsonNode a = RunningGateway.json(gateway.get("/v1/models/effort-high", "anthropic-version", "2023-06-01"));
    assertThat(a.get("type").asText()).isEqualTo("model");
    assertThat(gateway.get("/v1/models/gpt-9").statusCode()).isEqualTo(404);
  }

  @Test
  void anthropicTokenCountingCountsTheMessages() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/messages/count_tokens",
        "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, how are you?\"}]}",
        "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(RunningGateway.json(r).get("input_tokens").asLong()).isBetween(5L, 20L);
  }

  @Test
  void aWrongMethodOnAServedPathIsA405WithAllowInTheClientsFormat() throws Exception {
    HttpResponse<String> openAi = gateway.get("/v1/chat/completions");
    assertThat(openAi.statusCode()).isEqualTo(405);
    assertThat(openAi.headers().firstValue("Allow")).contains("POST");
    assertThat(RunningGateway.json(openAi).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(RunningGateway.json(openAi).at("/error/message").asText()).contains("GET /v1/chat/completions").contains("POST");

    HttpResponse<String> anthropic = gateway.get("/v1/messages", "anthropic-version", "2023-06-01");
    assertThat(anthropic.statusCode()).isEqualTo(405);
    assertThat(anthropic.headers().firstValue("Allow")).contains("POST");
    assertThat(RunningGateway.json(anthropic).at("/type").asText()).isEqualTo("error");
    assertThat(RunningGateway.json(anthropic).at("/error/type").asText()).isEqualTo("invalid_request_error");

    HttpResponse<String> models = gateway.post("/v1/models", "{}");
    assertThat(models.statusCode()).isEqualTo(405);
    assertThat(models.headers().firstValue("Allow")).contains("GET");
    assertThat(gateway.get("/v1/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void everyResponseCarriesItsRequestIdErrorsToo() throws Exception {
    HttpResponse<String> ok = gateway.get("/healthz");
    HttpResponse<String> missing = gateway.get("/v1/nothing-here");
    assertThat(ok.headers().firstValue("Effort-Request-Id")).isPresent().get().asString().matches("req_[0-9a-f]{24}");
    assertThat(missing.headers().firstValue("Effort-Request-Id")).isPresent().get().asString().matches("req_[0-9a-f]{24}")
        .isNotEqualTo(ok.headers().firstValue("Effort-Request-Id").get());
  }
}
