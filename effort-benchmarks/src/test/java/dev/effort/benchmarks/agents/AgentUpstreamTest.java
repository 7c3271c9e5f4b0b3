package dev.effort.benchmarks.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripted upstream of scripts/agent-clients over real HTTP, in each wire format. */
class AgentUpstreamTest {
  @TempDir Path dir;
  private AgentUpstream upstream;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    upstream = new AgentUpstream(0, dir.resolve("log.jsonl"), Optional.empty());
  }

  @AfterEach
  void stop() {
    upstream.close();
  }

  private HttpResponse<String> post(String path, JsonNode body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(Json.string(body))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The data of each event of a server-sent event stream. */
  private static List<JsonNode> events(String sse) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        out.add(Json.MAPPER.readTree(line.substring(6)));
      }
    }
    return out;
  }

  private static JsonNode json(String s) throws IOException {
    return Json.MAPPER.readTree(s);
  }

  private static ObjectNode anthropicTurn(boolean thinking) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 2048);
    body.putArray("tools").addObject().put("name", "Bash").putObject("input_schema").put("type", "object");
    body.putArray("messages").addObject().put("role", "user").put("content", "list the files");
    if (thinking) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
    }
    return body;
  }

  @Test
  void anthropicToolLoopStreamsSignedThinkingThenBashAndQuotesTheResult() throws Exception {
    ObjectNode turn1 = anthropicTurn(true).put("stream", true);
    HttpResponse<String> first = post("/v1/messages", turn1);
    assertThat(first.headers().firstValue("content-type")).contains("text/event-stream");
    List<JsonNode> events = events(first.body());
    assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    String signature = events.get(4).path("delta").path("signature").asText();
    JsonNode toolUse = events.get(6).get("content_block");
    assertThat(toolUse.get("name").asText()).isEqualTo("Bash");
    String arguments = events.get(7).path("delta").path("partial_json").asText()
        + events.get(8).path("delta").path("partial_json").asText();
    assertThat(json(arguments).get("command").asText()).isEqualTo("ls");
    assertThat(events.get(10).path("delta").path("stop_reason").asText()).isEqualTo("tool_use");

    ObjectNode turn2 = anthropicTurn(true);
    ArrayNode messages = (ArrayNode) turn2.get("messages");
    ArrayNode assistant = messages.addObject().put("role", "assistant").putArray("content");
    assistant.addObject().put("type", "thinking").put("thinking", ToolLoop.THINKING).put("signature", signature);
    assistant.addObject().put("type", "tool_use").put("id", toolUse.get("id").asText()).put("name", "Bash")
        .set("input", json(arguments));
    messages.addObject().put("role", "user").putArray("content").addObject().put("type", "tool_result")
        .put("tool_use_id", toolUse.get("id").asText()).put("content", "a.txt\nb.md");
    HttpResponse<String> second = post("/v1/messages", turn2);
    assertThat(second.statusCode()).isEqualTo(200);
    JsonNode answer = json(second.body());
    assertThat(answer.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(answer.get("content").get(1).get("text").asText()).startsWith(ToolLoop.FINAL).contains("a.txt\nb.md");

    // The same turn with its thinking changed, or without it, is what Anthropic refuses.
    ((ObjectNode) assistant.get(0)).put("thinking", "something else");
    HttpResponse<String> changed = post("/v1/messages", turn2);
    assertThat(changed.statusCode()).isEqualTo(400);
    assertThat(json(changed.body()).at("/error/message").asText()).contains("Invalid `signature`");
    assistant.remove(0);
    HttpResponse<String> missing = post("/v1/messages", turn2);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing.body()).at("/error/message").asText())
        .contains("Expected `thinking` or `redacted_thinking`, but found `tool_use`");
  }

  @Test
  void anthropicRefusesAToolResultWithoutItsCall() throws Exception {
    ObjectNode body = anthropicTurn(false);
    ((ArrayNode) body.get("messages")).addObject().put("role", "user").putArray("content").addObject()
        .put("type", "tool_result").put("tool_use_id", "toolu_nowhere").put("content", "x");
    HttpResponse<String> res = post("/v1/messages", body);
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(json(res.body()).get("type").asText()).isEqualTo("error");
    assertThat(json(res.body()).at("/error/message").asText()).contains("unexpected `tool_use_id`");
  }

  @Test
  void chatStreamsTwoParallelCallsByIndexWhenThePromptAsks() throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", "gpt-5").put("stream", true);
    body.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "exec_command");
    body.putArray("messages").addObject().put("role", "user").put("content", "list " + ToolLoop.PARALLEL);
    List<JsonNode> events = events(post("/v1/chat/completions", body).body());
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    List<String> ids = new ArrayList<>();
    String finish = null;
    for (JsonNode e : events) {
      for (JsonNode c : e.path("choices")) {
        for (JsonNode call : c.path("delta").path("tool_calls")) {
          if (call.has("id")) {
            ids.add(call.get("id").asText());
          }
          arguments[call.get("index").asInt()].append(call.path("function").path("arguments").asText());
        }
        if (!c.path("finish_reason").isNull()) {
          finish = c.get("finish_reason").asText();
        }
      }
    }
    assertThat(finish).isEqualTo("tool_calls");
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
    assertThat(json(arguments[0].toString()).get("cmd").asText()).isEqualTo("ls");
    assertThat(json(arguments[1].toString()).get("cmd").asText()).isEqualTo("ls -a");

    // Answering only one of the two calls is what OpenAI refuses.
    ArrayNode messages = (ArrayNode) body.get("messages");
    ArrayNode calls = messages.addObject().put("role", "assistant").putArray("tool_calls");
    for (String id : ids) {
      calls.addObject().put("id", id).put("type", "function").putObject("function").put("name", "exec_command")
          .put("arguments", "{}");
    }
    messages.addObject().put("role", "tool").put("tool_call_id", ids.get(0)).put("content", "a.txt");
    messages.addObject().put("role", "user").put("content", "and?");
    HttpResponse<String> res = post("/v1/chat/completions", body.put("stream", false));
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(json(res.body()).at("/error/message").asText()).contains(ids.get(1));
  }

  @Test
  void responsesCallsExecCommandThenAnswersItsOutput() throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", "gpt-5");
    body.putArray("tools").addObject().put("type", "function").put("name", "exec_command");
    ArrayNode input = body.putArray("input");
    input.addObject().put("type", "message").put("role", "user").putArray("content").addObject()
        .put("type", "input_text").put("text", "list the files");
    JsonNode first = json(post("/v1/responses", body).body());
    JsonNode call = first.get("output").get(0);
    assertThat(call.get("type").asText()).isEqualTo("function_call");
    assertThat(call.get("name").asText()).isEqualTo("exec_command");

    input.add(call);
    input.addObject().put("type", "function_call_output").put("call_id", call.get("call_id").asText())
        .put("output", "a.txt");
    List<JsonNode> events = events(post("/v1/responses", body.put("stream", true)).body());
    assertThat(events.getFirst().get("type").asText()).isEqualTo("response.created");
    JsonNode completed = events.getLast();
    assertThat(completed.get("type").asText()).isEqualTo("response.completed");
    assertThat(completed.at("/response/output/0/content/0/text").asText()).startsWith(ToolLoop.FINAL).endsWith("a.txt");
    assertThat(events).extracting(e -> e.get("sequence_number").asInt())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, events.size()).boxed().toList());
    assertThat(Files.readAllLines(dir.resolve("log.jsonl"))).hasSize(2);
  }

  @Test
  void twoRoundsCatTheProbeFileTheListingShowedThenAnswer() throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", "gpt-5");
    body.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "exec_command");
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "user").put("content", "list, then show " + ToolLoop.TWO_ROUNDS);
    messages.addObject().put("role", "assistant").putArray("tool_calls").addObject().put("id", "call_1")
        .put("type", "function").putObject("function").put("name", "exec_command").put("arguments", "{\"cmd\":\"ls\"}");
    messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "probe-x-12.txt\nprobe.png");
    JsonNode second = json(post("/v1/chat/completions", body).body()).at("/choices/0/message/tool_calls/0/function");
    assertThat(json(second.get("arguments").asText()).get("cmd").asText()).isEqualTo("cat probe-x-12.txt");

    messages.addObject().put("role", "assistant").putArray("tool_calls").addObject().put("id", "call_2")
        .put("type", "function").putObject("function").put("name", "exec_command").set("arguments", second.get("arguments"));
    messages.addObject().put("role", "tool").put("tool_call_id", "call_2").put("content", "the probe's text");
    JsonNode answer = json(post("/v1/chat/completions", body).body()).at("/choices/0");
    assertThat(answer.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(answer.at("/message/content").asText()).startsWith(ToolLoop.FINAL).endsWith("the probe's text");
  }

  @Test
  void anOverloadedOnceLoopFailsItsFirstRequestAsEachApiDoesThenGoesThrough() throws Exception {
    ObjectNode anthropic = anthropicTurn(false);
    ((ObjectNode) anthropic.get("messages").get(0)).put("content", "list " + ToolLoop.OVERLOADED_ONCE);
    HttpResponse<String> overloaded = post("/v1/messages", anthropic);
    assertThat(overloaded.statusCode()).isEqualTo(529);
    assertThat(json(overloaded.body()).at("/error/type").asText()).isEqualTo("overloaded_error");
    assertThat(post("/v1/messages", anthropic).statusCode()).isEqualTo(200);

    ObjectNode chat = Json.MAPPER.createObjectNode().put("model", "gpt-5");
    chat.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "exec_command");
    chat.putArray("messages").addObject().put("role", "user").put("content", "list " + ToolLoop.OVERLOADED_ONCE);
    assertThat(post("/v1/chat/completions", chat).statusCode()).isEqualTo(503);
    assertThat(post("/v1/chat/completions", chat).statusCode()).isEqualTo(200);
  }

  /** Codex's compaction reaches Anthropic with the tools its history called declared, and tool_choice none. */
  @Test
  void toolsDeclaredWithToolChoiceNoneAreNotCalled() throws Exception {
    ObjectNode body = anthropicTurn(false);
    body.putObject("tool_choice").put("type", "none");
    JsonNode answer = json(post("/v1/messages", body).body());
    assertThat(answer.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(answer.at("/content/0/type").asText()).isEqualTo("text");
  }
}
