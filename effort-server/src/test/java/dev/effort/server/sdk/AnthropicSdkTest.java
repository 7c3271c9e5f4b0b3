package dev.effort.server.sdk;

import static dev.effort.server.sdk.RecordedGateway.GPT4_TURBO;
import static dev.effort.server.sdk.RecordedGateway.LADDER;
import static dev.effort.server.sdk.RecordedGateway.MIXTRAL;
import static dev.effort.server.sdk.RecordedGateway.answeringModel;
import static dev.effort.server.sdk.RecordedGateway.outcome;
import static dev.effort.server.sdk.RecordedGateway.plan;
import static dev.effort.server.sdk.RecordedGateway.recorded;
import static dev.effort.server.sdk.RecordedGateway.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.OutputConfig;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.models.ModelInfo;
import com.anthropic.models.models.ModelListPage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Effort;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.server.sdk.RecordedGateway.Downgrade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Anthropic Java SDK ({@code com.anthropic:anthropic-java}) as a client of the
 * running gateway: every way of setting effort, JSON and the streaming event sequence (read
 * through the SDK's {@link MessageAccumulator}), the {@code Effort-*} headers through raw
 * responses, the {@code effort} trace through additional properties, typed errors, the models list.
 */
class AnthropicSdkTest {
  static final long MAX_TOKENS = 1024;
  static RecordedGateway gateway;
  static AnthropicClient client;
  /** Free-form (code) prompt: every level's answering model is known in advance. */
  static RecordedPrompt prompt;

  @BeforeAll
  static void start() {
    gateway = new RecordedGateway();
    prompt = gateway.freeFormPrompt();
    client = AnthropicOkHttpClient.builder()
        .baseUrl("http://localhost:" + gateway.port())
        .apiKey("sk-ant-test-not-a-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  /**
   * One way of setting effort.
   *
   * @param slash the level of a leading {@code /effort} line, or null for none
   */
  record Way(String name, String model, String slash, Consumer<MessageCreateParams.Builder> set, Effort asked,
      Effort applied, String source) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Way> ways() {
    List<Way> ways = new ArrayList<>(List.of(
        new Way("/effort line", "effort", "max", b -> {}, Effort.MAX, Effort.MAX, "/effort line"),
        new Way("header Effort", "effort", null, b -> b.putAdditionalHeader("Effort", "low"), Effort.LOW, Effort.LOW,
            "header Effort"),
        new Way("header X-Effort", "effort", null, b -> b.putAdditionalHeader("X-Effort", "xhigh"), Effort.XHIGH,
            Effort.XHIGH, "header X-Effort"),
        new Way("body output_config.effort (SDK outputConfig)", "effort", null,
            b -> b.outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.MEDIUM).build()), Effort.MEDIUM,
            Effort.MEDIUM, "body output_config.effort"),
        new Way("body output_config.effort max", "effort", null,
            b -> b.outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.MAX).build()), Effort.MAX, Effort.MAX,
            "body output_config.effort"),
        new Way("body effort", "effort", null, b -> b.putAdditionalBodyProperty("effort", JsonValue.from("low")),
            Effort.LOW, Effort.LOW, "body effort"),
        new Way("config default", "effort", null, b -> {}, Effort.HIGH, Effort.HIGH, "config default"),
        new Way("model effort-auto without a router: the default level", "effort-auto", null, b -> {}, Effort.AUTO,
            Effort.HIGH, "model name")));
    for (Effort level : Effort.LEVELS) {
      ways.add(new Way("model effort-" + level.wireName(), "effort-" + level.wireName(), null, b -> {}, level, level,
          "model name"));
    }
    return ways.stream();
  }

  static MessageCreateParams params(Way way) {
    MessageCreateParams.Builder b = MessageCreateParams.builder()
        .model(way.model())
        .maxTokens(MAX_TOKENS)
        .addUserMessage(way.slash() == null ? prompt.prompt() : "/effort " + way.slash() + "\n" + prompt.prompt());
    way.set().accept(b);
    return b.build();
  }

  static MessageCreateParams.Builder ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(MAX_TOKENS).addUserMessage(prompt.prompt());
  }

  /** The one value of a response header, failing when it is missing or repeated. */
  static String header(com.anthropic.core.http.HttpResponse r, String name) {
    List<String> values = r.headers().values(name);
    assertThat(values).as("response header " + name + " among " + r.headers().names()).hasSize(1);
    return values.get(0);
  }

  static JsonNode effort(Map<String, JsonValue> additional) {
    assertThat(additional).as("the effort trace object").containsKey("effort");
    return additional.get("effort").convert(JsonNode.class);
  }

  /** The text of a message that holds one text block. */
  static String answer(Message message) {
    assertThat(message.content()).hasSize(1);
    ContentBlock block = message.content().get(0);
    assertThat(block.isText()).as(block.toString()).isTrue();
    return block.asText().text();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ways")
  void everyWayOfSettingEffortPlansTheAnswerAndSaysSoInHeadersAndBody(Way way) {
    String model = answeringModel(way.applied(), prompt);
    try (HttpResponseFor<Message> r = client.messages().withRawResponse().create(params(way))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Effort-Level")).isEqualTo(way.asked().wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(way.applied().wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(way.applied()));
      assertThat(header(r, "Effort-Model")).isEqualTo(model);
      double cost = Double.parseDouble(header(r, "Effort-Cost-Usd"));
      assertThat(cost).isCloseTo(outcome(prompt, model).costUsd().orElseThrow(), within(1e-8));
      assertThat(Long.parseLong(header(r, "Effort-Latency-Ms"))).isPositive();
      assertThat(r.headers().values("Effort-Downgrade-Reason")).isEmpty();

      Message message = r.parse().validate();
      assertThat(answer(message)).as("the recorded answer of " + model + (way.slash() == null ? ""
          : ", so the /effort line was stripped before the prompt reached the model")).isEqualTo(recorded(prompt, model));
      assertThat(message.model().asString()).isEqualTo(model);
      assertThat(message.stopReason()).contains(StopReason.END_TURN);
      assertThat(message.id()).startsWith("msg_");
      assertThat(message.usage().inputTokens()).isPositive();
      assertThat(message.usage().outputTokens()).isPositive();

      JsonNode trace = effort(message._additionalProperties());
      assertThat(text(trace, "/asked")).isEqualTo(way.asked().wireName());
      assertThat(text(trace, "/source")).isEqualTo(way.source());
      assertThat(text(trace, "/applied")).isEqualTo(way.applied().wireName());
      assertThat(text(trace, "/plan")).isEqualTo(plan(way.applied()));
      assertThat(text(trace, "/model")).isEqualTo(model);
      assertThat(trace.at("/cost_usd").asDouble()).isCloseTo(cost, within(1e-8));
      assertThat(message.usage().outputTokens())
          .isEqualTo(trace.at("/output_tokens").asLong() + trace.at("/thinking_tokens").asLong());
    }
  }

  /** The name of a stream event, as its {@code type} and SSE {@code event:} line say. */
  private static String name(RawMessageStreamEvent e) {
    if (e.isMessageStart()) {
      return "message_start";
    } else if (e.isContentBlockStart()) {
      return "content_block_start";
    } else if (e.isContentBlockDelta()) {
      return "content_block_delta";
    } else if (e.isContentBlockStop()) {
      return "content_block_stop";
    } else if (e.isMessageDelta()) {
      return "message_delta";
    } else if (e.isMessageStop()) {
      return "message_stop";
    }
    throw new AssertionError("unknown event " + e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ways")
  void everyWayOfSettingEffortStreamsTheEventSequenceWithTheTraceInMessageDelta(Way way) {
    String model = answeringModel(way.applied(), prompt);
    try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> r =
        client.messages().withRawResponse().createStreaming(params(way))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Content-Type")).startsWith("text/event-stream");
      assertThat(header(r, "Effort-Level")).as("sent before the stream").isEqualTo(way.asked().wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(way.applied().wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(way.applied()));

      List<RawMessageStreamEvent> events;
      try (StreamResponse<RawMessageStreamEvent> stream = r.parse()) {
        events = stream.stream().toList();
      }
      MessageAccumulator accumulator = MessageAccumulator.create();
      List<String> names = new ArrayList<>();
      StringBuilder deltas = new StringBuilder();
      for (RawMessageStreamEvent e : events) {
        e.validate();
        accumulator.accumulate(e);
        String name = name(e);
        if (names.isEmpty() || !name.equals("content_block_delta") || !names.get(names.size() - 1).equals(name)) {
          names.add(name);
        }
        e.contentBlockDelta().ifPresent(d -> deltas.append(d.delta().asText().text()));
      }
      assertThat(names).as("the event sequence (repeated deltas as one)").containsExactly("message_start",
          "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
      assertThat(events.get(0).asMessageStart().message().id()).startsWith("msg_");
      assertThat(events.get(1).asContentBlockStart().contentBlock().isText()).isTrue();
      assertThat(deltas.toString()).isEqualTo(recorded(prompt, model));

      RawMessageDeltaEvent delta = events.get(events.size() - 2).asMessageDelta();
      assertThat(delta.delta().stopReason()).contains(StopReason.END_TURN);
      assertThat(delta.usage().outputTokens()).isPositive();
      JsonNode trace = effort(delta._additionalProperties());
      assertThat(text(trace, "/asked")).isEqualTo(way.asked().wireName());
      assertThat(text(trace, "/source")).isEqualTo(way.source());
      assertThat(text(trace, "/applied")).isEqualTo(way.applied().wireName());
      assertThat(text(trace, "/plan")).isEqualTo(plan(way.applied()));
      assertThat(text(trace, "/model")).isEqualTo(model);
      assertThat(trace.at("/cost_usd").asDouble()).isCloseTo(outcome(prompt, model).costUsd().orElseThrow(), within(1e-8));

      Message whole = accumulator.message().validate();
      assertThat(answer(whole)).isEqualTo(recorded(prompt, model));
      assertThat(whole.stopReason()).contains(StopReason.END_TURN);
      assertThat(whole.usage().outputTokens()).isEqualTo(delta.usage().outputTokens());
    }
  }

  @Test
  void theEffortLineBeatsTheHeaderWhichBeatsOutputConfigWhichBeatsTheModelName() {
    MessageCreateParams all = MessageCreateParams.builder()
        .model("effort-xhigh")
        .maxTokens(MAX_TOKENS)
        .addUserMessage("/effort low\n" + prompt.prompt())
        .putAdditionalHeader("Effort", "max")
        .outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.MEDIUM).build())
        .build();
    assertThat(sourceAndLevel(all)).isEqualTo("/effort line: low");

    MessageCreateParams headerBodyName = all.toBuilder().messages(List.of()).addUserMessage(prompt.prompt()).build();
    assertThat(sourceAndLevel(headerBodyName)).isEqualTo("header Effort: max");

    MessageCreateParams bodyName = headerBodyName.toBuilder().removeAdditionalHeaders("Effort").build();
    assertThat(sourceAndLevel(bodyName)).isEqualTo("body output_config.effort: medium");

    MessageCreateParams name = bodyName.toBuilder().outputConfig(OutputConfig.builder().build()).build();
    assertThat(sourceAndLevel(name)).isEqualTo("model name: xhigh");
  }

  @Test
  void theEffortLineIsFoundInTheLastUserTurnAfterASystemPromptAndEarlierTurns() {
    MessageCreateParams params = MessageCreateParams.builder()
        .model("effort")
        .maxTokens(MAX_TOKENS)
        .system("You are a careful programmer.")
        .addUserMessage("/effort max\nAn earlier question.")
        .addAssistantMessage("An earlier answer.")
        .addUserMessage("/effort low\n" + prompt.prompt())
        .build();
    try (HttpResponseFor<Message> r = client.messages().withRawResponse().create(params)) {
      assertThat(header(r, "Effort-Applied")).isEqualTo("low");
      assertThat(answer(r.parse())).isEqualTo(recorded(prompt, MIXTRAL));
    }
  }

  /** Where the applied level came from and what it is, as the trace says, e.g. {@code header Effort: low}. */
  private static String sourceAndLevel(MessageCreateParams params) {
    try (HttpResponseFor<Message> r = client.messages().withRawResponse().create(params)) {
      JsonNode trace = effort(r.parse().validate()._additionalProperties());
      assertThat(header(r, "Effort-Applied")).isEqualTo(text(trace, "/applied"));
      return text(trace, "/source") + ": " + text(trace, "/applied");
    }
  }

  @Test
  void aPinnedModelAnswersAloneWithTheLevelOnItsOwnKnob() {
    try (HttpResponseFor<Message> r = client.messages().withRawResponse()
        .create(ask(GPT4_TURBO).outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.XHIGH).build()).build())) {
      assertThat(header(r, "Effort-Plan")).isEqualTo(RecordedGateway.pinnedPlan(GPT4_TURBO, Effort.XHIGH));
      assertThat(header(r, "Effort-Model")).isEqualTo(GPT4_TURBO);
      assertThat(answer(r.parse())).isEqualTo(recorded(prompt, GPT4_TURBO));
    }
  }

  @Test
  void aCascadeStreamsOnlyTheChosenAnswerAndBillsItsProbes() {
    RecordedPrompt choice = gateway.choicePrompt(false);
    String escalation = LADDER.plan(Effort.HIGH).escalation().model();
    MessageCreateParams params = MessageCreateParams.builder().model("effort-high").maxTokens(MAX_TOKENS)
        .addUserMessage(choice.prompt()).build();
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(answer(accumulator.message())).isEqualTo(recorded(choice, escalation));

    RecordedPrompt agreed = gateway.choicePrompt(true);
    try (HttpResponseFor<Message> r = client.messages().withRawResponse()
        .create(params.toBuilder().messages(List.of()).addUserMessage(agreed.prompt()).build())) {
      Message m = r.parse();
      assertThat(answer(m)).isEqualTo(recorded(agreed, MIXTRAL));
      assertThat(m.model().asString()).isEqualTo(MIXTRAL);
      assertThat(text(effort(m._additionalProperties()), "/model")).isEqualTo(MIXTRAL);
      List<String> probes = LADDER.plan(Effort.HIGH).probes().stream().map(dev.effort.core.Step::model).toList();
      assertThat(Double.parseDouble(header(r, "Effort-Cost-Usd")))
          .as("both probes ran and are paid for").isCloseTo(RecordedGateway.recordedCost(agreed, probes), within(1e-8));
    }
  }

  @Test
  void aStreamedCascadeNamesTheModelThatAnswered() {
    RecordedPrompt agreed = gateway.choicePrompt(true);
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
        .model("effort-medium").maxTokens(MAX_TOKENS).addUserMessage(agreed.prompt()).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(answer(accumulator.message())).isEqualTo(recorded(agreed, MIXTRAL));
    assertThat(accumulator.message().model().asString()).isEqualTo(MIXTRAL);
  }

  @Test
  void theEffortLineMayBeTheFirstTextBlockOfTheMessage() {
    Message m = client.messages().create(MessageCreateParams.builder()
        .model("effort")
        .maxTokens(MAX_TOKENS)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofText(TextBlockParam.builder().text("/effort max").build()),
            ContentBlockParam.ofText(TextBlockParam.builder().text(prompt.prompt()).build())))
        .build());
    assertThat(answer(m)).isEqualTo(recorded(prompt, GPT4_TURBO));
    assertThat(text(effort(m._additionalProperties()), "/source")).isEqualTo("/effort line");
  }

  @Test
  void anUnknownModelIsTheSdksNotFoundExceptionListingTheAcceptedNames() {
    NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> client.messages().create(ask("claude-9").build()));
    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.getMessage()).contains("claude-9");
    assertThat(e.getMessage()).contains(gateway.acceptedModelNames());
    assertThat(e.body().convert(JsonNode.class).at("/error/type").asText()).isEqualTo("not_found_error");
  }

  @Test
  void anUnknownModelFailsAStreamBeforeItStarts() {
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("effort-ultra").build())) {
        s.stream().toList();
      }
    }).isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("effort-ultra", "effort-max"));
  }

  @Test
  void anUnknownEffortIsTheSdksBadRequestExceptionNamingTheAcceptedValues() {
    List<MessageCreateParams> unknown = List.of(
        ask("effort").putAdditionalHeader("Effort", "turbo").build(),
        ask("effort").putAdditionalHeader("X-Effort", "turbo").build(),
        ask("effort").outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.of("turbo")).build()).build(),
        MessageCreateParams.builder().model("effort").maxTokens(MAX_TOKENS).addUserMessage("/effort turbo\n" + prompt.prompt())
            .build());
    for (MessageCreateParams params : unknown) {
      BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.messages().create(params));
      assertThat(e).as(params.toString()).isNotNull();
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.getMessage()).contains("turbo", "low, medium, high, xhigh, max, auto");
      assertThat(e.body().convert(JsonNode.class).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
  }

  @Test
  void aStreamWithAnUnknownEffortFailsBeforeItStarts() {
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> s =
          client.messages().createStreaming(ask("effort").putAdditionalHeader("Effort", "warp").build())) {
        s.stream().toList();
      }
    }).isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("warp", "xhigh"));
  }

  @Test
  void modelsListsTheEffortNamesThenTheFleet() {
    ModelListPage page = client.models().list();
    assertThat(page.data()).extracting(ModelInfo::id).containsExactlyElementsOf(gateway.acceptedModelNames());
    assertThat(page.data()).allSatisfy(m -> {
      assertThat(m.displayName()).isEqualTo(m.id());
      assertThat(m.createdAt()).isNotNull();
    });
    assertThat(page.hasMore()).contains(false);
    assertThat(page.firstId()).contains("effort");
    assertThat(page.hasNextPage()).isFalse();
  }

  @Test
  void modelsListValidatesAgainstTheSdksSchema() {
    List<ModelInfo> models = client.models().list().data();
    assertThat(models).isNotEmpty();
    models.forEach(ModelInfo::validate);
    assertThat(models).allSatisfy(m -> assertThat(m.lifecycle()).isEqualTo(ModelInfo.Lifecycle.ACTIVE));
  }

  @Test
  void aDeadlineHeaderLowersTheLevelAndSaysWhy() {
    Downgrade d = gateway.deadlineBelow(Effort.MAX, prompt.prompt(), OptionalInt.of((int) MAX_TOKENS));
    assertDowngraded(ask("effort").putAdditionalHeader("Effort", "max").putAdditionalHeader("Effort-Deadline", d.value()).build(),
        Effort.MAX, d.expected(), "deadline");
  }

  @Test
  void aCostCapHeaderLowersTheLevelAndSaysWhy() {
    Downgrade d = gateway.costCapBelow(Effort.HIGH, prompt.prompt(), OptionalInt.of((int) MAX_TOKENS));
    assertDowngraded(ask("effort").outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.HIGH).build())
        .putAdditionalHeader("Effort-Max-Cost-Usd", d.value()).build(), Effort.HIGH, d.expected(), "cost cap");
  }

  private static void assertDowngraded(MessageCreateParams params, Effort asked, Effort expected, String constraint) {
    assertThat(expected.isAbove(asked)).isFalse();
    assertThat(expected).isNotEqualTo(asked);
    try (HttpResponseFor<Message> r = client.messages().withRawResponse().create(params)) {
      assertThat(header(r, "Effort-Level")).isEqualTo(asked.wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(expected.wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(expected));
      assertThat(header(r, "Effort-Downgrade-Reason")).contains("lowered from " + asked + " to " + expected, constraint);
      assertThat(r.headers().values("Effort-Constraint-Unmet")).isEmpty();
      Message m = r.parse();
      assertThat(answer(m)).isEqualTo(recorded(prompt, answeringModel(expected, prompt)));
      assertThat(text(effort(m._additionalProperties()), "/downgrade_reason")).isEqualTo(header(r, "Effort-Downgrade-Reason"));
    }
    try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> r = client.messages().withRawResponse().createStreaming(params)) {
      assertThat(header(r, "Effort-Applied")).isEqualTo(expected.wireName());
      assertThat(header(r, "Effort-Downgrade-Reason")).contains("lowered from " + asked);
      try (StreamResponse<RawMessageStreamEvent> stream = r.parse()) {
        RawMessageDeltaEvent delta = stream.stream().filter(RawMessageStreamEvent::isMessageDelta).findFirst().orElseThrow()
            .asMessageDelta();
        assertThat(text(effort(delta._additionalProperties()), "/downgrade_reason")).contains("lowered from " + asked);
      }
    }
  }

  @Test
  void anImpossibleDeadlineSaysTheConstraintIsUnmetInHeadersAndTrace() {
    MessageCreateParams params = ask("effort-max").putAdditionalHeader("Effort-Deadline", "1ms").build();
    try (HttpResponseFor<Message> r = client.messages().withRawResponse().create(params)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Effort-Constraint-Unmet")).contains("deadline of 1 ms");
      assertThat(text(effort(r.parse()._additionalProperties()), "/constraint_unmet"))
          .isEqualTo(header(r, "Effort-Constraint-Unmet"));
    }
    try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> r = client.messages().withRawResponse().createStreaming(params)) {
      assertThat(header(r, "Effort-Constraint-Unmet")).as("sent before the stream").contains("deadline of 1 ms");
      r.parse().close();
    }
  }
}
