package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Content;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Plan;
import dev.effort.core.StopReason;
import dev.effort.core.Strategy;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Trace;
import dev.effort.core.Usage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Responses API codec: input items into messages of blocks and back, grouped tools flattened
 * and mapped back, reasoning items carrying an upstream's signature through a stateless client;
 * and over HTTP against local upstreams speaking Chat Completions and Messages, the exact upstream
 * request and the event sequence the client gets.
 */
class ResponsesTest {
  static final OpenAiResponses RESPONSES = new OpenAiResponses();
  static ScriptedUpstream upstream;
  static RunningGateway client;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
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
    upstream.reset();
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Answer answer(List<Content> content, StopReason stop) {
    Plan plan = new Plan(Strategy.SINGLE, List.of(new dev.effort.core.Step("gpt-5", Optional.empty(),
        java.util.OptionalInt.empty(), java.util.OptionalInt.empty())));
    Trace trace = new Trace(Effort.HIGH, Effort.HIGH, plan, List.of(), List.of());
    return new Answer(content, "gpt-5", stop, Optional.empty(), new Usage(10, 5, 3), 0.001, Duration.ofMillis(5),
        Duration.ofMillis(9), trace);
  }

  // --- parsing ------------------------------------------------------------------------------------

  @Test
  void aToolLoopsItemsBecomeAnAssistantTurnOfCallsAndAUserTurnOfResults() {
    ChatRequest chat = RESPONSES.parse(json("""
        {"model": "effort", "instructions": "Be brief.", "input": [
          {"role": "user", "content": [{"type": "input_text", "text": "Weather in Paris and Rome?"}]},
          {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Two cities."}]},
          {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
           "content": [{"type": "output_text", "text": "Checking.", "annotations": []}]},
          {"type": "function_call", "id": "fc_1", "call_id": "call_a", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
          {"type": "function_call", "id": "fc_2", "call_id": "call_b", "name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"},
          {"type": "function_call_output", "call_id": "call_a", "output": "18C"},
          {"type": "function_call_output", "call_id": "call_b", "output": [{"type": "input_text", "text": "21C"}]},
          {"role": "user", "content": "Which is warmer?"}
        ]}"""));

    assertThat(chat.messages()).containsExactly(
        new Message("system", "Be brief."),
        new Message("user", "Weather in Paris and Rome?"),
        new Message("assistant", List.of(Content.Thinking.unsigned("Two cities."), new Content.Text("Checking."),
            new Content.ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
            new Content.ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"))),
        new Message("user", List.of(new Content.ToolResult("call_a", "18C", false),
            new Content.ToolResult("call_b", "21C", false))),
        new Message("user", "Which is warmer?"));
  }

  @Test
  void toolsToolChoiceAndParallelCallsReachTheAskAndUnusedFieldsAreKeptApart() {
    ChatRequest chat = RESPONSES.parse(json("""
        {"model": "effort", "input": "hi", "store": false, "metadata": {"run": "7"}, "prompt_cache_key": "k",
         "include": ["reasoning.encrypted_content"], "temperature": 0.2, "text": {"format": {"type": "text"}},
         "max_output_tokens": 300, "parallel_tool_calls": false, "tool_choice": {"type": "function", "name": "get_weather"},
         "tools": [
           {"type": "function", "name": "get_weather", "description": "Weather now",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "strict": true},
           {"type": "web_search"}
         ]}"""));

    assertThat(chat.maxTokens()).hasValue(300);
    assertThat(chat.tools().choice()).contains(ToolChoice.named("get_weather"));
    assertThat(chat.tools().parallel()).contains(false);
    Tool.Function f = (Tool.Function) chat.tools().offered().get(0);
    assertThat(f.name()).isEqualTo("get_weather");
    assertThat(f.description()).isEqualTo("Weather now");
    assertThat(f.parameters().at("/required/0").asText()).isEqualTo("city");
    assertThat(f.strict()).contains(true);
    assertThat(chat.tools().offered().get(1)).isEqualTo(new Tool.Hosted("responses", "web_search", "web_search",
        (ObjectNode) json("{\"type\": \"web_search\"}")));
    assertThat(chat.unused().fieldNames()).toIterable()
        .containsExactlyInAnyOrder("metadata", "prompt_cache_key", "include", "temperature", "text");
  }

  @Test
  void groupedToolsAreFlattenedAndTheirCallsAnsweredInTheNamespaceForm() {
    JsonNode body = json("""
        {"model": "effort", "tools": [{"type": "namespace", "name": "files", "description": "File tools", "tools": [
           {"type": "function", "name": "read", "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}]}],
         "input": [{"role": "user", "content": "Read a.txt"},
                   {"type": "function_call", "call_id": "call_1", "namespace": "files", "name": "read", "arguments": "{\\"path\\":\\"a.txt\\"}"},
                   {"type": "function_call_output", "call_id": "call_1", "output": "hello"}]}""");
    ChatRequest chat = RESPONSES.parse(body);
    assertThat(chat.tools().offered()).extracting(Tool::name).containsExactly("files__read");
    assertThat(chat.messages().get(1).content()).containsExactly(
        new Content.ToolCall("call_1", "files__read", "{\"path\":\"a.txt\"}"));

    ObjectNode response = RESPONSES.answering(body).response(answer(List.of(
        new Content.ToolCall("call_2", "files__read", "{\"path\":\"b.txt\"}")), StopReason.TOOL_USE), "resp_1",
        Json.MAPPER.createObjectNode());
    JsonNode call = response.at("/output/0");
    assertThat(call.get("type").asText()).isEqualTo("function_call");
    assertThat(call.get("name").asText()).isEqualTo("read");
    assertThat(call.get("namespace").asText()).isEqualTo("files");
    assertThat(call.get("call_id").asText()).isEqualTo("call_2");
    assertThat(call.get("id").asText()).startsWith("fc_");
    assertThat(response.at("/tools/0/type").asText()).as("the request's tools echoed as sent").isEqualTo("namespace");
  }

  @Test
  void anUpstreamsSignedThinkingTravelsThroughTheClientInEncryptedContentAndComesBackSigned() {
    ObjectNode response = RESPONSES.response(answer(List.of(
        new Content.Thinking("Let me think.", "sig-anthropic", Content.Thinking.ANTHROPIC),
        new Content.RedactedThinking("opaque-data"),
        new Content.Text("Done."),
        new Content.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}")), StopReason.TOOL_USE), "resp_1",
        Json.MAPPER.createObjectNode());
    JsonNode output = response.get("output");
    assertThat(output).hasSize(4);
    assertThat(output.at("/0/summary/0/text").asText()).isEqualTo("Let me think.");
    assertThat(output.at("/0/encrypted_content").asText()).isEqualTo("effort:anthropic:sig-anthropic");
    assertThat(output.at("/1/encrypted_content").asText()).isEqualTo("effort:redacted:opaque-data");
    assertThat(output.at("/2/content/0/text").asText()).isEqualTo("Done.");
    assertThat(output.at("/3/call_id").asText()).isEqualTo("toolu_1");

    // A stateless client sends the output back as input items, then the tool's output.
    ObjectNode next = (ObjectNode) json("{\"model\": \"effort\"}");
    var input = next.putArray("input");
    input.addObject().put("role", "user").put("content", "Weather?");
    output.forEach(input::add);
    input.addObject().put("type", "function_call_output").put("call_id", "toolu_1").put("output", "18C");
    ChatRequest chat = RESPONSES.parse(next);

    assertThat(chat.messages().get(1)).isEqualTo(new Message("assistant", List.of(
        new Content.Thinking("Let me think.", "sig-anthropic", Content.Thinking.ANTHROPIC),
        new Content.RedactedThinking("opaque-data"),
        new Content.Text("Done."),
        new Content.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"))));
  }

  @Test
  void reasoningWithOpenAisOwnEncryptedContentIsThinkingOfOriginOpenAiAndUnsignedThinkingIsTheGatewaysOwn() {
    ChatRequest chat = RESPONSES.parse(json("""
        {"model": "effort", "input": [{"role": "user", "content": "hi"},
          {"type": "reasoning", "summary": [{"type": "summary_text", "text": "a"}], "encrypted_content": "gAAAAB-openai"},
          {"type": "reasoning", "summary": [{"type": "summary_text", "text": "b"}], "encrypted_content": null},
          {"role": "assistant", "content": "hello"}, {"role": "user", "content": "again"}]}"""));
    assertThat(chat.messages().get(1).content()).containsExactly(
        new Content.Thinking("a", "gAAAAB-openai", Content.Thinking.OPENAI), Content.Thinking.unsigned("b"),
        new Content.Text("hello"));
  }

  @Test
  void imagesInlineAndByUrlBecomeImageBlocks() {
    ChatRequest chat = RESPONSES.parse(json("""
        {"model": "effort", "input": [{"role": "user", "content": [
          {"type": "input_text", "text": "What is this?"},
          {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"},
          {"type": "input_image", "image_url": "https://example.com/cat.jpg"}]}]}"""));
    List<Content> content = chat.messages().get(0).content();
    assertThat(content.get(1)).isEqualTo(new Content.Image("image/png", Optional.of("iVBORw0KGgo="), Optional.empty(),
        (ObjectNode) json("{\"detail\": \"low\"}")));
    assertThat(content.get(2)).isEqualTo(Content.Image.at("https://example.com/cat.jpg"));
  }

  @Test
  void anAnswerCutAtTheOutputCapIsIncompleteWithTheReason() {
    ObjectNode response = RESPONSES.response(answer(List.of(new Content.Text("Par")), StopReason.MAX_TOKENS), "resp_1",
        Json.MAPPER.createObjectNode());
    assertThat(response.get("status").asText()).isEqualTo("incomplete");
    assertThat(response.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    assertThat(response.at("/usage/output_tokens").asLong()).as("thinking counted in output").isEqualTo(8);
    assertThat(response.at("/usage/output_tokens_details/reasoning_tokens").asLong()).isEqualTo(3);
    assertThat(response.at("/usage/total_tokens").asLong()).isEqualTo(18);
  }

  // --- over HTTP, against local upstreams -----------------------------------------------------------

  static final String OPENAI_ANSWER = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion\",\"created\":1700000000,"
      + "\"model\":\"gpt-5\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris\","
      + "\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50,"
      + "\"total_tokens\":62,\"completion_tokens_details\":{\"reasoning_tokens\":48}}}";

  static String openAiChunks() {
    String head = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-5\",";
    return String.join("",
        ScriptedUpstream.data(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"),
        ScriptedUpstream.data(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"},\"finish_reason\":null}]}"),
        ScriptedUpstream.data(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is\"},\"finish_reason\":null}]}"),
        ScriptedUpstream.data(head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
        ScriptedUpstream.data(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50,\"total_tokens\":62,"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":48}}}"),
        ScriptedUpstream.data("[DONE]"));
  }

  /** The events of a Responses stream: type and data. */
  record Event(String type, JsonNode data) {}

  static List<Event> events(HttpResponse<String> r) {
    List<Event> events = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      String[] lines = block.split("\n");
      assertThat(lines[0]).startsWith("event: ");
      JsonNode data = json(lines[1].substring("data: ".length()));
      assertThat(data.get("type").asText()).isEqualTo(lines[0].substring("event: ".length()));
      assertThat(data.get("sequence_number").asInt()).isEqualTo(events.size());
      events.add(new Event(data.get("type").asText(), data));
    }
    return events;
  }

  @Test
  void aResponsesClientIsAnsweredByAChatCompletionsUpstreamWithTheExactRequest() throws Exception {
    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.json(OPENAI_ANSWER));
    HttpResponse<String> r = client.post("/v1/responses", """
        {"model": "gpt-5", "instructions": "Be brief.", "input": "What is the capital of France?",
         "reasoning": {"effort": "low"}, "store": false, "metadata": {"run": "7"}}""");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = RunningGateway.json(r);
    assertThat(body.get("object").asText()).isEqualTo("response");
    assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo("Paris");
    assertThat(body.at("/usage/output_tokens").asLong()).isEqualTo(50);
    assertThat(body.at("/usage/output_tokens_details/reasoning_tokens").asLong()).isEqualTo(48);
    assertThat(body.get("instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.at("/metadata/run").asText()).isEqualTo("7");
    assertThat(r.headers().firstValue("Effort-Level")).contains("low");

    ScriptedUpstream.Received sent = upstream.on("/v1/chat/completions").get(0);
    assertThat(sent.json()).as("no Responses field (metadata, store) reaches a Chat Completions upstream").isEqualTo(json("""
        {"model": "gpt-5", "messages": [{"role": "system", "content": "Be brief."},
          {"role": "user", "content": "What is the capital of France?"}], "reasoning_effort": "low"}"""));
  }

  @Test
  void aResponsesStreamServedByAChatCompletionsUpstreamHasTheRealEventSequence() throws Exception {
    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.sse(openAiChunks()));
    HttpResponse<String> r = client.post("/v1/responses",
        "{\"model\": \"gpt-5\", \"input\": \"What is the capital of France?\", \"stream\": true, \"max_output_tokens\": 100}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Event> events = events(r);
    assertThat(events).extracting(Event::type).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed");
    assertThat(events.get(4).data().get("delta").asText()).isEqualTo("Par");
    assertThat(events.get(6).data().get("text").asText()).isEqualTo("Paris");
    String itemId = events.get(2).data().at("/item/id").asText();
    assertThat(events.subList(3, 8)).allSatisfy(e -> assertThat(e.data().get("item_id").asText()).isEqualTo(itemId));
    JsonNode completed = events.get(9).data().get("response");
    assertThat(completed.get("status").asText()).isEqualTo("completed");
    assertThat(completed.at("/output/0/id").asText()).isEqualTo(itemId);
    assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("Paris");
    assertThat(completed.at("/usage/total_tokens").asLong()).isEqualTo(62);
    assertThat(completed.at("/effort/model").asText()).isEqualTo("gpt-5");
    assertThat(completed.get("max_output_tokens").asInt()).isEqualTo(100);
    assertThat(upstream.on("/v1/chat/completions").get(0).json().get("stream").asBoolean()).isTrue();
  }

  @Test
  void anAnthropicUpstreamsThinkingStreamsAsAReasoningItemBeforeTheMessage() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(String.join("",
        ScriptedUpstream.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_up\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}"),
        ScriptedUpstream.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
        ScriptedUpstream.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"thinking_delta\",\"thinking\":\"The capital is Paris.\"}}"),
        ScriptedUpstream.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"signature_delta\",\"signature\":\"sig-up\"}}"),
        ScriptedUpstream.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
        ScriptedUpstream.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
            + "{\"type\":\"text\",\"text\":\"\"}}"),
        ScriptedUpstream.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
            + "{\"type\":\"text_delta\",\"text\":\"Paris\"}}"),
        ScriptedUpstream.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
        ScriptedUpstream.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}"),
        ScriptedUpstream.event("message_stop", "{\"type\":\"message_stop\"}"))));
    HttpResponse<String> r = client.post("/v1/responses",
        "{\"model\": \"claude-sonnet-4-5\", \"input\": \"What is the capital of France?\", \"stream\": true}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Event> events = events(r);
    assertThat(events).extracting(Event::type).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(events.get(2).data().at("/item/type").asText()).isEqualTo("reasoning");
    assertThat(events.get(4).data().get("delta").asText()).isEqualTo("The capital is Paris.");
    assertThat(events.get(7).data().at("/item/summary/0/text").asText()).isEqualTo("The capital is Paris.");
    assertThat(events.get(7).data().at("/item/encrypted_content").asText()).as("the upstream's signature, for the next turn")
        .isEqualTo("effort:anthropic:sig-up");
    assertThat(events.get(8).data().get("output_index").asInt()).isEqualTo(1);
    JsonNode completed = events.get(14).data().get("response");
    assertThat(completed.at("/output/0/type").asText()).isEqualTo("reasoning");
    assertThat(completed.at("/output/1/content/0/text").asText()).isEqualTo("Paris");
  }

  @Test
  void anUpstreamFailureBeforeTheFirstEventIsAPlainErrorInOpenAisFormat() throws Exception {
    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.json(400,
        "{\"error\":{\"message\":\"bad things\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
    HttpResponse<String> r = client.post("/v1/responses", "{\"model\": \"gpt-5\", \"input\": \"hi\", \"stream\": true}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(RunningGateway.json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void anUpstreamFailureMidStreamIsAnErrorEventThenResponseFailed() throws Exception {
    String head = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-5\",";
    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.sse(String.join("",
        ScriptedUpstream.data(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Par\"},\"finish_reason\":null}]}"),
        ScriptedUpstream.data("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"))));
    HttpResponse<String> r = client.post("/v1/responses", "{\"model\": \"gpt-5\", \"input\": \"hi\", \"stream\": true}");

    List<Event> events = events(r);
    assertThat(events).extracting(Event::type).endsWith("response.output_text.delta", "error", "response.failed");
    JsonNode error = events.get(events.size() - 2).data();
    assertThat(error.get("message").asText()).contains("overloaded");
    assertThat(error.has("code")).isTrue();
    assertThat(error.has("param")).isTrue();
    JsonNode failed = events.get(events.size() - 1).data().get("response");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.at("/error/code").asText()).isEqualTo("server_error");
    assertThat(failed.at("/error/message").asText()).contains("overloaded");
  }

  @Test
  void anAnswerCutByTheUpstreamsLengthLimitIsIncompleteInJsonAndEndsTheStreamWithResponseIncomplete() throws Exception {
    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.json(OPENAI_ANSWER.replace("\"stop\"", "\"length\"")));
    HttpResponse<String> r = client.post("/v1/responses", "{\"model\": \"gpt-5\", \"input\": \"hi\", \"max_output_tokens\": 5}");
    JsonNode body = RunningGateway.json(r);
    assertThat(body.get("status").asText()).isEqualTo("incomplete");
    assertThat(body.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");

    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.sse(openAiChunks().replace("\"finish_reason\":\"stop\"",
        "\"finish_reason\":\"length\"")));
    List<Event> events = events(client.post("/v1/responses",
        "{\"model\": \"gpt-5\", \"input\": \"hi\", \"max_output_tokens\": 5, \"stream\": true}"));
    Event last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo("response.incomplete");
    assertThat(last.data().at("/response/status").asText()).isEqualTo("incomplete");
    assertThat(last.data().at("/response/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
  }

  @Test
  void anInputImageReachesAChatCompletionsUpstreamAsAnImageUrlPart() throws Exception {
    upstream.reply("/v1/chat/completions", ScriptedUpstream.Reply.json(OPENAI_ANSWER));
    HttpResponse<String> r = client.post("/v1/responses", """
        {"model": "gpt-5", "input": [{"role": "user", "content": [
          {"type": "input_text", "text": "What is in this picture?"},
          {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo=", "detail": "high"}]}]}""");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // detail is passthrough of the Responses format, which no upstream speaks: left out like any other.
    assertThat(upstream.on("/v1/chat/completions").get(0).json().get("messages")).isEqualTo(json("""
        [{"role": "user", "content": [{"type": "text", "text": "What is in this picture?"},
          {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]"""));
  }
}
