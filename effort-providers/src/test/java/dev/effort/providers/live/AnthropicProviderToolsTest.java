package dev.effort.providers.live;

import static dev.effort.providers.live.AnthropicProviderTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Content;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Passthrough;
import dev.effort.core.Step;
import dev.effort.core.StopReason;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import dev.effort.providers.wire.AnthropicWire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic provider with tool traffic: what it sends (blocks, tools, tool choice, stop
 * sequences, passthrough; thinking only where Anthropic takes it) and what it reads back (tool use,
 * signed and redacted thinking, the true stop reason), whole and streamed.
 */
class AnthropicProviderToolsTest {
  static final String KEY = "sk-ant-api03-test-key-0123456789abcdef";
  static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  final TestUpstream upstream = TestUpstream.start();
  final AnthropicProvider provider = new AnthropicProvider(
      new Upstream("anthropic", upstream.baseUrl(), KEY, "ANTHROPIC_API_KEY"), Catalog.builtIn(), LiveProviders.newHttpClient());

  @AfterEach
  void stop() {
    upstream.close();
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  static ObjectNode object(String text) throws Exception {
    return (ObjectNode) json(text);
  }

  static Tool.Function weather(ObjectNode passthrough) throws Exception {
    return new Tool.Function("get_weather", "The weather of a city", object(SCHEMA), Optional.of(true), passthrough);
  }

  static Ask ask(List<Message> messages, Tools tools, List<String> stops, Passthrough passthrough) {
    return new Ask(messages, Effort.HIGH, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
        OptionalInt.empty(), tools, stops, passthrough);
  }

  static final String PLAIN_ANSWER = """
      {"id": "msg_02", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
       "content": [{"type": "text", "text": "Sunny."}], "stop_reason": "end_turn", "stop_sequence": null,
       "usage": {"input_tokens": 21, "output_tokens": 7}}""";

  @Test
  void aConversationFromAnOpenAiClientIsSentAsAnthropicBlocksWithoutWhatOnlyOpenAiKnows() throws Exception {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));
    List<Message> messages = List.of(
        new Message("system", "Be brief."),
        Message.user("Weather in Paris and Oslo?"),
        new Message("assistant", List.of(
            new Content.Thinking("OpenAI's reasoning", "gAAAA-encrypted", Content.Thinking.OPENAI),
            new Content.Opaque("openai", "reasoning_summary", object("{\"type\":\"reasoning_summary\"}")),
            new Content.Text("Checking.", object("{\"annotations\":[]}")),
            new Content.ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}"),
            new Content.ToolCall("functions.get_weather:1", "get_weather", "{\"city\": \"Oslo\"}"))),
        new Message("user", List.of(
            new Content.ToolResult("call_abc", "sunny", false),
            new Content.ToolResult("functions.get_weather:1", List.of(new Content.Text("no station"),
                Content.Image.inline("image/png", "iVBORw0KGgo=")), true, null))));
    Tools tools = new Tools(List.of(weather(object("{\"x_openai\":1}")),
        new Tool.Hosted("openai", "web_search_preview", "web_search_preview", object("{\"type\":\"web_search_preview\"}"))),
        Optional.of(ToolChoice.of(ToolChoice.Mode.REQUIRED)), Optional.of(false));
    Passthrough openAi = new Passthrough("openai", object("{\"prompt_cache_key\":\"k\"}"), Map.of("openai-beta", "x"), "a=b");

    provider.complete(ask(messages, tools, List.of("END"), openAi), new Step("claude-sonnet-4-5", Optional.of(Effort.HIGH),
        OptionalInt.empty(), OptionalInt.empty()));

    String oslo = AnthropicWire.toolId("functions.get_weather:1");
    assertThat(oslo).matches("functions_get_weather_1-[0-9a-f]{8}");
    TestUpstream.Received sent = upstream.only();
    assertThat(sent.headers()).doesNotContainKey("openai-beta");
    // A forced tool call takes no thinking on Anthropic: the level's thinking is left out, and its room.
    assertThat(sent.json()).isEqualTo(json("""
        {"model": "claude-sonnet-4-5", "max_tokens": 8192, "system": "Be brief.",
         "messages": [
           {"role": "user", "content": "Weather in Paris and Oslo?"},
           {"role": "assistant", "content": [
             {"type": "text", "text": "Checking."},
             {"type": "tool_use", "id": "call_abc", "name": "get_weather", "input": {"city": "Paris"}},
             {"type": "tool_use", "id": "%1$s", "name": "get_weather", "input": {"city": "Oslo"}}]},
           {"role": "user", "content": [
             {"type": "tool_result", "tool_use_id": "call_abc", "content": "sunny"},
             {"type": "tool_result", "tool_use_id": "%1$s", "is_error": true, "content": [
               {"type": "text", "text": "no station"},
               {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]}]}],
         "tools": [{"name": "get_weather", "description": "The weather of a city", "input_schema": %2$s}],
         "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
         "stop_sequences": ["END"]}""".formatted(oslo, SCHEMA)));
  }

  static List<Message> afterToolCall(Content... assistant) {
    return List.of(Message.user("Weather in Paris?"), new Message("assistant", List.of(assistant)),
        new Message("user", List.of(new Content.ToolResult("toolu_1", "sunny", false))));
  }

  static final Content.ToolCall CALL = new Content.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}");
  static final Content.Thinking SIGNED = new Content.Thinking("Look it up.", SIGNATURE, Content.Thinking.ANTHROPIC);

  /** Whether the call for this conversation thinks (claude-sonnet-4-5 at high: manual thinking). */
  boolean thinks(List<Message> conversation, Tools tools) {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));
    provider.complete(ask(conversation, tools, List.of(), Passthrough.NONE),
        new Step("claude-sonnet-4-5", Optional.of(Effort.HIGH), OptionalInt.empty(), OptionalInt.empty()));
    List<TestUpstream.Received> all = upstream.received();
    return all.get(all.size() - 1).json().has("thinking");
  }

  @Test
  void aToolTurnKeepsThinkingOnlyWhenItStartedWithAnthropicsSignedThinking() {
    assertThat(thinks(afterToolCall(SIGNED, CALL), Tools.NONE)).as("signed by Anthropic").isTrue();
    assertThat(thinks(afterToolCall(new Content.RedactedThinking("EmwKAhgBEgy3va3pzix"), CALL), Tools.NONE)).as("redacted").isTrue();
    assertThat(thinks(afterToolCall(Content.Thinking.unsigned("Look it up."), CALL), Tools.NONE)).as("signed by the gateway")
        .isFalse();
    assertThat(thinks(afterToolCall(CALL), Tools.NONE)).as("no thinking (another provider's turn)").isFalse();
    assertThat(thinks(afterToolCall(new Content.Text("Let me see."), SIGNED, CALL), Tools.NONE))
        .as("thinking that does not come first").isFalse();

    List<Message> secondRound = new ArrayList<>(afterToolCall(SIGNED, CALL));
    secondRound.add(new Message("assistant", List.of(new Content.ToolCall("toolu_2", "get_weather", "{\"city\":\"Lyon\"}"))));
    secondRound.add(new Message("user", List.of(new Content.ToolResult("toolu_2", "rain", false), new Content.Text("reminder"))));
    assertThat(thinks(secondRound, Tools.NONE)).as("a second round of a turn that began with thinking").isTrue();

    List<Message> nextTurn = new ArrayList<>(afterToolCall(CALL));
    nextTurn.add(new Message("assistant", "Sunny."));
    nextTurn.add(Message.user("And tomorrow?"));
    assertThat(thinks(nextTurn, Tools.NONE)).as("a new turn after another provider's tool turn").isTrue();

    Tools forced = new Tools(List.of(), Optional.of(ToolChoice.named("get_weather")), Optional.empty());
    assertThat(thinks(List.of(Message.user("Weather?")), forced)).as("a forced tool with manual thinking").isFalse();
  }

  @Test
  void adaptiveThinkingStaysOnWithAForcedTool() throws Exception {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));
    Tools forced = new Tools(List.of(weather(null)), Optional.of(ToolChoice.of(ToolChoice.Mode.REQUIRED)), Optional.empty());

    provider.complete(ask(List.of(Message.user("Weather?")), forced, List.of(), Passthrough.NONE),
        new Step("claude-opus-4-6", Optional.of(Effort.HIGH), OptionalInt.empty(), OptionalInt.empty()));

    JsonNode body = upstream.only().json();
    assertThat(body.path("thinking").path("type").asText()).isEqualTo("adaptive");
    assertThat(body.path("tool_choice")).isEqualTo(json("{\"type\":\"any\"}"));
  }

  @Test
  void fieldsOfAnAnthropicClientAreAddedWhereAbsentAndSamplingGivesWayToThinking() throws Exception {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));
    Passthrough anthropic = new Passthrough("anthropic", object("""
        {"metadata": {"user_id": "u-1"}, "max_tokens": 5, "temperature": 0.3, "top_k": 5,
         "output_config": {"format": {"type": "json_schema", "schema": {"type": "object"}}}}"""),
        Map.of("anthropic-beta", "context-management-2025-06-27"), "beta=true");
    Tools tools = new Tools(List.of(weather(object("{\"cache_control\":{\"type\":\"ephemeral\"}}"))), Optional.empty(),
        Optional.empty());

    provider.complete(ask(List.of(Message.user("Weather?")), tools, List.of(), anthropic),
        new Step("claude-opus-4-6", Optional.of(Effort.LOW), OptionalInt.empty(), OptionalInt.empty()));

    TestUpstream.Received sent = upstream.only();
    assertThat(sent.headers()).containsEntry("anthropic-beta", "context-management-2025-06-27")
        .containsEntry("x-api-key", KEY);
    assertThat(sent.json()).isEqualTo(json("""
        {"model": "claude-opus-4-6", "max_tokens": 9216,
         "messages": [{"role": "user", "content": "Weather?"}],
         "tools": [{"name": "get_weather", "description": "The weather of a city", "input_schema": %s, "strict": true,
                    "cache_control": {"type": "ephemeral"}}],
         "thinking": {"type": "adaptive"},
         "output_config": {"effort": "low", "format": {"type": "json_schema", "schema": {"type": "object"}}},
         "metadata": {"user_id": "u-1"}}""".formatted(SCHEMA)));
  }

  @Test
  void aCallWithoutThinkingLeavesOutTheClientsEditsThatClearThinking() throws Exception {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));
    Passthrough anthropic = new Passthrough("anthropic", object("""
        {"context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"},
                                          {"type": "clear_tool_uses_20250919"}]},
         "thinking": {"type": "enabled", "budget_tokens": 31999, "display": "omitted"}}"""), Map.of(), "");

    provider.complete(ask(List.of(Message.user("Weather?")), Tools.NONE, List.of(), anthropic),
        Step.of("claude-3-5-haiku-20241022"));

    assertThat(upstream.only().json()).isEqualTo(json("""
        {"model": "claude-3-5-haiku-20241022", "max_tokens": 8192, "messages": [{"role": "user", "content": "Weather?"}],
         "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]}}"""));
  }

  static final String TOOL_ANSWER = """
      {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
       "content": [
         {"type": "thinking", "thinking": "Look it up.", "signature": "%s"},
         {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
         {"type": "text", "text": "Checking.", "citations": null},
         {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}],
       "stop_reason": "tool_use", "stop_sequence": null,
       "usage": {"input_tokens": 40, "output_tokens": 90}}""".formatted(SIGNATURE);

  @Test
  void readsToolUseSignedAndRedactedThinkingAndTheStopReasonOfAWholeAnswer() throws Exception {
    upstream.reply(TestUpstream.json(200, TOOL_ANSWER));

    Completion c = provider.complete(ask(List.of(Message.user("Weather?")), Tools.NONE, List.of(), Passthrough.NONE),
        Step.of("claude-sonnet-4-5"));

    assertThat(c.content()).containsExactly(
        new Content.Thinking("Look it up.", SIGNATURE, Content.Thinking.ANTHROPIC),
        new Content.RedactedThinking("EmwKAhgBEgy3va3pzix"),
        new Content.Text("Checking.", object("{\"citations\":null}")),
        new Content.ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(c.stopReason()).isEqualTo(StopReason.TOOL_USE);
    assertThat(c.stopSequence()).isEmpty();
    assertThat(c.usage().thinkingTokens()).isPositive();
  }

  @Test
  void aStopSequenceAndMaxTokensAreTheUpstreamsStopReasons() {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER.replace("\"end_turn\", \"stop_sequence\": null",
        "\"stop_sequence\", \"stop_sequence\": \"###\"")));
    Completion stopped = provider.complete(ask(List.of(Message.user("Count.")), Tools.NONE, List.of("###"), Passthrough.NONE),
        Step.of("claude-3-5-haiku-20241022"));
    assertThat(stopped.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
    assertThat(stopped.stopSequence()).contains("###");
    assertThat(upstream.only().json().path("stop_sequences").toString()).isEqualTo("[\"###\"]");

    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER.replace("end_turn", "max_tokens")));
    Completion cut = provider.complete(ask(List.of(Message.user("Count.")), Tools.NONE, List.of(), Passthrough.NONE),
        Step.of("claude-3-5-haiku-20241022"));
    assertThat(cut.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
  }

  @Test
  void streamsToolCallsAsTheyGrowAndKeepsTheSignatureAndRedactedThinking() throws Exception {
    upstream.reply(TestUpstream.events(
        event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Look it up.\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_P\",\"name\":\"get_weather\",\"input\":{}}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Pa\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ris\\\"}\"}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_T\",\"name\":\"get_time\",\"input\":{}}}"),
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":3}"),
        event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":90}}"),
        event("message_stop", "{\"type\":\"message_stop\"}")));
    List<String> seen = new ArrayList<>();

    Completion c = provider.stream(ask(List.of(Message.user("Weather?")), Tools.NONE, List.of(), Passthrough.NONE),
        Step.of("claude-sonnet-4-5"), new Deltas() {
          @Override
          public void thinking(String delta) {
            seen.add("thinking:" + delta);
          }

          @Override
          public void thinkingSignature(String signature, String origin) {
            seen.add("signature:" + origin + ":" + signature);
          }

          @Override
          public void redactedThinking(Content.RedactedThinking block) {
            seen.add("redacted:" + block.data());
          }

          @Override
          public void text(String delta) {
            seen.add("text:" + delta);
          }

          @Override
          public void toolCall(String id, String name) {
            seen.add("call:" + id + ":" + name);
          }

          @Override
          public void toolArguments(String fragment) {
            seen.add("arguments:" + fragment);
          }
        });

    assertThat(seen).containsExactly("thinking:Look it up.", "signature:anthropic:" + SIGNATURE,
        "redacted:EmwKAhgBEgy3va3pzix", "call:toolu_P:get_weather", "arguments:{\"city\": \"Pa", "arguments:ris\"}",
        "call:toolu_T:get_time");
    assertThat(c.content()).containsExactly(
        new Content.Thinking("Look it up.", SIGNATURE, Content.Thinking.ANTHROPIC),
        new Content.RedactedThinking("EmwKAhgBEgy3va3pzix"),
        new Content.ToolCall("toolu_P", "get_weather", "{\"city\":\"Paris\"}"),
        new Content.ToolCall("toolu_T", "get_time", "{}"));
    assertThat(c.stopReason()).isEqualTo(StopReason.TOOL_USE);
  }

  @Test
  void toolIdsOutsideAnthropicsPatternAreMappedAlikeEveryTimeAndNeverMeet() {
    assertThat(AnthropicWire.toolId("call_Abc-09")).isEqualTo("call_Abc-09");
    assertThat(AnthropicWire.toolId("toolu_01A")).isEqualTo("toolu_01A");
    String mapped = AnthropicWire.toolId("functions.get:0");
    assertThat(mapped).matches("[a-zA-Z0-9_-]+").isEqualTo(AnthropicWire.toolId("functions.get:0"));
    assertThat(mapped).isNotEqualTo(AnthropicWire.toolId("functions:get.0")).isNotEqualTo("functions_get_0");
    assertThat(AnthropicWire.toolId(mapped)).as("a mapped id is kept as it is").isEqualTo(mapped);
  }
}
