package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionCustomTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoiceCustom;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.providers.wire.AnthropicWire;
import dev.effort.server.ScriptedUpstream.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * Both official SDKs run complete tool loops through the gateway against an upstream of the OTHER
 * format ({@link ScriptedUpstream} speaking each format exactly): an OpenAI Chat client served by
 * Anthropic models, an Anthropic client served by OpenAI models, pinned by the model field or
 * picked by the dial. Every upstream request is asserted whole at every turn: tool calls and
 * results with their ids, parallel calls, images, tool choice, stop sequences, stop reasons,
 * thinking (which never goes back across formats), hosted tools (left out and named), and the
 * client's own fields (never forwarded to the other format).
 */
class CrossFormatToolLoopTest {
  static final String KEY = System.getenv("EFFORT_TEST_UPSTREAM_KEY");
  static final String MESSAGES = "/v1/messages";
  static final String CHAT = "/v1/chat/completions";
  /** Thinking budget knob: at the default level (high) it thinks with 8,192 tokens. */
  static final String CLAUDE = "claude-sonnet-4-5";
  /** No effort knob: no thinking, the client's cap as sent. */
  static final String HAIKU = "claude-3-5-haiku-20241022";
  /** reasoning_effort; refuses stop. */
  static final String GPT5 = "gpt-5";
  /** No knob; takes stop. */
  static final String GPT41 = "gpt-4.1";
  static final String SIGNATURE = AnthropicToolLoopTest.SIGNATURE;
  static final String QUESTION = "What is the weather in Paris?";

  /** The dial: low and xhigh on GPT-5, the other levels on Claude. */
  static final String LADDER = """
      {"fleet": "cross-format", "levels": {
        "low": {"strategy": "single", "steps": [{"model": "gpt-5", "effort": "low"}]},
        "medium": {"strategy": "single", "steps": [{"model": "claude-sonnet-4-5", "effort": "medium"}]},
        "high": {"strategy": "single", "steps": [{"model": "claude-sonnet-4-5", "effort": "high"}]},
        "xhigh": {"strategy": "single", "steps": [{"model": "gpt-5", "effort": "high"}]},
        "max": {"strategy": "single", "steps": [{"model": "claude-sonnet-4-5", "effort": "max"}]}}}""";

  static ScriptedUpstream upstream;
  static Gateway gateway;
  static OpenAIClient openAi;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() throws Exception {
    assertThat(KEY).as("surefire sets EFFORT_TEST_UPSTREAM_KEY").isNotBlank();
    upstream = new ScriptedUpstream();
    gateway = upstream.startGateway(Optional.of(Json.MAPPER.readTree(LADDER)),
        upstream.provider("claude", "anthropic", CLAUDE, HAIKU), upstream.provider("oai", "openai", GPT5, GPT41));
    openAi = SdkClients.openAi(gateway.port());
    anthropic = SdkClients.anthropic(gateway.port());
  }

  @AfterAll
  static void stop() throws Exception {
    SdkClients.closeAll(openAi, anthropic, gateway, upstream);
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  /** The index-th request on {@code path} since the test began. */
  static ScriptedUpstream.Received sent(String path, int index) {
    List<ScriptedUpstream.Received> on = upstream.on(path);
    assertThat(on).as("requests upstream on " + path).hasSizeGreaterThan(index);
    return on.get(index);
  }

  // ================================================================ OpenAI client, Anthropic upstream

  /** The OpenAI client's weather tool (strict, additionalProperties false) as Anthropic's custom tool. */
  static final String WEATHER_AS_ANTHROPIC = "{\"name\":\"get_weather\",\"description\":\"Current weather in a city\","
      + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],"
      + "\"additionalProperties\":false}}";

  static ChatCompletionCreateParams.Builder chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(1024)
        .addUserMessage(QUESTION).addTool(OpenAiToolLoopTest.WEATHER);
  }

  static ChatCompletionToolMessageParam toolMessage(String callId, String content) {
    return ChatCompletionToolMessageParam.builder().toolCallId(callId).content(content).build();
  }

  static ChatCompletionMessageFunctionToolCall function(ChatCompletionMessageToolCall call) {
    return call.asFunction();
  }

  @SuppressWarnings("deprecation") // _additionalProperties: how the SDK shows fields beyond its schema (reasoning_content, effort)
  static String reasoningOf(ChatCompletionMessage m) {
    JsonValue r = m._additionalProperties().get("reasoning_content");
    return r == null ? null : r.convert(String.class);
  }

  static final String THINKING_AND_CALL = "[{\"type\":\"thinking\",\"thinking\":\"I should look up the weather.\","
      + "\"signature\":\"" + SIGNATURE + "\"},{\"type\":\"text\",\"text\":\"Let me check.\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]";

  @Test
  void anOpenAiToolLoopOnAnAnthropicModelShowsThinkingAsReasoningAndSendsTheToolTurnWithoutIt() throws Exception {
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_1", THINKING_AND_CALL, "tool_use")));
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_2",
        "[{\"type\":\"text\",\"text\":\"It is 18°C and sunny in Paris.\"}]", "end_turn")));
    ChatCompletionCreateParams first = chat(CLAUDE).build();

    ChatCompletion called = openAi.chat().completions().create(first).validate();

    ChatCompletion.Choice choice = called.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(reasoningOf(choice.message())).isEqualTo("I should look up the weather.");
    assertThat(choice.message().content()).contains("Let me check.");
    assertThat(choice.message().toolCalls().orElseThrow()).singleElement().satisfies(c -> {
      assertThat(function(c).id()).as("Anthropic's id, unchanged").isEqualTo("toolu_01A");
      assertThat(function(c).function().name()).isEqualTo("get_weather");
      assertThat(json(function(c).function().arguments())).isEqualTo(json("{\"city\":\"Paris\"}"));
    });
    ScriptedUpstream.Received one = sent(MESSAGES, 0);
    assertThat(one.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01")
        .doesNotContainKey("authorization");
    assertThat(one.json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9216,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_ANTHROPIC + "],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8192}}"));

    ChatCompletion done = openAi.chat().completions().create(first.toBuilder()
        .addMessage(choice.message())
        .addMessage(toolMessage("toolu_01A", "18°C and sunny"))
        .build()).validate();

    assertThat(done.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(done.choices().get(0).message().content()).contains("It is 18°C and sunny in Paris.");
    // The OpenAI client cannot send the signed thinking back, and Anthropic requires a tool turn
    // under thinking to begin with it: the turn goes without thinking (and its room).
    assertThat(sent(MESSAGES, 1).json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Let me check.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"18°C and sunny\"}]}],"
        + "\"tools\":[" + WEATHER_AS_ANTHROPIC + "]}"));
  }

  /** A stream through the OpenAI SDK, accumulated, with the reasoning pieces it carried. */
  record ChatStreamed(ChatCompletion completion, List<String> reasoning) {}

  @SuppressWarnings("deprecation") // _additionalProperties: how the SDK shows fields beyond its schema (reasoning_content, effort)
  static ChatStreamed accumulate(ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<String> reasoning = new ArrayList<>();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = openAi.chat().completions().createStreaming(params)) {
      s.stream().forEach(c -> {
        accumulator.accumulate(c.validate());
        c.choices().stream().map(ch -> ch.delta()._additionalProperties().get("reasoning_content"))
            .filter(r -> r != null).forEach(r -> reasoning.add(r.convert(String.class)));
      });
    }
    return new ChatStreamed(accumulator.chatCompletion().validate(), reasoning);
  }

  static final String A = "toolu_01P";
  static final String B = "toolu_01T";

  /** Anthropic streaming thinking, then two tool_use blocks with their input in pieces. */
  static String thinkingAndTwoCallsStream() {
    return AnthropicToolLoopTest.start("msg_s1")
        + AnthropicToolLoopTest.blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
        + AnthropicToolLoopTest.delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"Two cities,\"}")
        + AnthropicToolLoopTest.delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\" two calls.\"}")
        + AnthropicToolLoopTest.delta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}")
        + AnthropicToolLoopTest.blockStop(0)
        + AnthropicToolLoopTest.blockStart(1, "{\"type\":\"tool_use\",\"id\":\"" + A + "\",\"name\":\"get_weather\",\"input\":{}}")
        + AnthropicToolLoopTest.partialJson(1, "")
        + AnthropicToolLoopTest.partialJson(1, "{\"city\": ")
        + AnthropicToolLoopTest.partialJson(1, "\"Paris\"}")
        + AnthropicToolLoopTest.blockStop(1)
        + AnthropicToolLoopTest.blockStart(2, "{\"type\":\"tool_use\",\"id\":\"" + B + "\",\"name\":\"get_weather\",\"input\":{}}")
        + AnthropicToolLoopTest.partialJson(2, "{\"city\":")
        + AnthropicToolLoopTest.partialJson(2, " \"Tokyo\"}")
        + AnthropicToolLoopTest.blockStop(2)
        + AnthropicToolLoopTest.end("tool_use", null);
  }

  static String textStream(String id, String text, String stopReason, String stopSequence) {
    return AnthropicToolLoopTest.start(id)
        + AnthropicToolLoopTest.blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
        + AnthropicToolLoopTest.delta(0, "{\"type\":\"text_delta\",\"text\":" + Json.string(text) + "}")
        + AnthropicToolLoopTest.blockStop(0)
        + AnthropicToolLoopTest.end(stopReason, stopSequence);
  }

  @Test
  void aStreamedParallelToolLoopOnAnAnthropicModelSendsBothResultsInOneUserMessage() throws Exception {
    upstream.reply(MESSAGES, Reply.sse(thinkingAndTwoCallsStream()));
    upstream.reply(MESSAGES, Reply.sse(textStream("msg_s2", "Sunny in Paris, rain in Tokyo.", "end_turn", null)));
    ChatCompletionCreateParams first = chat(CLAUDE).build();

    ChatStreamed called = accumulate(first);

    ChatCompletion.Choice choice = called.completion().choices().get(0);
    assertThat(called.reasoning()).containsExactly("Two cities,", " two calls.");
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().toolCalls().orElseThrow()).extracting(c -> function(c).id() + " "
        + function(c).function().name() + " " + function(c).function().arguments())
        .containsExactly(A + " get_weather {\"city\": \"Paris\"}", B + " get_weather {\"city\": \"Tokyo\"}");
    assertThat(sent(MESSAGES, 0).json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9216,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_ANTHROPIC + "],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8192},\"stream\":true}"));

    ChatStreamed done = accumulate(first.toBuilder()
        .addMessage(choice.message())
        .addMessage(toolMessage(A, "sunny"))
        .addMessage(toolMessage(B, "rain"))
        .build());

    assertThat(done.completion().choices().get(0).message().content()).contains("Sunny in Paris, rain in Tokyo.");
    assertThat(done.completion().choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(sent(MESSAGES, 1).json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"" + A + "\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
        + "{\"type\":\"tool_use\",\"id\":\"" + B + "\",\"name\":\"get_weather\",\"input\":{\"city\":\"Tokyo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + A + "\",\"content\":\"sunny\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"" + B + "\",\"content\":\"rain\"}]}],"
        + "\"tools\":[" + WEATHER_AS_ANTHROPIC + "],\"stream\":true}"));
  }

  static final String PNG = AnthropicToolLoopTest.PNG;

  @Test
  void aLastTurnWithoutToolsDeclaresTheToolsCalledForAnthropicAndForbidsCallingThem() throws Exception {
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_x",
        "[{\"type\":\"text\",\"text\":\"Sunny in Paris.\"}]", "end_turn")));

    // OpenAI takes a tool loop's history without tools; Anthropic refuses tool_use and tool_result
    // blocks in a request that defines none.
    ChatCompletion done = openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(HAIKU)
        .maxCompletionTokens(1024).addUserMessage(QUESTION)
        .addMessage(ChatCompletionAssistantMessageParam.builder()
            .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id("call_Paris1")
                .function(ChatCompletionMessageFunctionToolCall.Function.builder().name("get_weather")
                    .arguments("{\"city\":\"Paris\"}").build()).build())
            .build())
        .addMessage(toolMessage("call_Paris1", "sunny"))
        .build());

    assertThat(done.choices().get(0).message().content()).contains("Sunny in Paris.");
    assertThat(sent(MESSAGES, 0).json()).isEqualTo(json("{\"model\":\"" + HAIKU + "\",\"max_tokens\":1024,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_Paris1\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_Paris1\",\"content\":\"sunny\"}]}],"
        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"none\"}}"));
  }


  @Test
  void aStreamedCallWithoutArgumentsReachesTheOpenAiClientAsAnEmptyObjectItCanSendBack() throws Exception {
    // Anthropic streams a tool without parameters as an empty input_json_delta, or none at all.
    upstream.reply(MESSAGES, Reply.sse(AnthropicToolLoopTest.start("msg_t1")
        + AnthropicToolLoopTest.blockStart(0, "{\"type\":\"tool_use\",\"id\":\"toolu_T1\",\"name\":\"get_time\",\"input\":{}}")
        + AnthropicToolLoopTest.partialJson(0, "")
        + AnthropicToolLoopTest.blockStop(0)
        + AnthropicToolLoopTest.blockStart(1, "{\"type\":\"tool_use\",\"id\":\"toolu_T2\",\"name\":\"get_time\",\"input\":{}}")
        + AnthropicToolLoopTest.blockStop(1)
        + AnthropicToolLoopTest.end("tool_use", null)));
    upstream.reply(MESSAGES, Reply.sse(textStream("msg_t2", "It is noon.", "end_turn", null)));
    ChatCompletionCreateParams first = chat(HAIKU).addTool(OpenAiToolLoopTest.TIME).build();

    ChatStreamed called = accumulate(first);

    ChatCompletion.Choice choice = called.completion().choices().get(0);
    assertThat(choice.message().toolCalls().orElseThrow()).extracting(c -> function(c).id() + " " + function(c).function().arguments())
        .containsExactly("toolu_T1 {}", "toolu_T2 {}");

    ChatStreamed done = accumulate(first.toBuilder().addMessage(choice.message())
        .addMessage(toolMessage("toolu_T1", "12:00")).addMessage(toolMessage("toolu_T2", "12:00")).build());

    assertThat(done.completion().choices().get(0).message().content()).contains("It is noon.");
    assertThat(sent(MESSAGES, 1).json().at("/messages/1")).isEqualTo(json("{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"toolu_T1\",\"name\":\"get_time\",\"input\":{}},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_T2\",\"name\":\"get_time\",\"input\":{}}]}"));
  }


  @Test
  void anOpenAiClientsToolChoiceStopAndImageReachAnthropicInItsFormat() throws Exception {
    String call = "[{\"type\":\"tool_use\",\"id\":\"toolu_F\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]";
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_r", call, "tool_use")));
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_n", call, "tool_use")));
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_a", call, "tool_use")));
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_0", "[{\"type\":\"text\",\"text\":\"Sunny.\"}]", "end_turn")));
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_i",
        "[{\"type\":\"text\",\"text\":\"A white pixel\"}]", "stop_sequence").replace("\"stop_sequence\":null", "\"stop_sequence\":\"###\"")));

    ChatCompletion required = openAi.chat().completions().create(chat(CLAUDE)
        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());
    openAi.chat().completions().create(chat(HAIKU)
        .toolChoice(ChatCompletionNamedToolChoice.builder()
            .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build())
        .parallelToolCalls(false).build());
    openAi.chat().completions().create(chat(HAIKU).parallelToolCalls(false).build());
    openAi.chat().completions().create(chat(HAIKU).toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
        .parallelToolCalls(false).build());
    ChatCompletion image = openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(HAIKU)
        .maxCompletionTokens(300)
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64," + PNG)
                    .detail(ChatCompletionContentPartImage.ImageUrl.Detail.LOW).build()).build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("https://example.com/cat.jpg").build())
                .build())))
        .stop(ChatCompletionCreateParams.Stop.ofStrings(List.of("###", "END")))
        .build());

    assertThat(required.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    // required is Anthropic's any; a forced tool takes no manual thinking, so none is sent.
    assertThat(sent(MESSAGES, 0).json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_ANTHROPIC + "],"
        + "\"tool_choice\":{\"type\":\"any\"}}"));
    assertThat(sent(MESSAGES, 1).json()).isEqualTo(json("{\"model\":\"" + HAIKU + "\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_ANTHROPIC + "],"
        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true}}"));
    assertThat(sent(MESSAGES, 2).json().get("tool_choice")).as("parallel calls off alone")
        .isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    assertThat(sent(MESSAGES, 3).json().get("tool_choice")).as("Anthropic's none takes no disable_parallel_tool_use")
        .isEqualTo(json("{\"type\":\"none\"}"));
    // The data URL is a base64 image block; the detail is OpenAI's only and stays behind.
    assertThat(sent(MESSAGES, 4).json()).isEqualTo(json("{\"model\":\"" + HAIKU + "\",\"max_tokens\":300,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}]}],"
        + "\"stop_sequences\":[\"###\",\"END\"]}"));
    assertThat(image.choices().get(0).finishReason()).as("stop_sequence").isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(image.choices().get(0).message().content()).contains("A white pixel");
  }

  @Test
  void anthropicStopReasonsReachTheOpenAiClientAsFinishReasonsJsonAndStreamed() throws Exception {
    for (String[] c : new String[][] {{"max_tokens", "length"}, {"end_turn", "stop"}, {"stop_sequence", "stop"},
        {"tool_use", "tool_calls"}}) {
      String content = c[0].equals("tool_use")
          ? "[{\"type\":\"tool_use\",\"id\":\"toolu_X\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]"
          : "[{\"type\":\"text\",\"text\":\"It is su\"}]";
      upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_" + c[0], content, c[0])));
      ChatCompletion whole = openAi.chat().completions().create(chat(HAIKU).build());
      assertThat(whole.choices().get(0).finishReason()).as(c[0]).isEqualTo(ChatCompletion.Choice.FinishReason.of(c[1]));

      if (!c[0].equals("tool_use")) {
        upstream.reply(MESSAGES, Reply.sse(textStream("msg_s" + c[0], "It is su", c[0],
            c[0].equals("stop_sequence") ? "###" : null)));
        ChatStreamed streamed = accumulate(chat(HAIKU).build());
        assertThat(streamed.completion().choices().get(0).finishReason()).as(c[0] + " streamed")
            .isEqualTo(ChatCompletion.Choice.FinishReason.of(c[1]));
      }
    }
  }

  // ================================================================ Anthropic client, OpenAI upstream

  /** The Anthropic client's weather tool as an OpenAI function. */
  static final String WEATHER_AS_FUNCTION = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"The current weather of a city\",\"parameters\":" + AnthropicToolLoopTest.WEATHER_SCHEMA + "}}";

  static MessageCreateParams.Builder messages(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).addTool(AnthropicToolLoopTest.weatherTool())
        .addUserMessage(QUESTION);
  }

  static ContentBlockParam result(String id, String text) {
    return AnthropicToolLoopTest.result(id, text);
  }

  static JsonNode input(ContentBlock block) {
    return block.asToolUse()._input().convert(JsonNode.class);
  }

  static String reasoningAndCall(String... calls) {
    return "{\"role\": \"assistant\", \"content\": null, \"reasoning_content\": \"I should look up the weather.\","
        + " \"tool_calls\": [" + String.join(", ", calls) + "], \"refusal\": null, \"annotations\": []}";
  }

  static final String CALL_PARIS = OpenAiToolLoopTest.CALL_PARIS;
  static final String CALL_ROME = OpenAiToolLoopTest.CALL_ROME;

  @Test
  void anAnthropicToolLoopOnAnOpenAiModelShowsReasoningAsGatewaySignedThinkingAndNeverSendsItBack() throws Exception {
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(reasoningAndCall(CALL_PARIS), "tool_calls")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(
        OpenAiToolLoopTest.textMessage("It is 18°C and sunny in Paris."), "stop")));
    MessageCreateParams first = messages(GPT5).build();

    Message called = anthropic.messages().create(first).validate();

    assertThat(called.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(called.content()).hasSize(2);
    assertThat(called.content().get(0).asThinking().thinking()).isEqualTo("I should look up the weather.");
    assertThat(called.content().get(0).asThinking().signature()).isEqualTo(AnthropicWire.GATEWAY_SIGNATURE);
    assertThat(called.content().get(1).asToolUse().id()).as("OpenAI's id, unchanged").isEqualTo("call_Paris1");
    assertThat(called.content().get(1).asToolUse().name()).isEqualTo("get_weather");
    assertThat(input(called.content().get(1))).isEqualTo(json("{\"city\":\"Paris\"}"));
    ScriptedUpstream.Received one = sent(CHAT, 0);
    assertThat(one.headers()).containsEntry("authorization", "Bearer " + KEY).doesNotContainKey("x-api-key")
        .doesNotContainKey("anthropic-version");
    assertThat(one.json()).isEqualTo(json("{\"model\":\"gpt-5\",\"reasoning_effort\":\"high\",\"max_completion_tokens\":9216,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));

    Message done = anthropic.messages().create(first.toBuilder().addMessage(called)
        .addUserMessageOfContentBlockParams(List.of(result("call_Paris1", "18°C and sunny"))).build()).validate();

    assertThat(done.stopReason()).contains(StopReason.END_TURN);
    assertThat(done.content().get(0).asText().text()).isEqualTo("It is 18°C and sunny in Paris.");
    // The thinking block the client sent back is the gateway's: it goes nowhere.
    assertThat(sent(CHAT, 1).json()).isEqualTo(json("{\"model\":\"gpt-5\",\"reasoning_effort\":\"high\","
        + "\"max_completion_tokens\":9216,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + CALL_PARIS + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_Paris1\",\"content\":\"18°C and sunny\"}],"
        + "\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));
  }

  /** A streamed answer as the Anthropic SDK accumulates it, with the input_json_delta fragments. */
  record Streamed(Message message, List<String> fragments, List<String> blockTypes) {}

  static Streamed stream(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<String> fragments = new ArrayList<>();
    List<String> blockTypes = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(params)) {
      s.stream().forEach(e -> {
        e.validate();
        accumulator.accumulate(e);
        e.contentBlockStart().ifPresent(b -> blockTypes.add(b.contentBlock().isThinking() ? "thinking"
            : b.contentBlock().isText() ? "text" : b.contentBlock().isToolUse() ? "tool_use" : "other"));
        e.contentBlockDelta().flatMap(d -> d.delta().inputJson()).ifPresent(j -> fragments.add(j.partialJson()));
      });
    }
    return new Streamed(accumulator.message().validate(), fragments, blockTypes);
  }

  static String reasoningChunk(String piece) {
    return OpenAiToolLoopTest.chunk("{\"reasoning_content\":" + Json.string(piece) + "}", null);
  }

  @Test
  void aStreamedParallelToolLoopOnAnOpenAiModelAccumulatesInputJsonDeltasAndSendsBothResults() throws Exception {
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.chunk("{\"role\":\"assistant\",\"content\":null}", null)
        + reasoningChunk("Two cities,") + reasoningChunk(" two calls.") + OpenAiToolLoopTest.TWO_CALLS_STREAM));
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.textStream("Paris: 18 °C", ", Rome: 24 °C.")));
    MessageCreateParams first = messages(GPT5).build();

    Streamed called = stream(first);

    assertThat(called.blockTypes()).containsExactly("thinking", "tool_use", "tool_use");
    assertThat(called.fragments()).containsExactly("{\"city\":", "\"Paris\"}", "{\"city\":\"Rome\"}");
    Message message = called.message();
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("Two cities, two calls.");
    assertThat(message.content().get(0).asThinking().signature()).isEqualTo(AnthropicWire.GATEWAY_SIGNATURE);
    assertThat(message.content()).filteredOn(ContentBlock::isToolUse)
        .extracting(b -> b.asToolUse().id() + " " + input(b).path("city").asText())
        .containsExactly("call_Paris1 Paris", "call_Rome2 Rome");
    assertThat(sent(CHAT, 0).json()).isEqualTo(json("{\"model\":\"gpt-5\",\"reasoning_effort\":\"high\","
        + "\"max_completion_tokens\":9216,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],"
        + "\"tools\":[" + WEATHER_AS_FUNCTION + "],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));

    Streamed done = stream(first.toBuilder().addMessage(message)
        .addUserMessageOfContentBlockParams(List.of(result("call_Paris1", "18 °C"), result("call_Rome2", "24 °C"))).build());

    assertThat(done.message().stopReason()).contains(StopReason.END_TURN);
    assertThat(done.message().content().get(0).asText().text()).isEqualTo("Paris: 18 °C, Rome: 24 °C.");
    assertThat(sent(CHAT, 1).json()).isEqualTo(json("{\"model\":\"gpt-5\",\"reasoning_effort\":\"high\","
        + "\"max_completion_tokens\":9216,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + CALL_PARIS + "," + CALL_ROME + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_Paris1\",\"content\":\"18 °C\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_Rome2\",\"content\":\"24 °C\"}],"
        + "\"tools\":[" + WEATHER_AS_FUNCTION + "],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
  }

  @Test
  void anAnthropicClientsToolChoiceStopSequencesAndImageReachOpenAiInItsFormat() throws Exception {
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.toolCallsMessage(CALL_PARIS), "tool_calls")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.toolCallsMessage(CALL_PARIS), "tool_calls")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.toolCallsMessage(CALL_PARIS), "tool_calls")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.textMessage("Sunny."), "stop")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.textMessage("A white pixel"), "stop")));

    anthropic.messages().create(messages(GPT41).toolChoice(ToolChoiceAny.builder().build()).build());
    anthropic.messages().create(messages(GPT41)
        .toolChoice(ToolChoiceTool.builder().name("get_weather").disableParallelToolUse(true).build()).build());
    anthropic.messages().create(messages(GPT41).toolChoice(ToolChoiceAuto.builder().disableParallelToolUse(true).build()).build());
    anthropic.messages().create(messages(GPT41).toolChoice(ToolChoiceNone.builder().build()).build());
    Message image = anthropic.messages().create(MessageCreateParams.builder().model(GPT41).maxTokens(300)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build()),
            ContentBlockParam.ofText(TextBlockParam.builder().text("What is this?").build())))
        .addStopSequence("###").addStopSequence("END")
        .build()).validate();

    assertThat(sent(CHAT, 0).json()).isEqualTo(json("{\"model\":\"gpt-4.1\",\"max_completion_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_FUNCTION + "],"
        + "\"tool_choice\":\"required\"}"));
    assertThat(sent(CHAT, 1).json()).isEqualTo(json("{\"model\":\"gpt-4.1\",\"max_completion_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_FUNCTION + "],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},\"parallel_tool_calls\":false}"));
    assertThat(sent(CHAT, 2).json().get("tool_choice")).isEqualTo(json("\"auto\""));
    assertThat(sent(CHAT, 2).json().get("parallel_tool_calls")).isEqualTo(json("false"));
    assertThat(sent(CHAT, 3).json().get("tool_choice")).isEqualTo(json("\"none\""));
    assertThat(sent(CHAT, 3).json().has("parallel_tool_calls")).isFalse();
    assertThat(sent(CHAT, 4).json()).isEqualTo(json("{\"model\":\"gpt-4.1\",\"max_completion_tokens\":300,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
        + PNG + "\"}},{\"type\":\"text\",\"text\":\"What is this?\"}]}],\"stop\":[\"###\",\"END\"]}"));
    assertThat(image.stopReason()).contains(StopReason.END_TURN);
    assertThat(image.content().get(0).asText().text()).isEqualTo("A white pixel");
  }

  @Test
  void openAiFinishReasonsReachTheAnthropicClientAsStopReasonsJsonAndStreamed() throws Exception {
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.toolCallsMessage(CALL_PARIS), "tool_calls")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.textMessage("Once upon a"), "length")));
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.chunk("{\"role\":\"assistant\",\"content\":\"Once\"}", null)
        + OpenAiToolLoopTest.chunk("{\"content\":\" upon a\"}", null) + OpenAiToolLoopTest.chunk("{}", "length")
        + OpenAiToolLoopTest.USAGE_CHUNK));
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.textStream("The end.")));

    assertThat(anthropic.messages().create(messages(GPT41).build()).stopReason()).contains(StopReason.TOOL_USE);
    assertThat(anthropic.messages().create(messages(GPT41).build()).stopReason()).contains(StopReason.MAX_TOKENS);
    assertThat(stream(messages(GPT41).build()).message().stopReason()).contains(StopReason.MAX_TOKENS);
    Message ended = stream(messages(GPT41).build()).message();
    assertThat(ended.stopReason()).contains(StopReason.END_TURN);
    assertThat(ended.stopSequence()).isEmpty();
  }

  @Test
  void aToolResultWithAnErrorAnImageAndCacheControlGoesToOpenAiAsAToolMessageThenTheImage() throws Exception {
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.textMessage("Looks cloudy."), "stop")));
    CacheControlEphemeral cache = CacheControlEphemeral.builder().build();

    anthropic.messages().create(messages(GPT41)
        .addAssistantMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofText(TextBlockParam.builder().text("Checking both.").build()),
            ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id("call_P").name("get_weather")
                .input(ToolUseBlockParam.Input.builder()
                    .putAdditionalProperty("city", com.anthropic.core.JsonValue.from("Paris")).build()).build()),
            ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id("call_T").name("get_weather")
                .input(ToolUseBlockParam.Input.builder()
                    .putAdditionalProperty("city", com.anthropic.core.JsonValue.from("Tokyo")).build()).build())))
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("call_P")
                .contentOfBlocks(List.of(
                    ToolResultBlockParam.Content.Block.ofText(
                        TextBlockParam.builder().text("webcam:").build()),
                    ToolResultBlockParam.Content.Block.ofImage(
                        ImageBlockParam.builder().source(Base64ImageSource.builder()
                            .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build())))
                .build()),
            ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("call_T")
                .content("station offline").isError(true).cacheControl(cache).build()),
            ContentBlockParam.ofText(TextBlockParam.builder().text("Be short.").build())))
        .build());

    // Tool messages must follow the calls at once: the image of a result and the text beside the
    // results go in one user message after them. OpenAI has no is_error (the content says it), and
    // cache_control is Anthropic's only.
    assertThat(sent(CHAT, 0).json()).isEqualTo(json("{\"model\":\"gpt-4.1\",\"max_completion_tokens\":1024,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":\"Checking both.\",\"tool_calls\":["
        + CALL_PARIS.replace("call_Paris1", "call_P") + "," + CALL_PARIS.replace("call_Paris1", "call_T").replace("Paris", "Tokyo") + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_P\",\"content\":\"webcam:\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_T\",\"content\":\"Error: station offline\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + PNG + "\"}},"
        + "{\"type\":\"text\",\"text\":\"Be short.\"}]}],"
        + "\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));
  }

  /** Posts a recorded Claude Code request, pinned to {@code model}, as its client sent it: query, headers, body. */
  static HttpResponse<String> replay(JsonNode recorded, String model) throws Exception {
    ObjectNode body = (ObjectNode) recorded.get("body").deepCopy();
    body.put("model", model);
    var request = HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.port()
            + "/v1/messages?" + recorded.path("query").asText()))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client-not-a-key");
    recorded.path("headers").properties().forEach(h -> request.header(h.getKey(), h.getValue().asText()));
    try (var http = HttpClient.newHttpClient()) {
      return http.send(request.POST(HttpRequest.BodyPublishers.ofString(Json.string(body))).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Claude Code's system and first user message as Chat Completions messages: text parts, nothing else. */
  static ArrayNode claudeCodeOpening(JsonNode body) {
    ArrayNode messages = Json.MAPPER.createArrayNode();
    ArrayNode system = messages.addObject().put("role", "system").putArray("content");
    body.get("system").forEach(b -> system.addObject().put("type", "text").put("text", b.get("text").asText()));
    ArrayNode user = messages.addObject().put("role", "user").putArray("content");
    body.at("/messages/0/content").forEach(b -> user.addObject().put("type", "text").put("text", b.get("text").asText()));
    return messages;
  }

  @Test
  void claudeCodesToolLoopPinnedToGpt5ReachesOpenAiWithoutAnythingOnlyAnthropicTakes() throws Exception {
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
        + "\"id\":\"call_ls1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"\"}}]}", null)
        + OpenAiToolLoopTest.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"command\\\": \\\"ls\\\", \"}}]}", null)
        + OpenAiToolLoopTest.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"description\\\": \\\"List files\\\"}\"}}]}", null)
        + OpenAiToolLoopTest.chunk("{}", "tool_calls") + OpenAiToolLoopTest.USAGE_CHUNK));
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.textStream("a.txt, b.md")));
    JsonNode first = AnthropicToolLoopTest.recorded("claude-code-2.1.332-sonnet-4-5-turn1.json");

    var r = replay(first, GPT5);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"id\":\"call_ls1\"", "\"stop_reason\":\"tool_use\"",
        "\"partial_json\":\"\\\"description\\\": \\\"List files\\\"}\"");
    ScriptedUpstream.Received one = sent(CHAT, 0);
    assertThat(one.query()).isNull();
    assertThat(one.headers()).doesNotContainKey("anthropic-beta").containsEntry("authorization", "Bearer " + KEY);
    // Claude Code's thinking, metadata, context_management and cache_control are Anthropic's: none goes.
    ObjectNode expected = Json.MAPPER.createObjectNode();
    expected.put("model", GPT5).put("reasoning_effort", "high").put("max_completion_tokens", 32000 + 8192);
    expected.set("messages", claudeCodeOpening(first.get("body")));
    ArrayNode tools = expected.putArray("tools");
    first.at("/body/tools").forEach(t -> {
      ObjectNode f = tools.addObject().put("type", "function").putObject("function");
      f.put("name", t.get("name").asText()).put("description", t.get("description").asText()).set("parameters", t.get("input_schema"));
    });
    expected.put("stream", true).putObject("stream_options").put("include_usage", true);
    assertThat(one.json()).isEqualTo(expected);

    // Turn 2 as Claude Code sends it, with the id the gateway gave it.
    JsonNode second = Json.MAPPER.readTree(Json.string(AnthropicToolLoopTest.recorded("claude-code-2.1.332-sonnet-4-5-turn2.json"))
        .replace("toolu_eeef6eb1880849d68f3f", "call_ls1"));

    r = replay(second, GPT5);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("a.txt, b.md", "\"stop_reason\":\"end_turn\"");
    ArrayNode messages = claudeCodeOpening(second.get("body"));
    JsonNode call = second.at("/body/messages/1/content/0");
    ObjectNode assistant = messages.addObject().put("role", "assistant").putNull("content");
    assistant.putArray("tool_calls").addObject().put("id", "call_ls1").put("type", "function").putObject("function")
        .put("name", "Bash").put("arguments", Json.string(call.get("input")));
    messages.addObject().put("role", "tool").put("tool_call_id", "call_ls1")
        .put("content", second.at("/body/messages/2/content/0/content").asText());
    expected.set("messages", messages);
    assertThat(sent(CHAT, 1).json()).isEqualTo(expected);
  }

  // ================================================================ the dial picks across formats

  @Test
  void theDialSendsEachClientToTheOtherFormatsModelByItsLadder() throws Exception {
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_d", THINKING_AND_CALL, "tool_use")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(reasoningAndCall(CALL_PARIS), "tool_calls")));

    var chatResponse = openAi.chat().completions().withRawResponse().create(chat("effort")
        .putAdditionalHeader("Effort", "medium").build());
    try (HttpResponseFor<Message> r = anthropic.messages().withRawResponse().create(messages("effort")
        .putAdditionalHeader("Effort", "low").build())) {
      assertThat(r.headers().values("Effort-Plan")).containsExactly("single(gpt-5 effort=low)");
      assertThat(r.parse().content().get(1).asToolUse().id()).isEqualTo("call_Paris1");
    }

    assertThat(chatResponse.headers().values("Effort-Plan")).containsExactly("single(claude-sonnet-4-5 effort=medium)");
    assertThat(chatResponse.parse().choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().id())
        .isEqualTo("toolu_01A");
    chatResponse.close();
    assertThat(sent(MESSAGES, 0).json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5120,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_ANTHROPIC + "],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}}"));
    assertThat(sent(CHAT, 0).json()).isEqualTo(json("{\"model\":\"gpt-5\",\"reasoning_effort\":\"low\","
        + "\"max_completion_tokens\":2048,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],"
        + "\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));
  }

  @Test
  void theDialMovesAToolLoopBetweenFormatsAndOnlyAnthropicsOwnThinkingGoesBackToAnthropic() throws Exception {
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_1", THINKING_AND_CALL, "tool_use")));
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(reasoningAndCall(CALL_ROME), "tool_calls")));
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_3",
        "[{\"type\":\"text\",\"text\":\"Sunny in Paris, warm in Rome.\"}]", "end_turn")));
    MessageCreateParams first = messages("effort").build();

    Message one = anthropic.messages().create(first.toBuilder().putAdditionalHeader("Effort", "high").build());
    MessageCreateParams second = first.toBuilder().addMessage(one)
        .addUserMessageOfContentBlockParams(List.of(result("toolu_01A", "sunny"))).build();
    Message two;
    try (HttpResponseFor<Message> r = anthropic.messages().withRawResponse()
        .create(second.toBuilder().putAdditionalHeader("Effort", "low").build())) {
      two = r.parse();
      assertThat(r.headers().values("Effort-Plan")).containsExactly("single(gpt-5 effort=low)");
      assertThat(two._additionalProperties().get("effort").convert(JsonNode.class).path("notes").toString())
          .as("Anthropic's signed thinking is named where it cannot go").contains("thinking", "gpt-5");
    }
    Message three = anthropic.messages().create(second.toBuilder().addMessage(two)
        .addUserMessageOfContentBlockParams(List.of(result("call_Rome2", "warm"))).putAdditionalHeader("Effort", "high").build());

    assertThat(three.content().get(0).asText().text()).isEqualTo("Sunny in Paris, warm in Rome.");
    assertThat(sent(CHAT, 0).json()).isEqualTo(json("{\"model\":\"gpt-5\",\"reasoning_effort\":\"low\","
        + "\"max_completion_tokens\":2048,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":\"Let me check.\",\"tool_calls\":[" + CALL_PARIS.replace("call_Paris1", "toolu_01A") + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_01A\",\"content\":\"sunny\"}],"
        + "\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));
    // The turn began with Anthropic's own signed thinking, so thinking stays on; GPT-5's reasoning
    // (signed by the gateway) goes nowhere.
    assertThat(sent(MESSAGES, 1).json()).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9216,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":" + THINKING_AND_CALL + "},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"sunny\"}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_Rome2\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"Rome\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_Rome2\",\"content\":\"warm\"}]}],"
        + "\"tools\":[" + AnthropicToolLoopTest.WEATHER_TOOL + "],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8192}}"));
  }

  // ================================================================ hosted tools across formats

  @Test
  void anAnthropicServerToolIsLeftOutForAnOpenAiModelAndNamed() throws Exception {
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.textMessage("Sunny."), "stop")));
    MessageCreateParams params = messages(GPT41).addTool(WebSearchTool20250305.builder().maxUses(2).build()).build();

    try (HttpResponseFor<Message> r = anthropic.messages().withRawResponse().create(params)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().values("Effort-Dropped-Tools")).containsExactly("web_search");
      JsonNode notes = r.parse()._additionalProperties().get("effort").convert(JsonNode.class).path("notes");
      assertThat(notes.toString()).contains("web_search", "gpt-4.1");
    }
    assertThat(sent(CHAT, 0).json()).isEqualTo(json("{\"model\":\"gpt-4.1\",\"max_completion_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));

    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.textStream("Sunny.")));
    try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> r = anthropic.messages().withRawResponse()
        .createStreaming(params)) {
      assertThat(r.headers().values("Effort-Dropped-Tools")).as("streamed too").containsExactly("web_search");
      try (StreamResponse<RawMessageStreamEvent> events = r.parse()) {
        assertThat(events.stream().count()).isPositive();
      }
    }
    assertThat(sent(CHAT, 1).json().get("tools")).isEqualTo(json("[" + WEATHER_AS_FUNCTION + "]"));

    upstream.reset();
    MessageCreateParams forced = params.toBuilder().toolChoice(ToolChoiceTool.builder().name("web_search").build()).build();
    for (boolean streamed : new boolean[] {false, true}) {
      assertThatThrownBy(() -> {
        if (streamed) {
          try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(forced)) {
            s.stream().count();
          }
        } else {
          anthropic.messages().create(forced);
        }
      }).isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
        assertThat(e.statusCode()).isEqualTo(400);
        JsonNode body = e.body().convert(JsonNode.class);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).contains("web_search");
      });
    }
    assertThat(upstream.received).as("nothing paid for").isEmpty();
  }

  @Test
  @SuppressWarnings("deprecation") // _additionalProperties: how the SDK shows fields beyond its schema (reasoning_content, effort)
  void anOpenAiCustomToolIsLeftOutForAnAnthropicModelAndNamed() throws Exception {
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_h",
        "[{\"type\":\"text\",\"text\":\"Sunny.\"}]", "end_turn")));
    ChatCompletionCreateParams params = chat(HAIKU).addTool(ChatCompletionCustomTool.builder()
        .custom(ChatCompletionCustomTool.Custom.builder().name("run_python").description("Runs Python code").build())
        .build()).build();

    var r = openAi.chat().completions().withRawResponse().create(params);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().values("Effort-Dropped-Tools")).containsExactly("run_python");
    assertThat(r.parse()._additionalProperties().get("effort").convert(JsonNode.class).path("notes").toString())
        .contains("run_python", HAIKU);
    r.close();
    assertThat(sent(MESSAGES, 0).json()).isEqualTo(json("{\"model\":\"" + HAIKU + "\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_ANTHROPIC + "]}"));

    upstream.reset();
    assertThatThrownBy(() -> openAi.chat().completions().create(params.toBuilder()
        .toolChoice(ChatCompletionNamedToolChoiceCustom.builder()
            .custom(ChatCompletionNamedToolChoiceCustom.Custom.builder().name("run_python").build()).build())
        .build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.type()).contains("invalid_request_error");
          assertThat(e.param()).contains("tool_choice");
          assertThat(e.getMessage()).contains("run_python");
        });
    // Required, with no tool the upstream can run.
    assertThatThrownBy(() -> openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(HAIKU)
        .addUserMessage(QUESTION).addTool(params.tools().orElseThrow().get(1))
        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.param()).contains("tool_choice");
          assertThat(e.getMessage()).contains("none of the tools offered can run", "run_python");
        });
    assertThat(upstream.received).as("nothing paid for").isEmpty();
  }

  // ================================================================ the client's own fields stay in its format

  @Test
  void anAnthropicClientsMetadataCacheControlBetaHeaderAndQueryDoNotReachAnOpenAiUpstream() throws Exception {
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.textMessage("Sunny."), "stop")));
    CacheControlEphemeral cache = CacheControlEphemeral.builder().build();

    anthropic.messages().create(MessageCreateParams.builder().model(GPT41).maxTokens(500)
        .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("You are a weather bot.").cacheControl(cache).build()))
        .addTool(AnthropicToolLoopTest.weatherTool().toBuilder().cacheControl(cache).build())
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofText(
            TextBlockParam.builder().text(QUESTION).cacheControl(cache).build())))
        .metadata(Metadata.builder().userId("user-7").build())
        .putAdditionalBodyProperty("context_management", com.anthropic.core.JsonValue.from(Map.of("edits",
            List.of(Map.of("type", "clear_tool_uses_20250919")))))
        .putAdditionalHeader("anthropic-beta", "context-management-2025-06-27")
        .putAdditionalQueryParam("beta", "true")
        .build());

    ScriptedUpstream.Received r = sent(CHAT, 0);
    assertThat(r.query()).isNull();
    assertThat(r.headers()).doesNotContainKey("anthropic-beta").doesNotContainKey("anthropic-version");
    assertThat(r.json()).isEqualTo(json("{\"model\":\"gpt-4.1\",\"max_completion_tokens\":500,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are a weather bot.\"},"
        + "{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_AS_FUNCTION + "]}"));
  }

  @Test
  void anOpenAiClientsPromptCacheKeyMetadataBetaHeaderAndQueryDoNotReachAnAnthropicUpstream() throws Exception {
    upstream.reply(MESSAGES, Reply.json(AnthropicToolLoopTest.answer("msg_p",
        "[{\"type\":\"text\",\"text\":\"Hi.\"}]", "end_turn")));

    openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(HAIKU).maxCompletionTokens(200)
        .addSystemMessage("Be brief.")
        .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
            .text("Hello").putAdditionalProperty("cache_control", JsonValue.from(Map.of("type", "ephemeral")))
            .build())))
        .promptCacheKey("session-42")
        .metadata(ChatCompletionCreateParams.Metadata.builder().putAdditionalProperty("run", JsonValue.from("7")).build())
        .store(false)
        .putAdditionalHeader("OpenAI-Beta", "assistants=v2")
        .putAdditionalHeader("anthropic-beta", "context-management-2025-06-27")
        .putAdditionalQueryParam("beta", "true")
        .build());

    ScriptedUpstream.Received r = sent(MESSAGES, 0);
    assertThat(r.query()).isNull();
    assertThat(r.headers()).doesNotContainKey("openai-beta").doesNotContainKey("anthropic-beta")
        .containsEntry("x-api-key", KEY);
    assertThat(r.json()).isEqualTo(json("{\"model\":\"" + HAIKU + "\",\"max_tokens\":200,\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));
  }

  // ================================================================ tool call ids over the turns

  /** An id of the kind some OpenAI-compatible servers write (Kimi, vLLM's tool parsers), which Anthropic refuses. */
  static final String ODD_ID = "functions.get_weather:0";

  @Test
  void anIdAnthropicRefusesIsMappedTheSameWayInTheAnswerTheStreamAndTheNextTurn() throws Exception {
    String mapped = AnthropicWire.toolId(ODD_ID);
    assertThat(mapped).matches("[a-zA-Z0-9_-]+").isNotEqualTo(ODD_ID);
    String oddCall = CALL_PARIS.replace("call_Paris1", ODD_ID);
    upstream.reply(CHAT, Reply.json(OpenAiToolLoopTest.completion(OpenAiToolLoopTest.toolCallsMessage(oddCall), "tool_calls")));
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
        + "\"id\":\"" + ODD_ID + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null)
        + OpenAiToolLoopTest.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", null)
        + OpenAiToolLoopTest.chunk("{}", "tool_calls") + OpenAiToolLoopTest.USAGE_CHUNK));
    upstream.reply(CHAT, Reply.sse(OpenAiToolLoopTest.textStream("Sunny.")));
    MessageCreateParams first = messages(GPT41).build();

    Message whole = anthropic.messages().create(first).validate();
    Streamed streamed = stream(first);

    assertThat(whole.content().get(0).asToolUse().id()).isEqualTo(mapped);
    assertThat(streamed.message().content().get(0).asToolUse().id()).isEqualTo(mapped);

    stream(first.toBuilder().addMessage(streamed.message())
        .addUserMessageOfContentBlockParams(List.of(result(mapped, "sunny"))).build());

    // The id the client got is the id of the call and of its result upstream.
    assertThat(sent(CHAT, 2).json().get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + CALL_PARIS.replace("call_Paris1", mapped) + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"" + mapped + "\",\"content\":\"sunny\"}]"));
  }

  @Test
  void anOpenAiClientsIdAnthropicRefusesIsMappedAlikeInTheCallAndItsResult() throws Exception {
    String mapped = AnthropicWire.toolId(ODD_ID);
    upstream.reply(MESSAGES, Reply.sse(textStream("msg_o", "Sunny.", "end_turn", null)));

    ChatStreamed done = accumulate(chat(HAIKU)
        .addMessage(ChatCompletionAssistantMessageParam.builder()
            .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(ODD_ID)
                .function(ChatCompletionMessageFunctionToolCall.Function.builder().name("get_weather")
                    .arguments("{\"city\":\"Paris\"}").build()).build())
            .build())
        .addMessage(toolMessage(ODD_ID, "sunny"))
        .build());

    assertThat(done.completion().choices().get(0).message().content()).contains("Sunny.");
    assertThat(sent(MESSAGES, 0).json().get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + mapped + "\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + mapped + "\",\"content\":\"sunny\"}]}]"));
  }
}
