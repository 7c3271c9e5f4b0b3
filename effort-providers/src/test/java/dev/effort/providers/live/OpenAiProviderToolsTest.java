package dev.effort.providers.live;

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
import dev.effort.core.StopReason;
import dev.effort.core.Step;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OpenAI provider with tools: what it sends (a conversation of tool calls and results, tools,
 * tool choice, stop, passthrough only for a client of its own format) and what it reads (tool
 * calls whole and streamed, parallel calls whose pieces interleave, every finish reason).
 */
class OpenAiProviderToolsTest {
  static final String KEY = "sk-proj-test-key-0123456789abcdef";

  final TestUpstream upstream = TestUpstream.start();
  final OpenAiProvider provider = OpenAiProvider.openAi(
      new Upstream("openai", upstream.baseUrl(), KEY, "OPENAI_API_KEY"), Catalog.builtIn(), LiveProviders.newHttpClient());
  final OpenAiProvider local = OpenAiProvider.compatible(
      new Upstream("local-vllm", upstream.baseUrl(), "", ""), Catalog.builtIn(), LiveProviders.newHttpClient());

  @AfterEach
  void stop() {
    upstream.close();
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  static ObjectNode object(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static final Tool WEATHER = new Tool.Function("get_weather", "Current weather in a city",
      object("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"), Optional.empty(),
      object("{\"cache_control\":{\"type\":\"ephemeral\"}}"));

  static Ask ask(List<Message> messages, Tools tools, List<String> stop, Passthrough passthrough) {
    return new Ask(messages, Effort.HIGH, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
        OptionalInt.empty(), tools, stop, passthrough);
  }

  static Ask weatherAsk() {
    return ask(List.of(Message.user("Weather in Paris and Rome?")), new Tools(List.of(WEATHER), Optional.empty(), Optional.empty()),
        List.of(), Passthrough.NONE);
  }

  /** Every delta as a line: {@code text:…}, {@code call:id name}, {@code args:…}. */
  static Deltas recording(List<String> seen) {
    return new Deltas() {
      @Override
      public void thinking(String delta) {
        seen.add("thinking:" + delta);
      }

      @Override
      public void text(String delta) {
        seen.add("text:" + delta);
      }

      @Override
      public void toolCall(String id, String name) {
        seen.add("call:" + id + " " + name);
      }

      @Override
      public void toolArguments(String fragment) {
        seen.add("args:" + fragment);
      }
    };
  }

  static String chunk(String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,\"model\":\"gpt-5\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
        + "}]}\n\n";
  }

  static String start(int index, String id) {
    return chunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + id + "\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null);
  }

  static String args(int index, String piece) {
    return chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + Json.string(piece) + "}}]}", null);
  }

  @Test
  void interleavedParallelCallsKeepEachCallsArgumentsAfterItsStart() {
    upstream.reply(TestUpstream.events(
        chunk("{\"role\":\"assistant\",\"content\":null}", null),
        start(0, "call_a"), start(1, "call_b"),
        args(0, "{\"city\":"), args(1, "{\"city\":\"Rome\"}"), args(0, "\"Paris\"}"),
        chunk("{}", "tool_calls"), "data: [DONE]\n\n"));
    List<String> seen = new ArrayList<>();

    Completion c = provider.stream(weatherAsk(), Step.of("gpt-5"), recording(seen));

    assertThat(seen).as("the first call streams as it comes; the second, interleaved, waits for the end").containsExactly(
        "call:call_a get_weather", "args:{\"city\":", "args:\"Paris\"}", "call:call_b get_weather", "args:{\"city\":\"Rome\"}");
    assertThat(c.toolCalls()).containsExactly(new Content.ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
        new Content.ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"));
    assertThat(c.text()).isEmpty();
    assertThat(c.stopReason()).isEqualTo(StopReason.TOOL_USE);
  }

  @Test
  void textBeforeAToolCallStreamsFirstAndStaysInTheAnswer() {
    upstream.reply(TestUpstream.events(
        chunk("{\"role\":\"assistant\",\"content\":\"Let me check.\"}", null), start(0, "call_a"), args(0, "{\"city\":\"Paris\"}"),
        chunk("{}", "tool_calls"), "data: [DONE]\n\n"));
    List<String> seen = new ArrayList<>();

    Completion c = provider.stream(weatherAsk(), Step.of("gpt-5"), recording(seen));

    assertThat(seen).containsExactly("text:Let me check.", "call:call_a get_weather", "args:{\"city\":\"Paris\"}");
    assertThat(c.content()).containsExactly(new Content.Text("Let me check."),
        new Content.ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"stop, END_TURN", "length, MAX_TOKENS", "tool_calls, TOOL_USE", "content_filter, REFUSAL", "function_call, TOOL_USE"})
  void everyFinishReasonIsReadFaithfully(String finishReason, StopReason expected) {
    upstream.reply(TestUpstream.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},"
        + "\"finish_reason\":\"" + finishReason + "\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}"));

    assertThat(provider.complete(weatherAsk(), Step.of("gpt-4.1")).stopReason()).isEqualTo(expected);
  }

  @Test
  void aCompatibleServerThatNamesTheStopSequenceWrittenSaysSo() throws Exception {
    upstream.reply(TestUpstream.json(200, """
        {"id": "chatcmpl-7", "object": "chat.completion", "model": "qwen3-8b",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "1, 2, 3"},
                      "finish_reason": "stop", "stop_reason": "END"}],
         "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}}"""));

    Completion c = local.complete(ask(List.of(Message.user("Count.")), Tools.NONE, List.of("END"), Passthrough.NONE),
        Step.of("qwen3-8b"));

    assertThat(c.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
    assertThat(c.stopSequence()).contains("END");
    assertThat(upstream.only().json().get("stop")).isEqualTo(json("[\"END\"]"));
  }

  @Test
  void aCallWithoutAnIdGetsOneAndNoArgumentsAreAnEmptyObject() {
    upstream.reply(TestUpstream.json(200, """
        {"choices": [{"index": 0, "message": {"role": "assistant", "content": "",
           "tool_calls": [{"type": "function", "function": {"name": "get_time", "arguments": ""}}]},
           "finish_reason": "tool_calls"}]}"""));

    Completion c = local.complete(weatherAsk(), Step.of("llama3.2"));

    assertThat(c.toolCalls()).singleElement().satisfies(call -> {
      assertThat(call.id()).startsWith("call_").hasSizeGreaterThan(10);
      assertThat(call.arguments()).isEqualTo("{}");
    });
    assertThat(c.content()).as("no empty text block beside the call").hasSize(1);
  }

  @Test
  void anotherFormatsConversationIsSentWithoutWhatOnlyThatFormatKnows() throws Exception {
    List<Message> messages = List.of(
        new Message("system", "Be brief."),
        new Message("user", List.of(new Content.Text("Weather in Paris?", object("{\"cache_control\":{\"type\":\"ephemeral\"}}")),
            new Content.Opaque("anthropic", "document", object("{\"type\":\"document\",\"source\":{}}")))),
        new Message("assistant", List.of(new Content.Thinking("The user wants weather.", "EqQBCkYIBxgC", "anthropic"),
            new Content.Text("Let me check."), new Content.ToolCall("toolu_01A", "get_weather", "{\"city\":\"Paris\"}"))),
        new Message("user", List.of(
            new Content.ToolResult("toolu_01A", List.of(new Content.Text("18 °C"), Content.Image.inline("image/png", "iVBORw0K")),
                false, null),
            new Content.Text("And tomorrow?"))));
    Tool webSearch = new Tool.Hosted("anthropic", "web_search_20250305", "web_search",
        object("{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}"));
    Passthrough anthropic = new Passthrough("anthropic", object("{\"context_management\":{\"edits\":[]}}"),
        Map.of("anthropic-beta", "context-management-2025-06-27"), "beta=true");
    upstream.reply(TestUpstream.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Rain.\"},"
        + "\"finish_reason\":\"stop\"}]}"));

    provider.complete(ask(messages, new Tools(List.of(WEATHER, webSearch), Optional.of(ToolChoice.of(ToolChoice.Mode.REQUIRED)),
        Optional.of(false)), List.of(), anthropic), Step.of("gpt-4.1"));

    TestUpstream.Received r = upstream.only();
    assertThat(r.headers()).doesNotContainKey("anthropic-beta");
    assertThat(r.json()).isEqualTo(json("""
        {"model": "gpt-4.1",
         "messages": [
           {"role": "system", "content": "Be brief."},
           {"role": "user", "content": "Weather in Paris?"},
           {"role": "assistant", "content": "Let me check.",
            "tool_calls": [{"id": "toolu_01A", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
           {"role": "tool", "tool_call_id": "toolu_01A", "content": "18 °C"},
           {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0K"}},
                                        {"type": "text", "text": "And tomorrow?"}]}],
         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
         "tool_choice": "required", "parallel_tool_calls": false}"""));
  }

  @Test
  void aClientOfThisFormatHasItsFieldsAndHeadersForwardedButTheProvidersOwnFieldsWin() throws Exception {
    Passthrough openAi = new Passthrough("openai",
        object("{\"user\":\"u-1\",\"model\":\"gpt-4o\",\"stream_options\":{\"include_usage\":false},\"service_tier\":\"flex\"}"),
        Map.of("openai-beta", "assistants=v2"), "");
    upstream.reply(TestUpstream.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
        + "\"finish_reason\":\"stop\"}]}"));

    provider.complete(ask(List.of(Message.user("Hello")), Tools.NONE, List.of(), openAi), Step.of("gpt-4.1"));

    TestUpstream.Received r = upstream.only();
    assertThat(r.headers()).containsEntry("openai-beta", "assistants=v2").containsEntry("authorization", "Bearer " + KEY);
    assertThat(r.json()).as("model is the plan's; stream_options goes only with a stream the gateway chose").isEqualTo(json("""
        {"model": "gpt-4.1", "messages": [{"role": "user", "content": "Hello"}], "user": "u-1", "service_tier": "flex"}"""));
  }

  @Test
  void aReasoningModelChosenByTheDialIsNotSentTheSamplingSettingsItRefuses() throws Exception {
    Passthrough openAi = new Passthrough("openai",
        object("{\"temperature\":0.2,\"top_p\":0.9,\"logprobs\":true,\"prompt_cache_key\":\"s-1\"}"), Map.of(), "");
    Ask ask = ask(List.of(Message.user("Hello")), Tools.NONE, List.of("END"), openAi);
    String answer = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}";

    upstream.reply(TestUpstream.json(200, answer));
    provider.complete(ask, new Step("gpt-5", Optional.of(Effort.LOW), OptionalInt.empty(), OptionalInt.empty()));
    assertThat(upstream.only().json()).isEqualTo(json("""
        {"model": "gpt-5", "messages": [{"role": "user", "content": "Hello"}], "reasoning_effort": "low",
         "prompt_cache_key": "s-1"}"""));

    TestUpstream other = TestUpstream.start();
    try (other) {
      other.reply(TestUpstream.json(200, answer));
      OpenAiProvider.openAi(new Upstream("openai", other.baseUrl(), KEY, "OPENAI_API_KEY"), Catalog.builtIn(),
          LiveProviders.newHttpClient()).complete(ask, Step.of("gpt-4.1"));
      assertThat(other.only().json()).as("a model that takes them gets them").isEqualTo(json("""
          {"model": "gpt-4.1", "messages": [{"role": "user", "content": "Hello"}], "stop": ["END"],
           "temperature": 0.2, "top_p": 0.9, "logprobs": true, "prompt_cache_key": "s-1"}"""));
    }
  }

  @Test
  void openAiGetsAtMostFourStopSequencesACompatibleServerAll() throws Exception {
    Ask ask = ask(List.of(Message.user("Count.")), Tools.NONE, List.of("a", "b", "c", "d", "e"), Passthrough.NONE);
    String answer = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"1\"},\"finish_reason\":\"stop\"}]}";
    upstream.reply(TestUpstream.json(200, answer));
    provider.complete(ask, Step.of("gpt-4.1"));
    assertThat(upstream.only().json().get("stop")).isEqualTo(json("[\"a\", \"b\", \"c\", \"d\"]"));

    TestUpstream other = TestUpstream.start();
    try (other) {
      other.reply(TestUpstream.json(200, answer));
      OpenAiProvider.compatible(new Upstream("local", other.baseUrl(), "", ""), Catalog.builtIn(), LiveProviders.newHttpClient())
          .complete(ask, Step.of("gpt-4.1"));
      assertThat(other.only().json().get("stop")).isEqualTo(json("[\"a\", \"b\", \"c\", \"d\", \"e\"]"));
    }
  }

  @Test
  void toolsOfAnotherFormatOnlyMeanNoToolsAndNoToolChoiceAreSent() throws Exception {
    Tool webSearch = new Tool.Hosted("anthropic", "web_search_20250305", "web_search", object("{\"type\":\"web_search_20250305\"}"));
    upstream.reply(TestUpstream.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
        + "\"finish_reason\":\"stop\"}]}"));

    provider.complete(ask(List.of(Message.user("Hello")), new Tools(List.of(webSearch),
        Optional.of(ToolChoice.of(ToolChoice.Mode.AUTO)), Optional.of(true)), List.of(), Passthrough.NONE), Step.of("gpt-4.1"));

    assertThat(upstream.only().json()).isEqualTo(json("{\"model\": \"gpt-4.1\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"));
  }
}
