package dev.effort.server;

import static dev.effort.server.ScriptedUpstream.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import dev.effort.server.ScriptedUpstream.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream events the gateway writes field by field: each is one {@code data:} line of JSON in
 * the client's format, whatever the text holds (line breaks, quotes, backslashes, non-ASCII,
 * control characters), and the pieces join to the upstream's text.
 */
class StreamEventsTest {
  static final String PATH = "/v1/chat/completions";
  static final List<String> PIECES = List.of("Line one\nline \"two\"", " \\ back\tslash ", "é 日本 😀 \u0001 </script>");

  static ScriptedUpstream upstream;
  static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    gateway = new RunningGateway(upstream.startGateway(Optional.empty(), upstream.provider("oai", "openai", "gpt-4.1")));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reply() {
    upstream.reset();
    StringBuilder events = new StringBuilder();
    for (String piece : PIECES) {
      events.append(data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":" + Json.string(piece) + "},\"finish_reason\":null}]}"));
    }
    events.append(data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,"
        + "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}"));
    events.append(data("[DONE]"));
    upstream.reply(PATH, Reply.sse(events.toString()));
  }

  @Test
  void openAiChunksAreOneLineEachAndCarryTheTextExactly() throws Exception {
    HttpResponse<String> r = gateway.post(PATH, "{\"model\":\"gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}]}", "Content-Type", "application/json");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> chunks = new ArrayList<>();
    for (String event : r.body().split("\n\n")) {
      assertThat(event).as("one data line").startsWith("data: ").doesNotContain("\n");
      String data = event.substring("data: ".length());
      if (!data.equals("[DONE]")) {
        chunks.add(Json.MAPPER.readTree(data));
      }
    }
    List<JsonNode> pieces = chunks.stream().filter(c -> c.at("/choices/0/delta").has("content")).toList();
    assertThat(pieces).extracting(c -> c.at("/choices/0/delta/content").asText()).containsExactlyElementsOf(PIECES);
    assertThat(pieces.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(pieces.subList(1, pieces.size())).allSatisfy(c -> assertThat(c.at("/choices/0/delta").has("role")).isFalse());
    assertThat(pieces).allSatisfy(c -> {
      assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.get("id").asText()).isEqualTo(chunks.get(0).get("id").asText()).startsWith("chatcmpl-");
      assertThat(c.get("created").isIntegralNumber()).isTrue();
      assertThat(c.get("model").asText()).isEqualTo("gpt-4.1");
      assertThat(c.at("/choices/0/index").asInt()).isZero();
      assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue();
      assertThat(c.at("/choices/0/logprobs").isNull()).isTrue();
    });
  }

  @Test
  void anthropicTextDeltasAreOneLineEachAndCarryTheTextExactly() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/messages", "{\"model\":\"gpt-4.1\",\"stream\":true,\"max_tokens\":50,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "anthropic-version", "2023-06-01");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> texts = new ArrayList<>();
    for (String event : r.body().split("\n\n")) {
      String[] lines = event.split("\n");
      assertThat(lines).as("an event line and one data line").hasSize(2);
      JsonNode data = Json.MAPPER.readTree(lines[1].substring("data: ".length()));
      assertThat(data.get("type").asText()).isEqualTo(lines[0].substring("event: ".length()));
      if (data.get("type").asText().equals("content_block_delta")) {
        assertThat(data.get("index").asInt()).isZero();
        assertThat(data.at("/delta/type").asText()).isEqualTo("text_delta");
        texts.add(data.at("/delta/text").asText());
      }
    }
    assertThat(texts).containsExactlyElementsOf(PIECES);
  }
}
