package dev.effort.server;

import static dev.effort.server.ScriptedUpstream.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
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
 * The official OpenAI Java SDK as the client of a gateway whose provider is OpenAI, pointed at a
 * local upstream that answers with exact Chat Completions bodies and streams: whole tool loops
 * (tools out, tool calls back, tool results out, final answer), JSON and streaming, parallel
 * calls, images, tool choice, stop sequences, output caps, and what the client sent that the
 * gateway does not use, each asserted on the exact upstream request.
 */
class OpenAiToolLoopTest {
  static final String KEY = System.getenv("EFFORT_TEST_UPSTREAM_KEY");
  static final String PATH = "/v1/chat/completions";
  static ScriptedUpstream upstream;
  static RunningGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    assertThat(KEY).as("surefire sets EFFORT_TEST_UPSTREAM_KEY").isNotBlank();
    upstream = new ScriptedUpstream();
    gateway = new RunningGateway(upstream.startGateway(Optional.empty(), upstream.provider("oai", "openai", "gpt-5", "gpt-4.1")));
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

  static final String QUESTION = "What is the weather in Paris and in Rome?";

  static final ChatCompletionFunctionTool WEATHER = ChatCompletionFunctionTool.builder()
      .function(FunctionDefinition.builder()
          .name("get_weather")
          .description("Current weather in a city")
          .parameters(FunctionParameters.builder()
              .putAdditionalProperty("type", JsonValue.from("object"))
              .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
              .putAdditionalProperty("required", JsonValue.from(List.of("city")))
              .putAdditionalProperty("additionalProperties", JsonValue.from(false))
              .build())
          .strict(true)
          .build())
      .build();

  static final ChatCompletionFunctionTool TIME = ChatCompletionFunctionTool.builder()
      .function(FunctionDefinition.builder()
          .name("get_time")
          .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
          .build())
      .build();

  /** The tools as they must reach the upstream, byte for byte what the client sent. */
  static final String TOOLS_JSON = """
      [{"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                       "additionalProperties": false},
        "strict": true}},
       {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}]""";

  static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(QUESTION).addTool(WEATHER).addTool(TIME);
  }

  static ChatCompletionToolMessageParam result(String callId, String content) {
    return ChatCompletionToolMessageParam.builder().toolCallId(callId).content(content).build();
  }

  // ---- the upstream's side

  static String completion(String message, String finishReason) {
    return """
        {"id": "chatcmpl-up", "object": "chat.completion", "created": 1757350000, "model": "gpt-5-2025-08-07",
         "choices": [{"index": 0, "message": %s, "logprobs": null, "finish_reason": "%s"}],
         "usage": {"prompt_tokens": 80, "completion_tokens": 30, "total_tokens": 110,
                   "completion_tokens_details": {"reasoning_tokens": 12}},
         "service_tier": "default", "system_fingerprint": null}""".formatted(message, finishReason);
  }

  static final String CALL_PARIS = """
      {"id": "call_Paris1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}""";
  static final String CALL_ROME = """
      {"id": "call_Rome2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}""";

  static String toolCallsMessage(String... calls) {
    return "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [" + String.join(", ", calls)
        + "], \"refusal\": null, \"annotations\": []}";
  }

  static String textMessage(String text) {
    return "{\"role\": \"assistant\", \"content\": " + Json.string(text) + ", \"refusal\": null, \"annotations\": []}";
  }

  static String chunk(String delta, String finishReason) {
    return data("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,\"model\":\"gpt-5-2025-08-07\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}],\"usage\":null}");
  }

  static final String USAGE_CHUNK = data("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,"
      + "\"model\":\"gpt-5-2025-08-07\",\"choices\":[],\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":30,"
      + "\"total_tokens\":110,\"completion_tokens_details\":{\"reasoning_tokens\":12}}}") + data("[DONE]");

  /** Two parallel calls streamed as OpenAI does: each call's first piece names it, its arguments follow in pieces. */
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

  /** The only request the upstream received since the last one looked at. */
  static ScriptedUpstream.Received sent(int index) {
    List<ScriptedUpstream.Received> all = upstream.on(PATH);
    assertThat(all).as("upstream requests").hasSizeGreaterThan(index);
    return all.get(index);
  }

  static ChatCompletionMessageFunctionToolCall function(ChatCompletionMessageToolCall call) {
    return call.asFunction();
  }

  // ---- the tests

  @Test
  void aToolLoopRunsThroughWithTheExactUpstreamRequestsEachTurn() throws Exception {
    upstream.reply(PATH, Reply.json(completion(toolCallsMessage(CALL_PARIS), "tool_calls")));
    upstream.reply(PATH, Reply.json(completion(textMessage("It is 18 °C and sunny in Paris."), "stop")));

    ChatCompletionCreateParams first = ask("gpt-5").build();
    ChatCompletion called = client.chat().completions().create(first).validate();

    ChatCompletion.Choice choice = called.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).as("content is null when the answer only calls tools").isEmpty();
    assertThat(choice.message().toolCalls().orElseThrow()).singleElement().satisfies(c -> {
      assertThat(function(c).id()).as("the upstream's call id, unchanged").isEqualTo("call_Paris1");
      assertThat(function(c).function().name()).isEqualTo("get_weather");
      assertThat(function(c).function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    });
    ScriptedUpstream.Received one = sent(0);
    assertThat(one.headers()).containsEntry("authorization", "Bearer " + KEY);
    assertThat(one.json()).isEqualTo(json("""
        {"model": "gpt-5", "reasoning_effort": "high",
         "messages": [{"role": "user", "content": "%s"}],
         "tools": %s}""".formatted(QUESTION, TOOLS_JSON)));

    ChatCompletion answered = client.chat().completions().create(first.toBuilder()
        .addMessage(choice.message())
        .addMessage(result("call_Paris1", "{\"temp_c\":18,\"sky\":\"sunny\"}"))
        .build()).validate();

    assertThat(answered.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(answered.choices().get(0).message().content()).contains("It is 18 °C and sunny in Paris.");
    assertThat(answered.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    assertThat(sent(1).json()).isEqualTo(json("""
        {"model": "gpt-5", "reasoning_effort": "high",
         "messages": [{"role": "user", "content": "%s"},
                      {"role": "assistant", "content": null, "tool_calls": [%s]},
                      {"role": "tool", "tool_call_id": "call_Paris1", "content": "{\\"temp_c\\":18,\\"sky\\":\\"sunny\\"}"}],
         "tools": %s}""".formatted(QUESTION, CALL_PARIS, TOOLS_JSON)));
  }

  @Test
  void aStreamedToolLoopCarriesParallelCallsWhoseArgumentsTheSdkAccumulates() throws Exception {
    upstream.reply(PATH, Reply.sse(TWO_CALLS_STREAM));
    upstream.reply(PATH, Reply.sse(textStream("Paris: 18 °C", ", Rome: 24 °C.")));

    ChatCompletionCreateParams first = ask("gpt-5").parallelToolCalls(true).build();
    ChatCompletion called = accumulate(first);

    ChatCompletion.Choice choice = called.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().toolCalls().orElseThrow()).extracting(c -> function(c).id() + " "
        + function(c).function().name() + " " + function(c).function().arguments())
        .containsExactly("call_Paris1 get_weather {\"city\":\"Paris\"}", "call_Rome2 get_weather {\"city\":\"Rome\"}");
    assertThat(sent(0).json()).isEqualTo(json("""
        {"model": "gpt-5", "reasoning_effort": "high",
         "messages": [{"role": "user", "content": "%s"}],
         "tools": %s, "parallel_tool_calls": true,
         "stream": true, "stream_options": {"include_usage": true}}""".formatted(QUESTION, TOOLS_JSON)));

    ChatCompletion answered = accumulate(first.toBuilder()
        .addMessage(choice.message())
        .addMessage(result("call_Paris1", "18 °C"))
        .addMessage(result("call_Rome2", "24 °C"))
        .build());

    assertThat(answered.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(answered.choices().get(0).message().content()).contains("Paris: 18 °C, Rome: 24 °C.");
    assertThat(sent(1).json().get("messages")).as("both results, in the order sent").isEqualTo(json("""
        [{"role": "user", "content": "%s"},
         {"role": "assistant", "content": null, "tool_calls": [%s, %s]},
         {"role": "tool", "tool_call_id": "call_Paris1", "content": "18 °C"},
         {"role": "tool", "tool_call_id": "call_Rome2", "content": "24 °C"}]""".formatted(QUESTION, CALL_PARIS, CALL_ROME)));
  }

  /** A stream through the SDK, accumulated into one completion as SDK users do. */
  static ChatCompletion accumulate(ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(c -> accumulator.accumulate(c.validate()));
    }
    return accumulator.chatCompletion().validate();
  }

  @Test
  void streamedToolCallsAreChunkedTheWayOpenAiStreamsThem() throws Exception {
    upstream.reply(PATH, Reply.sse(TWO_CALLS_STREAM));
    String body = "{\"model\":\"gpt-5\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],"
        + "\"tools\":" + Json.string(json(TOOLS_JSON)) + "}";

    HttpResponse<String> r = gateway.post(PATH, body, "Content-Type", "application/json");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> deltas = new ArrayList<>();
    List<String> finishes = new ArrayList<>();
    for (String event : r.body().split("\n\n")) {
      String data = event.substring("data: ".length());
      if (data.equals("[DONE]")) {
        continue;
      }
      JsonNode choice = json(data).at("/choices/0");
      if (choice.has("delta") && choice.get("delta").has("tool_calls")) {
        deltas.add(choice.at("/delta/tool_calls/0"));
      }
      if (choice.hasNonNull("finish_reason")) {
        finishes.add(choice.get("finish_reason").asText());
      }
    }
    assertThat(deltas).containsExactly(
        json("{\"index\":0,\"id\":\"call_Paris1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}"),
        json("{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}"),
        json("{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}"),
        json("{\"index\":1,\"id\":\"call_Rome2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}"),
        json("{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}"));
    assertThat(finishes).containsExactly("tool_calls");
  }

  @Test
  void parallelCallsWholeComeBackInOrderAndTheirResultsGoBackInOrder() throws Exception {
    upstream.reply(PATH, Reply.json(completion(toolCallsMessage(CALL_PARIS, CALL_ROME), "tool_calls")));
    upstream.reply(PATH, Reply.json(completion(textMessage("Both are warm."), "stop")));

    ChatCompletionCreateParams first = ask("gpt-5").build();
    ChatCompletion called = client.chat().completions().create(first);
    assertThat(called.choices().get(0).message().toolCalls().orElseThrow()).extracting(c -> function(c).id())
        .containsExactly("call_Paris1", "call_Rome2");

    client.chat().completions().create(first.toBuilder()
        .addMessage(called.choices().get(0).message())
        .addMessage(result("call_Rome2", "24 °C"))
        .addMessage(result("call_Paris1", "18 °C"))
        .build());

    assertThat(sent(1).json().get("messages")).isEqualTo(json("""
        [{"role": "user", "content": "%s"},
         {"role": "assistant", "content": null, "tool_calls": [%s, %s]},
         {"role": "tool", "tool_call_id": "call_Rome2", "content": "24 °C"},
         {"role": "tool", "tool_call_id": "call_Paris1", "content": "18 °C"}]""".formatted(QUESTION, CALL_PARIS, CALL_ROME)));
  }

  @Test
  void aNamedAndARequiredToolChoiceReachTheUpstreamAsSent() throws Exception {
    upstream.reply(PATH, Reply.json(completion(toolCallsMessage(CALL_PARIS), "tool_calls")));
    upstream.reply(PATH, Reply.json(completion(toolCallsMessage(CALL_PARIS), "tool_calls")));

    client.chat().completions().create(ask("gpt-5").toolChoice(ChatCompletionNamedToolChoice.builder()
        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build())
        .parallelToolCalls(false).build());
    client.chat().completions().create(ask("gpt-5").toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

    assertThat(sent(0).json().get("tool_choice")).isEqualTo(json("{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}"));
    assertThat(sent(0).json().get("parallel_tool_calls")).isEqualTo(json("false"));
    assertThat(sent(1).json().get("tool_choice")).isEqualTo(json("\"required\""));
    assertThat(sent(1).json().has("parallel_tool_calls")).as("not sent when the client did not say").isFalse();
  }

  static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  @Test
  void anImageAsADataUrlAndAnHttpsImageAreForwardedWithTheirDetail() throws Exception {
    upstream.reply(PATH, Reply.json(completion(textMessage("A single white pixel, and a cat."), "stop")));

    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4.1")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is in these images?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64," + PNG)
                    .detail(ChatCompletionContentPartImage.ImageUrl.Detail.LOW).build()).build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("https://example.com/cat.jpg").build())
                .build())))
        .build());

    assertThat(c.choices().get(0).message().content()).contains("A single white pixel, and a cat.");
    assertThat(sent(0).json()).isEqualTo(json("""
        {"model": "gpt-4.1",
         "messages": [{"role": "user", "content": [
           {"type": "text", "text": "What is in these images?"},
           {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s", "detail": "low"}},
           {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]}]}""".formatted(PNG)));
  }

  @Test
  void stopSequencesReachAModelThatTakesThemAndAreLeftOutForAReasoningModel() throws Exception {
    upstream.reply(PATH, Reply.json(completion(textMessage("1, 2, 3"), "stop")));
    upstream.reply(PATH, Reply.json(completion(textMessage("1, 2, 3"), "stop")));

    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4.1").addUserMessage("Count to ten.").stop(ChatCompletionCreateParams.Stop.ofStrings(List.of(", 4", "END")))
        .build());
    client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-5").addUserMessage("Count to ten.").stop("END").build());

    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(sent(0).json()).isEqualTo(json("""
        {"model": "gpt-4.1", "messages": [{"role": "user", "content": "Count to ten."}], "stop": [", 4", "END"]}"""));
    assertThat(sent(1).json().has("stop")).as("OpenAI's reasoning models refuse stop with HTTP 400").isFalse();
  }

  @Test
  void anAnswerCutByTheOutputCapFinishesWithLengthJsonAndStreamed() throws Exception {
    upstream.reply(PATH, Reply.json(completion(textMessage("Once upon a"), "length")));
    upstream.reply(PATH, Reply.sse(chunk("{\"role\":\"assistant\",\"content\":\"Once\"}", null)
        + chunk("{\"content\":\" upon a\"}", null) + chunk("{}", "length") + USAGE_CHUNK));

    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4.1")
        .addUserMessage("Tell a long story.").maxCompletionTokens(3).build();
    ChatCompletion whole = client.chat().completions().create(params);
    @SuppressWarnings("deprecation") // max_tokens: what older clients still send
    ChatCompletionCreateParams old = ChatCompletionCreateParams.builder().model("gpt-4.1")
        .addUserMessage("Tell a long story.").maxTokens(3).build();
    ChatCompletion streamed = accumulate(old);

    assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(streamed.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(streamed.choices().get(0).message().content()).contains("Once upon a");
    assertThat(sent(0).json().get("max_completion_tokens").asInt()).isEqualTo(3);
    assertThat(sent(1).json().get("max_completion_tokens").asInt()).as("OpenAI's name for the cap").isEqualTo(3);
  }

  @Test
  void fieldsHeadersAndQueryTheGatewayDoesNotUseReachAnOpenAiUpstream() throws Exception {
    upstream.reply(PATH, Reply.json(completion(textMessage("Hi."), "stop")));

    client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4.1")
        .addUserMessage("Hello")
        .promptCacheKey("session-42")
        .metadata(ChatCompletionCreateParams.Metadata.builder().putAdditionalProperty("run", JsonValue.from("7")).build())
        .temperature(0.2)
        .store(false)
        .putAdditionalBodyProperty("a_future_field", JsonValue.from(Map.of("on", true)))
        .putAdditionalHeader("OpenAI-Beta", "assistants=v2")
        .putAdditionalQueryParam("beta", "true")
        .build());

    ScriptedUpstream.Received r = sent(0);
    assertThat(r.query()).isEqualTo("beta=true");
    assertThat(r.headers()).containsEntry("openai-beta", "assistants=v2").containsEntry("authorization", "Bearer " + KEY);
    assertThat(r.json()).isEqualTo(json("""
        {"model": "gpt-4.1", "messages": [{"role": "user", "content": "Hello"}],
         "prompt_cache_key": "session-42", "metadata": {"run": "7"}, "temperature": 0.2, "store": false,
         "a_future_field": {"on": true}}"""));
  }
}
