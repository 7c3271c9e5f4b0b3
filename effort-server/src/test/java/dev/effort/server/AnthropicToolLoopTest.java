package dev.effort.server;

import static dev.effort.server.ScriptedUpstream.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.UrlImageSource;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
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
 * The official Anthropic Java SDK runs complete tool loops through the gateway against an
 * Anthropic upstream ({@link ScriptedUpstream} speaking the exact Messages format): tool calls out,
 * tool results back, thinking signatures unchanged on the next turn, JSON and streaming, parallel
 * calls, images, a hosted tool and every field an agent client sends beside them. Every upstream
 * request is asserted whole.
 */
class AnthropicToolLoopTest {
  /** A model whose knob is a thinking budget: at the default level (high) it thinks with 8,192 tokens. */
  static final String THINKING = "claude-sonnet-4-5";
  /** A model without an effort knob: no thinking, max_tokens as the client sent it. */
  static final String PLAIN = "claude-3-5-haiku-20241022";
  static final String KEY = System.getenv("EFFORT_TEST_UPSTREAM_KEY");
  static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
  static final String QUESTION = "What is the weather in Paris?";

  static ScriptedUpstream upstream;
  static Gateway gateway;
  static AnthropicClient client;

  @BeforeAll
  static void start() throws Exception {
    assertThat(KEY).as("surefire sets EFFORT_TEST_UPSTREAM_KEY").isNotBlank();
    upstream = new ScriptedUpstream();
    gateway = upstream.startGateway(Optional.empty(), upstream.provider("claude", "anthropic", THINKING, PLAIN));
    client = SdkClients.anthropic(gateway.port());
  }

  @AfterAll
  static void stop() throws Exception {
    SdkClients.closeAll(client, gateway, upstream);
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  static final String WEATHER_TOOL =
      "{\"name\":\"get_weather\",\"description\":\"The current weather of a city\",\"input_schema\":" + WEATHER_SCHEMA + "}";

  static Tool weatherTool() {
    return Tool.builder()
        .name("get_weather")
        .description("The current weather of a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("city"))
            .build())
        .build();
  }

  static MessageCreateParams.Builder ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).addTool(weatherTool()).addUserMessage(QUESTION);
  }

  static ContentBlockParam result(String id, String text) {
    return ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(id).content(text).build());
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  /** The one request the upstream received since the test began, as JSON. */
  static JsonNode sent(int index) {
    List<ScriptedUpstream.Received> on = upstream.on("/v1/messages");
    assertThat(on).as("requests upstream").hasSizeGreaterThan(index);
    return on.get(index).json();
  }

  static JsonNode input(ContentBlock block) {
    return block.asToolUse()._input().convert(JsonNode.class);
  }

  static String answer(String id, String content, String stopReason) {
    return "{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":"
        + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":120,\"output_tokens\":64}}";
  }

  static final String THINKING_AND_CALL = "[{\"type\":\"thinking\",\"thinking\":\"I should look up the weather.\","
      + "\"signature\":\"" + SIGNATURE + "\"},{\"type\":\"text\",\"text\":\"Let me check.\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]";

  /** The conversation as the upstream must see it on the second turn: its own blocks, unchanged. */
  static final String SECOND_TURN_MESSAGES = "[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"},"
      + "{\"role\":\"assistant\",\"content\":" + THINKING_AND_CALL + "},"
      + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"18°C and sunny\"}]}]";

  @Test
  void aToolLoopSendsTheToolUseAndTheSignedThinkingBackUnchanged() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(answer("msg_u1", THINKING_AND_CALL, "tool_use")));
    MessageCreateParams first = ask(THINKING).build();

    Message called = client.messages().create(first).validate();

    assertThat(called.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(called.content()).hasSize(3);
    assertThat(called.content().get(0).asThinking().signature()).isEqualTo(SIGNATURE);
    assertThat(called.content().get(0).asThinking().thinking()).isEqualTo("I should look up the weather.");
    assertThat(called.content().get(1).asText().text()).isEqualTo("Let me check.");
    assertThat(called.content().get(2).asToolUse().id()).isEqualTo("toolu_01A");
    assertThat(called.content().get(2).asToolUse().name()).isEqualTo("get_weather");
    assertThat(input(called.content().get(2))).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(sent(0)).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9216,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_TOOL + "],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8192}}"));
    ScriptedUpstream.Received request = upstream.on("/v1/messages").get(0);
    assertThat(request.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01")
        .doesNotContainKey("anthropic-beta");
    assertThat(request.query()).isNull();

    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(
        answer("msg_u2", "[{\"type\":\"text\",\"text\":\"It is 18°C and sunny in Paris.\"}]", "end_turn")));
    Message done = client.messages().create(first.toBuilder().addMessage(called)
        .addUserMessageOfContentBlockParams(List.of(result("toolu_01A", "18°C and sunny"))).build()).validate();

    assertThat(done.stopReason()).contains(StopReason.END_TURN);
    assertThat(done.content()).hasSize(1);
    assertThat(done.content().get(0).asText().text()).isEqualTo("It is 18°C and sunny in Paris.");
    assertThat(sent(1)).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9216,"
        + "\"messages\":" + SECOND_TURN_MESSAGES + ",\"tools\":[" + WEATHER_TOOL + "],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8192}}"));
  }

  static String start(String id) {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":120,\"output_tokens\":1}}}");
  }

  static String blockStart(int index, String block) {
    return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");
  }

  static String delta(int index, String delta) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
  }

  static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  static String end(String stopReason, String stopSequence) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason + "\","
        + "\"stop_sequence\":" + (stopSequence == null ? "null" : "\"" + stopSequence + "\"") + "},"
        + "\"usage\":{\"output_tokens\":64}}")
        + event("message_stop", "{\"type\":\"message_stop\"}");
  }

  static String partialJson(int index, String fragment) {
    return delta(index, "{\"type\":\"input_json_delta\",\"partial_json\":" + Json.string(fragment) + "}");
  }

  /** A streamed answer as the SDK accumulates it, with the input_json_delta fragments the client saw. */
  record Streamed(Message message, List<String> fragments, List<String> blockTypes) {}

  static Streamed stream(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<String> fragments = new ArrayList<>();
    List<String> blockTypes = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
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

  @Test
  void aStreamedToolLoopCarriesInputJsonDeltasAndTheRealSignature() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_s1")
        + blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
        + delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"I should look up\"}")
        + delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\" the weather.\"}")
        + delta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}")
        + blockStop(0)
        + blockStart(1, "{\"type\":\"text\",\"text\":\"\"}")
        + delta(1, "{\"type\":\"text_delta\",\"text\":\"Let me check.\"}")
        + blockStop(1)
        + blockStart(2, "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{}}")
        + partialJson(2, "")
        + partialJson(2, "{\"city\": ")
        + partialJson(2, "\"Paris\"}")
        + blockStop(2)
        + end("tool_use", null)));
    MessageCreateParams first = ask(THINKING).build();

    Streamed called = stream(first);

    assertThat(called.blockTypes()).containsExactly("thinking", "text", "tool_use");
    assertThat(called.fragments()).containsExactly("{\"city\": ", "\"Paris\"}");
    Message message = called.message();
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(message.content().get(0).asThinking().signature()).isEqualTo(SIGNATURE);
    assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("I should look up the weather.");
    assertThat(input(message.content().get(2))).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(sent(0).path("stream").asBoolean()).isTrue();

    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_s2")
        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
        + delta(0, "{\"type\":\"text_delta\",\"text\":\"It is 18°C\"}")
        + delta(0, "{\"type\":\"text_delta\",\"text\":\" and sunny in Paris.\"}")
        + blockStop(0)
        + end("end_turn", null)));
    Streamed done = stream(first.toBuilder().addMessage(message)
        .addUserMessageOfContentBlockParams(List.of(result("toolu_01A", "18°C and sunny"))).build());

    assertThat(done.message().stopReason()).contains(StopReason.END_TURN);
    assertThat(done.message().content().get(0).asText().text()).isEqualTo("It is 18°C and sunny in Paris.");
    assertThat(sent(1)).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9216,"
        + "\"messages\":" + SECOND_TURN_MESSAGES + ",\"tools\":[" + WEATHER_TOOL + "],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8192},\"stream\":true}"));
  }

  static final String TWO_CALLS = "[{\"type\":\"text\",\"text\":\"Checking both.\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_P\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_T\",\"name\":\"get_weather\",\"input\":{\"city\":\"Tokyo\"}}]";

  @Test
  void parallelToolCallsComeBackAsTwoToolUseBlocksAndBothResultsGoUpstream() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(answer("msg_p1", TWO_CALLS, "tool_use")));
    MessageCreateParams first = MessageCreateParams.builder().model(PLAIN).maxTokens(1024).addTool(weatherTool())
        .addUserMessage("Weather in Paris and Tokyo?").build();

    Message called = client.messages().create(first).validate();

    assertThat(called.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(called.content()).filteredOn(ContentBlock::isToolUse).extracting(b -> b.asToolUse().id())
        .containsExactly("toolu_P", "toolu_T");

    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(
        answer("msg_p2", "[{\"type\":\"text\",\"text\":\"Sunny in Paris, rain in Tokyo.\"}]", "end_turn")));
    Message done = client.messages().create(first.toBuilder().addMessage(called)
        .addUserMessageOfContentBlockParams(List.of(result("toolu_P", "sunny"),
            ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("toolu_T").isError(true)
                .contentOfBlocks(List.of(ToolResultBlockParam.Content.Block.ofText(
                    TextBlockParam.builder().text("station offline").build()))).build()))).build());

    assertThat(done.content().get(0).asText().text()).isEqualTo("Sunny in Paris, rain in Tokyo.");
    assertThat(sent(1)).isEqualTo(json("{\"model\":\"" + PLAIN + "\",\"max_tokens\":1024,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather in Paris and Tokyo?\"},"
        + "{\"role\":\"assistant\",\"content\":" + TWO_CALLS + "},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_P\",\"content\":\"sunny\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_T\",\"content\":\"station offline\",\"is_error\":true}]}],"
        + "\"tools\":[" + WEATHER_TOOL + "]}"));
  }

  @Test
  void aStreamedParallelCallAfterRedactedThinkingGoesBackUpstreamBlockForBlock() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_r1")
        + blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
        + delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"Two cities.\"}")
        + delta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}")
        + blockStop(0)
        + blockStart(1, "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}")
        + blockStop(1)
        + blockStart(2, "{\"type\":\"tool_use\",\"id\":\"toolu_P\",\"name\":\"get_weather\",\"input\":{}}")
        + partialJson(2, "{\"city\": \"Paris\"}") + blockStop(2)
        + blockStart(3, "{\"type\":\"tool_use\",\"id\":\"toolu_T\",\"name\":\"get_weather\",\"input\":{}}")
        + partialJson(3, "{\"city\": ") + partialJson(3, "\"Tokyo\"}") + blockStop(3)
        + end("tool_use", null)));
    MessageCreateParams first = MessageCreateParams.builder().model(THINKING).maxTokens(1024).addTool(weatherTool())
        .addUserMessage("Weather in Paris and Tokyo?").build();

    Streamed called = stream(first);

    assertThat(called.message().stopReason()).contains(StopReason.TOOL_USE);
    assertThat(called.message().content().get(1).asRedactedThinking().data()).isEqualTo("EmwKAhgBEgy3va3pzix");
    assertThat(called.message().content()).filteredOn(ContentBlock::isToolUse).extracting(b -> input(b).path("city").asText())
        .containsExactly("Paris", "Tokyo");
    assertThat(called.fragments()).containsExactly("{\"city\": \"Paris\"}", "{\"city\": ", "\"Tokyo\"}");

    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(
        answer("msg_r2", "[{\"type\":\"text\",\"text\":\"Sunny and rainy.\"}]", "end_turn")));
    client.messages().create(first.toBuilder().addMessage(called.message())
        .addUserMessageOfContentBlockParams(List.of(result("toolu_P", "sunny"), result("toolu_T", "rain"))).build());

    assertThat(sent(1).path("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":\"Weather in Paris and Tokyo?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Two cities.\",\"signature\":\"" + SIGNATURE + "\"},"
        + "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_P\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_T\",\"name\":\"get_weather\",\"input\":{\"city\":\"Tokyo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_P\",\"content\":\"sunny\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_T\",\"content\":\"rain\"}]}]"));
    assertThat(sent(1).path("thinking").path("type").asText()).isEqualTo("enabled");
  }

  @Test
  void thinkingSignedByTheGatewayIsNeverForwardedAndTheTurnGoesWithoutThinking() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(
        answer("msg_g", "[{\"type\":\"text\",\"text\":\"Rainy in Oslo.\"}]", "end_turn")));
    MessageCreateParams params = MessageCreateParams.builder().model(THINKING).maxTokens(1024).addTool(weatherTool())
        .addUserMessage("Weather in Oslo?")
        .addAssistantMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofThinking(ThinkingBlockParam.builder().thinking("Another provider thought this.")
                .signature("effort-gateway").build()),
            ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id("call_oslo1").name("get_weather")
                .input(ToolUseBlockParam.Input.builder().putAdditionalProperty("city", JsonValue.from("Oslo")).build())
                .build())))
        .addUserMessageOfContentBlockParams(List.of(result("call_oslo1", "rain")))
        .build();

    Message done = client.messages().create(params).validate();

    assertThat(done.stopReason()).contains(StopReason.END_TURN);
    // Anthropic requires a tool-using turn to start with its own signed thinking when thinking is on;
    // this one has none to send, so the call goes without thinking (and its room).
    assertThat(sent(0)).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather in Oslo?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_oslo1\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"Oslo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_oslo1\",\"content\":\"rain\"}]}],"
        + "\"tools\":[" + WEATHER_TOOL + "]}"));
  }

  @Test
  void aForcedToolGoesWithoutThinkingWhichAnthropicRefusesWithIt() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(answer("msg_f",
        "[{\"type\":\"tool_use\",\"id\":\"toolu_F\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]", "tool_use")));

    Message called = client.messages().create(ask(THINKING)
        .toolChoice(ToolChoiceAny.builder().disableParallelToolUse(true).build()).build()).validate();

    assertThat(called.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(sent(0)).isEqualTo(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],\"tools\":[" + WEATHER_TOOL + "],"
        + "\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}}"));
  }

  static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  @Test
  void imageBlocksAreForwardedAsTheyCame() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(
        answer("msg_i", "[{\"type\":\"text\",\"text\":\"A single pixel.\"}]", "end_turn")));
    MessageCreateParams params = MessageCreateParams.builder().model(PLAIN).maxTokens(300)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build()),
            ContentBlockParam.ofImage(ImageBlockParam.builder().source(UrlImageSource.builder()
                .url("https://example.com/cat.jpg").build()).build()),
            ContentBlockParam.ofText(TextBlockParam.builder().text("What are these?").build())))
        .build();

    Message m = client.messages().create(params).validate();

    assertThat(m.content().get(0).asText().text()).isEqualTo("A single pixel.");
    assertThat(sent(0)).isEqualTo(json("{\"model\":\"" + PLAIN + "\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}},"
        + "{\"type\":\"text\",\"text\":\"What are these?\"}]}]}"));
  }

  static final String SEARCH_ANSWER = "[{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_01\",\"name\":\"web_search\","
      + "\"input\":{\"query\":\"Paris weather\"},\"caller\":{\"type\":\"direct\"}},"
      + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_01\",\"caller\":{\"type\":\"direct\"},\"content\":[{\"type\":\"web_search_result\","
      + "\"url\":\"https://weather.example/paris\",\"title\":\"Paris\",\"encrypted_content\":\"EqgfCioIARgBIiQ3\","
      + "\"page_age\":null}]},"
      + "{\"type\":\"text\",\"text\":\"Sunny.\",\"citations\":[{\"type\":\"web_search_result_location\","
      + "\"url\":\"https://weather.example/paris\",\"title\":\"Paris\",\"encrypted_index\":\"Eo8BCioIAhgB\","
      + "\"cited_text\":\"Sunny all day\"}]}]";

  @Test
  void aHostedToolCacheControlBetaHeaderQueryAndUnusedFieldsGoToAnAnthropicUpstreamAsSent() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(answer("msg_h", SEARCH_ANSWER, "end_turn")));
    CacheControlEphemeral cache = CacheControlEphemeral.builder().build();
    MessageCreateParams params = MessageCreateParams.builder().model(PLAIN).maxTokens(500)
        .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("You are a weather bot.").cacheControl(cache).build()))
        .addTool(weatherTool().toBuilder().cacheControl(cache).build())
        .addTool(WebSearchTool20250305.builder().maxUses(2).build())
        .addUserMessage(QUESTION)
        .metadata(Metadata.builder().userId("user-7").build())
        .putAdditionalBodyProperty("temperature", JsonValue.from(0.2))
        .addStopSequence("###")
        .putAdditionalBodyProperty("context_management", JsonValue.from(Map.of("edits", List.of(
            Map.of("type", "clear_tool_uses_20250919")))))
        .putAdditionalHeader("anthropic-beta", "context-management-2025-06-27")
        .putAdditionalQueryParam("beta", "true")
        .build();

    // Not validated: SDK 3.14.0's validate() refuses its own server_tool_use name web_search.
    Message m = client.messages().create(params);

    ScriptedUpstream.Received request = upstream.on("/v1/messages").get(0);
    assertThat(request.query()).isEqualTo("beta=true");
    assertThat(request.headers()).containsEntry("anthropic-beta", "context-management-2025-06-27")
        .containsEntry("x-api-key", KEY);
    assertThat(request.json()).isEqualTo(json("{\"model\":\"" + PLAIN + "\",\"max_tokens\":500,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"You are a weather bot.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],"
        + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"The current weather of a city\",\"input_schema\":"
        + WEATHER_SCHEMA + ",\"cache_control\":{\"type\":\"ephemeral\"}},"
        + "{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":2}],"
        + "\"stop_sequences\":[\"###\"],\"metadata\":{\"user_id\":\"user-7\"},\"temperature\":0.2,"
        + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]}}"));
    // The server tool's blocks and the text's citations come back as the upstream wrote them.
    assertThat(m.content()).hasSize(3);
    assertThat(m.content().get(0).asServerToolUse().id()).isEqualTo("srvtoolu_01");
    assertThat(m.content().get(0).asServerToolUse()._input().convert(JsonNode.class))
        .isEqualTo(json("{\"query\":\"Paris weather\"}"));
    assertThat(m.content().get(1).asWebSearchToolResult().toolUseId()).isEqualTo("srvtoolu_01");
    assertThat(m.content().get(1).asWebSearchToolResult().content().asResultBlocks().get(0).encryptedContent())
        .isEqualTo("EqgfCioIARgBIiQ3");
    assertThat(m.content().get(2).asText().text()).isEqualTo("Sunny.");
    assertThat(m.content().get(2).asText().citations().orElseThrow().get(0).asWebSearchResultLocation().citedText())
        .isEqualTo("Sunny all day");
  }

  @Test
  void aServerToolsBlocksStreamThroughWholeInOrder() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_hs")
        + blockStart(0, "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_01\",\"name\":\"web_search\",\"input\":{},"
            + "\"caller\":{\"type\":\"direct\"}}")
        + partialJson(0, "{\"query\": ") + partialJson(0, "\"Paris weather\"}")
        + blockStop(0)
        + blockStart(1, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_01\",\"caller\":{\"type\":\"direct\"},"
            + "\"content\":[{\"type\":\"web_search_result\",\"url\":\"https://weather.example/paris\",\"title\":\"Paris\","
            + "\"encrypted_content\":\"EqgfCioIARgBIiQ3\",\"page_age\":null}]}")
        + blockStop(1)
        + blockStart(2, "{\"type\":\"text\",\"text\":\"\"}") + delta(2, "{\"type\":\"text_delta\",\"text\":\"Sunny.\"}")
        + blockStop(2)
        + end("end_turn", null)));
    MessageCreateParams params = MessageCreateParams.builder().model(PLAIN).maxTokens(500)
        .addTool(WebSearchTool20250305.builder().maxUses(2).build()).addUserMessage(QUESTION).build();

    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(accumulator::accumulate);
    }
    Message m = accumulator.message();

    assertThat(m.content()).hasSize(3);
    assertThat(m.content().get(0).asServerToolUse()._input().convert(JsonNode.class))
        .isEqualTo(json("{\"query\":\"Paris weather\"}"));
    assertThat(m.content().get(1).asWebSearchToolResult().content().asResultBlocks().get(0).url())
        .isEqualTo("https://weather.example/paris");
    assertThat(m.content().get(2).asText().text()).isEqualTo("Sunny.");
    assertThat(sent(0).path("tools")).isEqualTo(json("[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":2}]"));
  }

  @Test
  void theUpstreamsStopReasonReachesTheClientJsonAndStreamed() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(
        answer("msg_m", "[{\"type\":\"text\",\"text\":\"It is su\"}]", "max_tokens")));
    Message cut = client.messages().create(ask(PLAIN).build());
    assertThat(cut.stopReason()).contains(StopReason.MAX_TOKENS);

    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_ms")
        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}") + delta(0, "{\"type\":\"text_delta\",\"text\":\"It is su\"}")
        + blockStop(0) + end("max_tokens", null)));
    assertThat(stream(ask(PLAIN).build()).message().stopReason()).contains(StopReason.MAX_TOKENS);

    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_ss")
        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}") + delta(0, "{\"type\":\"text_delta\",\"text\":\"Sunny\"}")
        + blockStop(0) + end("stop_sequence", "###")));
    Message stopped = stream(ask(PLAIN).addStopSequence("###").build()).message();
    assertThat(stopped.stopReason()).contains(StopReason.STOP_SEQUENCE);
    assertThat(stopped.stopSequence()).contains("###");
    assertThat(sent(2).path("stop_sequences")).isEqualTo(json("[\"###\"]"));
  }

  /** A request Claude Code 2.1.332 sent (captured, long strings shortened): query, headers and body. */
  static JsonNode recorded(String name) throws Exception {
    try (var in = AnthropicToolLoopTest.class.getResourceAsStream("/agent-requests/" + name)) {
      return Json.MAPPER.readTree(in);
    }
  }

  /** Posts a recorded request to the gateway as its client sent it, and returns the event stream. */
  static HttpResponse<String> replay(JsonNode recorded) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.port()
            + "/v1/messages?" + recorded.path("query").asText()))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client-not-a-key");
    recorded.path("headers").properties().forEach(h -> request.header(h.getKey(), h.getValue().asText()));
    try (var http = HttpClient.newHttpClient()) {
      return http.send(request.POST(HttpRequest.BodyPublishers.ofString(Json.string(recorded.get("body"))))
          .build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void claudeCodesOwnToolLoopReachesAnAnthropicUpstreamAsItWasSent() throws Exception {
    // Turn 1: thinking shown as omitted (an empty thinking block, signed), then a Bash call.
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_c1")
        + blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
        + delta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}")
        + blockStop(0)
        + blockStart(1, "{\"type\":\"tool_use\",\"id\":\"toolu_eeef6eb1880849d68f3f\",\"name\":\"Bash\",\"input\":{}}")
        + partialJson(1, "{\"command\": \"ls\", ") + partialJson(1, "\"description\": \"List files\"}")
        + blockStop(1)
        + end("tool_use", null)));
    JsonNode first = recorded("claude-code-2.1.332-sonnet-4-5-turn1.json");

    HttpResponse<String> r = replay(first);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"signature\":\"" + SIGNATURE + "\"", "\"stop_reason\":\"tool_use\"",
        "\"partial_json\":\"\\\"description\\\": \\\"List files\\\"}\"");
    ScriptedUpstream.Received sent = upstream.on("/v1/messages").get(0);
    assertThat(sent.query()).isEqualTo("beta=true");
    assertThat(sent.headers().get("anthropic-beta")).isEqualTo(first.at("/headers/anthropic-beta").asText());
    // Everything as sent but the dial's own: the output cap (the client's cap is the answer's room,
    // thinking comes on top) and the thinking budget of the level (high), shown as the client asked.
    ObjectNode expected = (ObjectNode) first.get("body").deepCopy();
    expected.put("max_tokens", 32000 + 8192);
    expected.putObject("thinking").put("type", "enabled").put("budget_tokens", 8192).put("display", "omitted");
    assertThat(sent.json()).isEqualTo(expected);

    // Turn 2 as Claude Code sent it: the tool_use echoed without the thinking block before it, so
    // this turn goes without thinking (Anthropic requires a tool turn to start with its own thinking).
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.sse(start("msg_c2")
        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}") + delta(0, "{\"type\":\"text_delta\",\"text\":\"a.txt, b.md\"}")
        + blockStop(0) + end("end_turn", null)));
    JsonNode second = recorded("claude-code-2.1.332-sonnet-4-5-turn2.json");

    r = replay(second);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("a.txt, b.md", "\"stop_reason\":\"end_turn\"");
    expected = (ObjectNode) second.get("body").deepCopy();
    expected.put("max_tokens", 32000);
    expected.remove("thinking");
    expected.remove("context_management"); // its one edit clears thinking, which Anthropic takes only with thinking on
    ((ObjectNode) expected.at("/messages/2/content/0")).remove("is_error"); // false
    assertThat(upstream.on("/v1/messages").get(1).json()).isEqualTo(expected);
  }

  @Test
  void countTokensTakesABodyWithToolsAndImages() throws Exception {
    try (HttpResponseFor<MessageTokensCount> r = client.messages().withRawResponse()
        .countTokens(MessageCountTokensParams.builder().model(PLAIN)
            .addTool(weatherTool())
            .addUserMessageOfContentBlockParams(List.of(
                ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                    .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build()),
                ContentBlockParam.ofText(TextBlockParam.builder().text("What is this?").build())))
            .build())) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.parse().inputTokens()).isPositive();
    }
    assertThat(upstream.received).isEmpty();
  }
}
