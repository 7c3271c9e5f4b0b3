package dev.effort.server;

import static dev.effort.server.ScriptedUpstream.data;
import static dev.effort.server.ScriptedUpstream.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.server.ScriptedUpstream.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK's Responses client through the gateway to upstreams that do not
 * speak the Responses API: whole tool loops (function tools out, a {@code function_call} output
 * item back, the client's {@code function_call} and {@code function_call_output} items out, the
 * final message), JSON and streaming, against a Chat Completions upstream and a Messages upstream
 * with thinking on, each asserted on the exact upstream request.
 */
class ResponsesToolLoopTest {
  static final String CHAT = "/v1/chat/completions";
  static final String MESSAGES = "/v1/messages";
  static final String QUESTION = "What is the weather in Paris and in Rome?";
  static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
  static ScriptedUpstream upstream;
  static RunningGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    gateway = new RunningGateway(upstream.startGateway(Optional.empty(), upstream.provider("oai", "openai", "gpt-5"),
        upstream.provider("claude", "anthropic", "claude-sonnet-4-5")));
    client = SdkClients.openAi(gateway.gateway.port());
  }

  @AfterAll
  static void stop() throws Exception {
    SdkClients.closeAll(client, gateway, upstream);
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  // ---- the client's side

  static final FunctionTool WEATHER = FunctionTool.builder()
      .name("get_weather")
      .description("Current weather in a city")
      .parameters(FunctionTool.Parameters.builder()
          .putAdditionalProperty("type", JsonValue.from("object"))
          .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
          .putAdditionalProperty("required", JsonValue.from(List.of("city")))
          .putAdditionalProperty("additionalProperties", JsonValue.from(false))
          .build())
      .strict(true)
      .build();

  static final String SCHEMA = "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}},"
      + " \"required\": [\"city\"], \"additionalProperties\": false}";

  /** The tool as a Chat Completions upstream must get it. */
  static final String CHAT_TOOLS = "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
      + " \"description\": \"Current weather in a city\", \"parameters\": " + SCHEMA + ", \"strict\": true}}]";

  static ResponseInputItem user(String text) {
    return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content(text).build());
  }

  static ResponseInputItem output(String callId, String text) {
    return ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(callId).output(text).build());
  }

  /** What a stateless client sends back of a response: each output item as an input item. */
  static List<ResponseInputItem> asInput(Response response) {
    List<ResponseInputItem> items = new ArrayList<>();
    for (ResponseOutputItem item : response.output()) {
      if (item.isFunctionCall()) {
        items.add(ResponseInputItem.ofFunctionCall(item.asFunctionCall()));
      } else if (item.isMessage()) {
        items.add(ResponseInputItem.ofResponseOutputMessage(item.asMessage()));
      } else if (item.isReasoning()) {
        items.add(ResponseInputItem.ofReasoning(item.asReasoning()));
      } else {
        throw new AssertionError("unexpected output item " + item);
      }
    }
    return items;
  }

  static ResponseCreateParams ask(String model, List<ResponseInputItem> input) {
    return ResponseCreateParams.builder().model(model).inputOfResponse(input).addTool(WEATHER).store(false).build();
  }

  static List<ResponseFunctionToolCall> calls(Response response) {
    return response.output().stream().filter(ResponseOutputItem::isFunctionCall).map(ResponseOutputItem::asFunctionCall).toList();
  }

  static String text(Response response) {
    StringBuilder text = new StringBuilder();
    response.output().stream().filter(ResponseOutputItem::isMessage)
        .forEach(m -> m.asMessage().content().forEach(c -> text.append(c.asOutputText().text())));
    return text.toString();
  }

  // ---- the upstreams' side

  static String completion(String message, String finishReason) {
    return """
        {"id": "chatcmpl-up", "object": "chat.completion", "created": 1757350000, "model": "gpt-5-2025-08-07",
         "choices": [{"index": 0, "message": %s, "logprobs": null, "finish_reason": "%s"}],
         "usage": {"prompt_tokens": 80, "completion_tokens": 30, "total_tokens": 110,
                   "completion_tokens_details": {"reasoning_tokens": 12}}}""".formatted(message, finishReason);
  }

  static final String CALL_PARIS = """
      {"id": "call_Paris1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}""";
  static final String CALL_ROME = """
      {"id": "call_Rome2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}""";

  static String chunk(String delta, String finishReason) {
    return data("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,\"model\":\"gpt-5-2025-08-07\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}],\"usage\":null}");
  }

  static final String USAGE_CHUNK = data("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,"
      + "\"model\":\"gpt-5-2025-08-07\",\"choices\":[],\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":30,"
      + "\"total_tokens\":110,\"completion_tokens_details\":{\"reasoning_tokens\":12}}}") + data("[DONE]");

  static final String TWO_CALLS_STREAM =
      chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_Paris1\",\"type\":\"function\","
          + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null)
      + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null)
      + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null)
      + chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_Rome2\",\"type\":\"function\","
          + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null)
      + chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]}", null)
      + chunk("{}", "tool_calls")
      + USAGE_CHUNK;

  static String textStream(String... pieces) {
    StringBuilder s = new StringBuilder(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
    for (String p : pieces) {
      s.append(chunk("{\"content\":" + Json.string(p) + "}", null));
    }
    return s.append(chunk("{}", "stop")).append(USAGE_CHUNK).toString();
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  static JsonNode sent(String path, int index) {
    List<ScriptedUpstream.Received> all = upstream.on(path);
    assertThat(all).as("upstream requests on " + path).hasSizeGreaterThan(index);
    return all.get(index).json();
  }

  /** A stream through the SDK: its events, each validated, and the response they accumulate to. */
  record Streamed(List<ResponseStreamEvent> events, Response response) {
    List<String> types() {
      return events.stream().map(e -> JsonValue.from(e).convert(JsonNode.class).get("type").asText()).toList();
    }
  }

  static Streamed stream(ResponseCreateParams params) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      stream.stream().forEach(e -> events.add(accumulator.accumulate(e.validate())));
    }
    return new Streamed(events, accumulator.response().validate());
  }

  // ---- the tests

  @Test
  void aFunctionToolLoopRunsThroughAChatCompletionsUpstreamWithTheExactRequests() throws Exception {
    upstream.reply(CHAT, Reply.json(completion("{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [" + CALL_PARIS
        + "], \"refusal\": null}", "tool_calls")));
    upstream.reply(CHAT, Reply.json(completion("{\"role\": \"assistant\", \"content\": \"It is 18 °C in Paris.\","
        + " \"refusal\": null}", "stop")));

    List<ResponseInputItem> conversation = new ArrayList<>(List.of(user(QUESTION)));
    Response called = client.responses().create(ask("gpt-5", conversation)).validate();

    assertThat(called.status()).contains(ResponseStatus.COMPLETED);
    assertThat(called.output()).as("only the call: no empty message").hasSize(1);
    ResponseFunctionToolCall call = called.output().get(0).asFunctionCall();
    assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));
    assertThat(call.callId()).as("the upstream's call id, unchanged").isEqualTo("call_Paris1");
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(call.status()).contains(ResponseFunctionToolCall.Status.COMPLETED);
    assertThat(called.usage().orElseThrow().outputTokens()).isEqualTo(30);
    assertThat(sent(CHAT, 0)).isEqualTo(json("""
        {"model": "gpt-5", "reasoning_effort": "high",
         "messages": [{"role": "user", "content": "%s"}],
         "tools": %s}""".formatted(QUESTION, CHAT_TOOLS)));

    conversation.addAll(asInput(called));
    conversation.add(output("call_Paris1", "{\"temp_c\":18}"));
    Response answered = client.responses().create(ask("gpt-5", conversation)).validate();

    assertThat(calls(answered)).isEmpty();
    assertThat(text(answered)).isEqualTo("It is 18 °C in Paris.");
    assertThat(sent(CHAT, 1)).isEqualTo(json("""
        {"model": "gpt-5", "reasoning_effort": "high",
         "messages": [{"role": "user", "content": "%s"},
                      {"role": "assistant", "content": null, "tool_calls": [%s]},
                      {"role": "tool", "tool_call_id": "call_Paris1", "content": "{\\"temp_c\\":18}"}],
         "tools": %s}""".formatted(QUESTION, CALL_PARIS, CHAT_TOOLS)));
  }

  @Test
  void aStreamedToolLoopCarriesParallelCallsAsFunctionCallItemsWithArgumentDeltas() throws Exception {
    upstream.reply(CHAT, Reply.sse(TWO_CALLS_STREAM));
    upstream.reply(CHAT, Reply.sse(textStream("Paris: 18 °C", ", Rome: 24 °C.")));

    List<ResponseInputItem> conversation = new ArrayList<>(List.of(user(QUESTION)));
    ResponseCreateParams first = ask("gpt-5", conversation).toBuilder().parallelToolCalls(true).build();
    Streamed called = stream(first);

    assertThat(called.types()).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    var added = called.events().get(2).asOutputItemAdded();
    assertThat(added.item().asFunctionCall().arguments()).as("arguments start empty").isEmpty();
    assertThat(added.item().asFunctionCall().callId()).isEqualTo("call_Paris1");
    assertThat(called.events().get(3).asFunctionCallArgumentsDelta().delta()).isEqualTo("{\"city\":");
    assertThat(called.events().get(5).asFunctionCallArgumentsDone().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(called.events().get(7).asOutputItemAdded().outputIndex()).isEqualTo(1);
    Response completed = called.events().get(11).asCompleted().response();
    assertThat(calls(completed)).extracting(c -> c.callId() + " " + c.name() + " " + c.arguments())
        .containsExactly("call_Paris1 get_weather {\"city\":\"Paris\"}", "call_Rome2 get_weather {\"city\":\"Rome\"}");
    assertThat(calls(called.response())).as("what the SDK accumulates").isEqualTo(calls(completed));
    assertThat(sent(CHAT, 0)).isEqualTo(json("""
        {"model": "gpt-5", "reasoning_effort": "high",
         "messages": [{"role": "user", "content": "%s"}],
         "tools": %s, "parallel_tool_calls": true,
         "stream": true, "stream_options": {"include_usage": true}}""".formatted(QUESTION, CHAT_TOOLS)));

    conversation.addAll(asInput(completed));
    conversation.add(output("call_Paris1", "18 °C"));
    conversation.add(output("call_Rome2", "24 °C"));
    Streamed answered = stream(first.toBuilder().inputOfResponse(conversation).build());

    assertThat(text(answered.response())).isEqualTo("Paris: 18 °C, Rome: 24 °C.");
    assertThat(answered.types()).endsWith("response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed");
    assertThat(sent(CHAT, 1).get("messages")).as("both calls in one assistant turn, both results in order").isEqualTo(json("""
        [{"role": "user", "content": "%s"},
         {"role": "assistant", "content": null, "tool_calls": [%s, %s]},
         {"role": "tool", "tool_call_id": "call_Paris1", "content": "18 °C"},
         {"role": "tool", "tool_call_id": "call_Rome2", "content": "24 °C"}]""".formatted(QUESTION, CALL_PARIS, CALL_ROME)));
  }

  static String anthropicAnswer(String content, String stopReason) {
    return "{\"id\":\"msg_up\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":"
        + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":120,\"output_tokens\":64}}";
  }

  static final String THINKING_AND_CALL = "[{\"type\":\"thinking\",\"thinking\":\"I should look up the weather.\","
      + "\"signature\":\"" + SIGNATURE + "\"},{\"type\":\"text\",\"text\":\"Let me check.\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]";

  static final String ANTHROPIC_TOOLS = "[{\"name\": \"get_weather\", \"description\": \"Current weather in a city\","
      + " \"input_schema\": " + SCHEMA + "}]";

  @Test
  void aToolLoopAcrossFormatsKeepsAnthropicsSignedThinkingThroughTheReasoningItem() throws Exception {
    upstream.reply(MESSAGES, Reply.json(anthropicAnswer(THINKING_AND_CALL, "tool_use")));
    upstream.reply(MESSAGES, Reply.json(anthropicAnswer("[{\"type\":\"text\",\"text\":\"It is 18 °C in Paris.\"}]", "end_turn")));

    List<ResponseInputItem> conversation = new ArrayList<>(List.of(user(QUESTION)));
    Response called = client.responses().create(ask("claude-sonnet-4-5", conversation)).validate();

    assertThat(called.output()).hasSize(3);
    var reasoning = called.output().get(0).asReasoning();
    assertThat(reasoning.summary()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("I should look up the weather."));
    assertThat(reasoning.encryptedContent()).contains("effort:anthropic:" + SIGNATURE);
    assertThat(called.output().get(1).asMessage().content().get(0).asOutputText().text()).isEqualTo("Let me check.");
    assertThat(called.output().get(2).asFunctionCall().callId()).isEqualTo("toolu_01A");
    assertThat(called.output().get(2).asFunctionCall().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    JsonNode first = sent(MESSAGES, 0);
    assertThat(first.get("tools")).isEqualTo(json(ANTHROPIC_TOOLS));
    assertThat(first.get("messages")).isEqualTo(json("[{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}]"));
    assertThat(first.at("/thinking/type").asText()).isEqualTo("enabled");

    conversation.addAll(asInput(called));
    conversation.add(output("toolu_01A", "18 °C"));
    Response answered = client.responses().create(ask("claude-sonnet-4-5", conversation)).validate();

    assertThat(text(answered)).isEqualTo("It is 18 °C in Paris.");
    JsonNode second = sent(MESSAGES, 1);
    assertThat(second.get("messages")).as("the upstream's own thinking, signature unchanged").isEqualTo(json(
        "[{\"role\": \"user\", \"content\": \"" + QUESTION + "\"},"
            + "{\"role\": \"assistant\", \"content\": " + THINKING_AND_CALL + "},"
            + "{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_01A\", \"content\": \"18 °C\"}]}]"));
    assertThat(second.get("thinking")).isEqualTo(first.get("thinking"));
    assertThat(second.get("max_tokens")).isEqualTo(first.get("max_tokens"));
  }

  @Test
  void aStreamedAnthropicToolCallArrivesAsReasoningThenAFunctionCallWithArgumentDeltas() throws Exception {
    upstream.reply(MESSAGES, Reply.sse(String.join("",
        event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_up\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":120,\"output_tokens\":1}}}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"thinking_delta\",\"thinking\":\"I should look up the weather.\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{}}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
        event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":64}}"),
        event("message_stop", "{\"type\":\"message_stop\"}"))));

    Streamed called = stream(ask("claude-sonnet-4-5", List.of(user(QUESTION))));

    assertThat(called.types()).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    assertThat(called.events().get(7).asOutputItemDone().item().asReasoning().encryptedContent())
        .contains("effort:anthropic:" + SIGNATURE);
    Response completed = called.events().get(13).asCompleted().response();
    assertThat(calls(completed)).singleElement().satisfies(c -> {
      assertThat(c.callId()).isEqualTo("toolu_01A");
      assertThat(Json.canonical(c.arguments())).isEqualTo("{\"city\":\"Paris\"}");
    });
    assertThat(asInput(completed)).hasSize(2);
  }

  @Test
  void groupedToolsReachTheUpstreamFlatAndTheirCallsComeBackInTheirNamespaceWhileHostedToolsAreNamedAsDropped()
      throws Exception {
    upstream.reply(CHAT, Reply.json(completion("{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call_r\","
        + " \"type\": \"function\", \"function\": {\"name\": \"files__read\", \"arguments\": \"{\\\"path\\\":\\\"a.txt\\\"}\"}}],"
        + " \"refusal\": null}", "tool_calls")));
    HttpResponse<String> r = gateway.post("/v1/responses", """
        {"model": "gpt-5", "input": "Read a.txt", "store": false,
         "tools": [{"type": "namespace", "name": "files", "description": "File tools", "tools": [
                     {"type": "function", "name": "read", "description": "Read a file",
                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}]},
                   {"type": "web_search"}]}""");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Dropped-Tools")).contains("web_search");
    JsonNode call = RunningGateway.json(r).at("/output/0");
    assertThat(call.get("name").asText()).isEqualTo("read");
    assertThat(call.get("namespace").asText()).isEqualTo("files");
    assertThat(sent(CHAT, 0).get("tools")).isEqualTo(json("""
        [{"type": "function", "function": {"name": "files__read", "description": "Read a file",
          "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}}]"""));
  }

  @Test
  void aToolChoiceForcingAHostedToolNoUpstreamCanRunIsA400() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/responses", """
        {"model": "gpt-5", "input": "Search the web", "tools": [{"type": "web_search"}],
         "tool_choice": {"type": "web_search"}}""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(RunningGateway.json(r).at("/error/param").asText()).isEqualTo("tool_choice");
    assertThat(upstream.on(CHAT)).isEmpty();
  }

  /**
   * The second turn of the Codex CLI 0.171.0 as captured (long texts trimmed; see
   * /work/notes/agent-requests.md): developer messages, a function call and its output, seven
   * functions, a namespace of five, hosted web search, and fields only the Responses API knows.
   */
  @Test
  void codexsSecondTurnAsCapturedRunsAndItsNamespacedCallComesBackInItsNamespace() throws Exception {
    String body;
    try (var in = ResponsesToolLoopTest.class.getResourceAsStream("/agent-requests/codex-0.171.0-turn2.json")) {
      body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    upstream.reply(CHAT, Reply.sse(
        chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_spawn\",\"type\":\"function\","
            + "\"function\":{\"name\":\"multi_agent_v1__spawn_agent\",\"arguments\":\"\"}}]}", null)
        + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"message\\\":\\\"ls\\\"}\"}}]}", null)
        + chunk("{}", "tool_calls") + USAGE_CHUNK));

    HttpResponse<String> r = gateway.post("/v1/responses", body, "Content-Type", "application/json",
        "Accept", "text/event-stream", "Authorization", "Bearer sk-dummy", "originator", "codex_exec");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Dropped-Tools")).contains("web_search");
    List<JsonNode> events = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      events.add(json(block.substring(block.indexOf("data: ") + "data: ".length())));
    }
    assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done", "response.completed");
    JsonNode call = events.get(5).get("item");
    assertThat(call.get("name").asText()).isEqualTo("spawn_agent");
    assertThat(call.get("namespace").asText()).isEqualTo("multi_agent_v1");
    assertThat(call.get("call_id").asText()).isEqualTo("call_spawn");
    assertThat(events.get(2).at("/item/name").asText()).isEqualTo("spawn_agent");
    assertThat(events.get(6).at("/response/reasoning/summary").asText()).as("echoed").isEqualTo("auto");

    JsonNode sent = sent(CHAT, 0);
    assertThat(sent.get("messages")).extracting(m -> m.get("role").asText())
        .containsExactly("system", "system", "user", "user", "assistant", "tool");
    assertThat(sent.at("/messages/4/tool_calls/0")).isEqualTo(json("""
        {"id": "call_fe89a940fa8246dca7eb", "type": "function",
         "function": {"name": "exec_command", "arguments": "{\\"cmd\\": \\"ls\\"}"}}"""));
    assertThat(sent.at("/messages/5/tool_call_id").asText()).isEqualTo("call_fe89a940fa8246dca7eb");
    assertThat(sent.get("tools")).extracting(t -> t.at("/function/name").asText()).containsExactly("exec_command",
        "write_stdin", "request_user_input", "view_image", "multi_agent_v1__close_agent", "multi_agent_v1__resume_agent",
        "multi_agent_v1__send_input", "multi_agent_v1__spawn_agent", "multi_agent_v1__wait_agent", "get_goal", "create_goal",
        "update_goal");
    assertThat(sent.at("/tools/0/function/strict").asBoolean(true)).as("strict: false kept").isFalse();
    assertThat(sent.get("tool_choice").asText()).isEqualTo("auto");
    assertThat(sent.get("parallel_tool_calls").asBoolean()).isTrue();
    assertThat(sent.fieldNames()).toIterable().as("Responses-only fields stay behind")
        .doesNotContain("store", "include", "prompt_cache_key", "client_metadata", "input", "reasoning");
  }

  @Test
  void codexsSecondTurnAsCapturedRunsAcrossFormatsOnAMessagesUpstream() throws Exception {
    String body;
    try (var in = ResponsesToolLoopTest.class.getResourceAsStream("/agent-requests/codex-0.171.0-turn2.json")) {
      body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("\"model\": \"gpt-5\"",
          "\"model\": \"claude-sonnet-4-5\"");
    }
    upstream.reply(MESSAGES, Reply.sse(String.join("",
        event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_up\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":120,\"output_tokens\":1}}}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"a.txt and b.md\"}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
        event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":9}}"),
        event("message_stop", "{\"type\":\"message_stop\"}"))));

    HttpResponse<String> r = gateway.post("/v1/responses", body, "Content-Type", "application/json",
        "Accept", "text/event-stream", "Authorization", "Bearer sk-dummy");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Effort-Dropped-Tools")).contains("web_search");
    assertThat(r.body()).contains("\"delta\":\"a.txt and b.md\"").contains("event: response.completed");
    JsonNode sent = sent(MESSAGES, 0);
    assertThat(sent.get("system")).as("Codex's developer messages").isNotNull();
    assertThat(sent.get("tools")).extracting(t -> t.get("name").asText()).contains("exec_command",
        "multi_agent_v1__spawn_agent").doesNotContain("web_search");
    JsonNode messages = sent.get("messages");
    JsonNode call = messages.get(messages.size() - 2).get("content").get(0);
    assertThat(call.get("type").asText()).isEqualTo("tool_use");
    assertThat(call.get("id").asText()).isEqualTo("call_fe89a940fa8246dca7eb");
    assertThat(call.get("input")).isEqualTo(json("{\"cmd\": \"ls\"}"));
    JsonNode result = messages.get(messages.size() - 1).get("content").get(0);
    assertThat(result.get("type").asText()).isEqualTo("tool_result");
    assertThat(result.get("tool_use_id").asText()).isEqualTo("call_fe89a940fa8246dca7eb");
    assertThat(sent.fieldNames()).toIterable().doesNotContain("store", "include", "prompt_cache_key", "client_metadata",
        "input", "reasoning");
  }
}
