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

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
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
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) as a client of the running
 * gateway: every way of setting effort, JSON and streaming, the {@code Effort-*} headers read
 * through the SDK's raw responses, the {@code effort} trace through its {@code _allProperties()},
 * and errors as the SDK's own typed exceptions.
 */
class OpenAiSdkTest {
  static RecordedGateway gateway;
  static OpenAIClient client;
  /** Free-form (code) prompt: every level's answering model is known in advance. */
  static RecordedPrompt prompt;

  @BeforeAll
  static void start() {
    gateway = new RecordedGateway();
    prompt = gateway.freeFormPrompt();
    client = OpenAIOkHttpClient.builder()
        .baseUrl("http://localhost:" + gateway.port() + "/v1")
        .apiKey("sk-test-not-a-key")
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
  record Way(String name, String model, String slash, Consumer<ChatCompletionCreateParams.Builder> set, Effort asked,
      Effort applied, String source) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Way> ways() {
    List<Way> ways = new ArrayList<>(List.of(
        new Way("/effort line", "effort", "low", b -> {}, Effort.LOW, Effort.LOW, "/effort line"),
        new Way("header Effort", "effort", null, b -> b.putAdditionalHeader("Effort", "max"), Effort.MAX, Effort.MAX,
            "header Effort"),
        new Way("header X-Effort", "effort", null, b -> b.putAdditionalHeader("X-Effort", "medium"), Effort.MEDIUM,
            Effort.MEDIUM, "header X-Effort"),
        new Way("body effort", "effort", null, b -> b.putAdditionalBodyProperty("effort", JsonValue.from("xhigh")),
            Effort.XHIGH, Effort.XHIGH, "body effort"),
        new Way("body reasoning_effort (SDK reasoningEffort)", "effort", null, b -> b.reasoningEffort(ReasoningEffort.LOW),
            Effort.LOW, Effort.LOW, "body reasoning_effort"),
        new Way("body reasoning_effort minimal, read as low", "effort", null,
            b -> b.reasoningEffort(ReasoningEffort.MINIMAL), Effort.LOW, Effort.LOW, "body reasoning_effort"),
        new Way("body reasoning_effort none, read as low", "effort", null, b -> b.reasoningEffort(ReasoningEffort.NONE),
            Effort.LOW, Effort.LOW, "body reasoning_effort"),
        new Way("body reasoning_effort xhigh", "effort", null, b -> b.reasoningEffort(ReasoningEffort.XHIGH),
            Effort.XHIGH, Effort.XHIGH, "body reasoning_effort"),
        new Way("body reasoning.effort (Responses style)", "effort", null,
            b -> b.putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "max"))), Effort.MAX, Effort.MAX,
            "body reasoning.effort"),
        new Way("body output_config.effort (Anthropic style)", "effort", null,
            b -> b.putAdditionalBodyProperty("output_config", JsonValue.from(Map.of("effort", "medium"))), Effort.MEDIUM,
            Effort.MEDIUM, "body output_config.effort"),
        new Way("config default", "effort", null, b -> {}, Effort.HIGH, Effort.HIGH, "config default"),
        new Way("model effort-auto without a router: the default level", "effort-auto", null, b -> {}, Effort.AUTO,
            Effort.HIGH, "model name")));
    for (Effort level : Effort.LEVELS) {
      ways.add(new Way("model effort-" + level.wireName(), "effort-" + level.wireName(), null, b -> {}, level, level,
          "model name"));
    }
    return ways.stream();
  }

  static ChatCompletionCreateParams params(Way way) {
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
        .model(way.model())
        .addUserMessage(way.slash() == null ? prompt.prompt() : "/effort " + way.slash() + "\n" + prompt.prompt());
    way.set().accept(b);
    return b.build();
  }

  static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt.prompt());
  }

  /** The one value of a response header, failing when it is missing or repeated. */
  static String header(com.openai.core.http.HttpResponse r, String name) {
    List<String> values = r.headers().values(name);
    assertThat(values).as("response header " + name + " among " + r.headers().names()).hasSize(1);
    return values.get(0);
  }

  static JsonNode effort(Map<String, JsonValue> additional) {
    assertThat(additional).as("the effort trace object").containsKey("effort");
    return additional.get("effort").convert(JsonNode.class);
  }

  static String content(ChatCompletion completion) {
    assertThat(completion.choices()).hasSize(1);
    ChatCompletionMessage message = completion.choices().get(0).message();
    return message.content().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ways")
  void everyWayOfSettingEffortPlansTheAnswerAndSaysSoInHeadersAndBody(Way way) {
    String model = answeringModel(way.applied(), prompt);
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse().create(params(way))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Effort-Level")).isEqualTo(way.asked().wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(way.applied().wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(way.applied()));
      assertThat(header(r, "Effort-Model")).isEqualTo(model);
      double cost = Double.parseDouble(header(r, "Effort-Cost-Usd"));
      assertThat(cost).isCloseTo(outcome(prompt, model).costUsd().orElseThrow(), within(1e-8));
      assertThat(Long.parseLong(header(r, "Effort-Latency-Ms"))).isPositive();
      assertThat(r.headers().values("Effort-Downgrade-Reason")).isEmpty();

      ChatCompletion completion = r.parse().validate();
      assertThat(content(completion)).as("the recorded answer of " + model + (way.slash() == null ? ""
          : ", so the /effort line was stripped before the prompt reached the model")).isEqualTo(recorded(prompt, model));
      assertThat(completion.model()).isEqualTo(model);
      assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
      assertThat(completion.id()).startsWith("chatcmpl-");

      JsonNode trace = effort(completion._allProperties());
      assertThat(text(trace, "/asked")).isEqualTo(way.asked().wireName());
      assertThat(text(trace, "/source")).isEqualTo(way.source());
      assertThat(text(trace, "/applied")).isEqualTo(way.applied().wireName());
      assertThat(text(trace, "/plan")).isEqualTo(plan(way.applied()));
      assertThat(text(trace, "/model")).isEqualTo(model);
      assertThat(trace.at("/cost_usd").asDouble()).isCloseTo(cost, within(1e-8));
      assertThat(trace.at("/steps")).as("steps run").isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ways")
  void everyWayOfSettingEffortStreamsTheAnswerThenUsageWithTheTrace(Way way) {
    String model = answeringModel(way.applied(), prompt);
    try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> r =
        client.chat().completions().withRawResponse().createStreaming(params(way))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Content-Type")).startsWith("text/event-stream");
      assertThat(header(r, "Effort-Level")).as("sent before the stream").isEqualTo(way.asked().wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(way.applied().wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(way.applied()));

      List<ChatCompletionChunk> chunks;
      try (StreamResponse<ChatCompletionChunk> stream = r.parse()) {
        chunks = stream.stream().toList();
      }
      assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
      ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
      StringBuilder text = new StringBuilder();
      for (ChatCompletionChunk chunk : chunks) {
        chunk.validate();
        accumulator.accumulate(chunk);
        assertThat(chunk.id()).isEqualTo(chunks.get(0).id());
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
      }
      assertThat(chunks.get(0).choices().get(0).delta().role()).contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
      assertThat(text.toString()).isEqualTo(recorded(prompt, model));
      assertThat(chunks.stream().flatMap(c -> c.choices().stream()).filter(c -> c.finishReason().isPresent()))
          .singleElement()
          .satisfies(c -> assertThat(c.finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP));

      ChatCompletionChunk last = chunks.get(chunks.size() - 1);
      assertThat(last.choices()).as("the usage chunk has no choices").isEmpty();
      CompletionUsage usage = last.usage().orElseThrow();
      assertThat(usage.completionTokens()).isPositive();
      assertThat(usage.completionTokensDetails().flatMap(CompletionUsage.CompletionTokensDetails::reasoningTokens))
          .isPresent();
      JsonNode trace = effort(last._allProperties());
      assertThat(text(trace, "/asked")).isEqualTo(way.asked().wireName());
      assertThat(text(trace, "/source")).isEqualTo(way.source());
      assertThat(text(trace, "/applied")).isEqualTo(way.applied().wireName());
      assertThat(text(trace, "/plan")).isEqualTo(plan(way.applied()));
      assertThat(text(trace, "/model")).isEqualTo(model);
      assertThat(trace.at("/cost_usd").asDouble()).isCloseTo(outcome(prompt, model).costUsd().orElseThrow(), within(1e-8));

      ChatCompletion whole = accumulator.chatCompletion().validate();
      assertThat(content(whole)).isEqualTo(recorded(prompt, model));
      assertThat(whole.model()).isEqualTo(model);
      assertThat(whole.usage()).contains(usage);
    }
  }

  @Test
  void theEffortLineBeatsTheHeaderWhichBeatsTheBodyWhichBeatsTheModelName() {
    ChatCompletionCreateParams all = ChatCompletionCreateParams.builder()
        .model("effort-xhigh")
        .addUserMessage("/effort max\n" + prompt.prompt())
        .putAdditionalHeader("Effort", "low")
        .reasoningEffort(ReasoningEffort.MEDIUM)
        .build();
    assertThat(sourceAndLevel(all)).isEqualTo("/effort line: max");

    ChatCompletionCreateParams headerBodyName = all.toBuilder().messages(List.of()).addUserMessage(prompt.prompt()).build();
    assertThat(sourceAndLevel(headerBodyName)).isEqualTo("header Effort: low");

    ChatCompletionCreateParams bodyName = headerBodyName.toBuilder().removeAdditionalHeaders("Effort").build();
    assertThat(sourceAndLevel(bodyName)).isEqualTo("body reasoning_effort: medium");

    ChatCompletionCreateParams name = bodyName.toBuilder().reasoningEffort(java.util.Optional.empty()).build();
    assertThat(sourceAndLevel(name)).isEqualTo("model name: xhigh");
  }

  @Test
  void headerEffortBeatsXEffortAndBodyEffortBeatsReasoningEffort() {
    assertThat(sourceAndLevel(ask("effort").putAdditionalHeader("X-Effort", "max").putAdditionalHeader("Effort", "low").build()))
        .isEqualTo("header Effort: low");
    assertThat(sourceAndLevel(ask("effort").putAdditionalBodyProperty("effort", JsonValue.from("low"))
        .reasoningEffort(ReasoningEffort.HIGH)
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "max")))
        .build()))
        .isEqualTo("body effort: low");
    assertThat(sourceAndLevel(ask("effort").reasoningEffort(ReasoningEffort.HIGH)
        .putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "max")))
        .build()))
        .isEqualTo("body reasoning_effort: high");
  }

  /** Where the applied level came from and what it is, as the trace says, e.g. {@code header Effort: low}. */
  private static String sourceAndLevel(ChatCompletionCreateParams params) {
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse().create(params)) {
      JsonNode trace = effort(r.parse().validate()._allProperties());
      assertThat(header(r, "Effort-Applied")).isEqualTo(text(trace, "/applied"));
      return text(trace, "/source") + ": " + text(trace, "/applied");
    }
  }

  @Test
  void theEffortLineIsStrippedAlsoInAStreamAndBeatsTheHeader() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("effort")
        .addUserMessage("/effort max\n" + prompt.prompt())
        .putAdditionalHeader("X-Effort", "low")
        .build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
      stream.stream().forEach(accumulator::accumulate);
      assertThat(content(accumulator.chatCompletion())).isEqualTo(recorded(prompt, GPT4_TURBO));
    }
  }

  @Test
  void aPinnedModelAnswersAloneWithTheLevelOnItsOwnKnob() {
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse()
        .create(ask(GPT4_TURBO).reasoningEffort(ReasoningEffort.LOW).build())) {
      assertThat(header(r, "Effort-Plan")).isEqualTo(RecordedGateway.pinnedPlan(GPT4_TURBO, Effort.LOW));
      assertThat(header(r, "Effort-Model")).isEqualTo(GPT4_TURBO);
      assertThat(content(r.parse())).isEqualTo(recorded(prompt, GPT4_TURBO));
    }
  }

  @Test
  void aCascadeWhoseCheapProbesAgreeAnswersWithTheFirstProbeAndCostsBothProbes() {
    RecordedPrompt choice = gateway.choicePrompt(true);
    List<String> probes = LADDER.plan(Effort.MEDIUM).probes().stream().map(dev.effort.core.Step::model).toList();
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse()
        .create(ChatCompletionCreateParams.builder().model("effort-medium").addUserMessage(choice.prompt()).build())) {
      ChatCompletion c = r.parse();
      assertThat(content(c)).isEqualTo(recorded(choice, MIXTRAL));
      assertThat(c.model()).isEqualTo(MIXTRAL);
      assertThat(header(r, "Effort-Model")).isEqualTo(MIXTRAL);
      assertThat(Double.parseDouble(header(r, "Effort-Cost-Usd")))
          .isCloseTo(RecordedGateway.recordedCost(choice, probes), within(1e-8));
      JsonNode trace = effort(c._allProperties());
      assertThat(text(trace, "/model")).isEqualTo(MIXTRAL);
      assertThat(trace.at("/steps")).hasSize(2);
      assertThat(trace.at("/steps/0/role").asText() + " " + trace.at("/steps/0/used").asBoolean()).isEqualTo("probe true");
      assertThat(trace.at("/steps/1/role").asText() + " " + trace.at("/steps/1/used").asBoolean()).isEqualTo("probe false");
    }
  }

  @Test
  void aCascadeWhoseCheapProbesDisagreeEscalatesAndCostsEveryStep() {
    RecordedPrompt choice = gateway.choicePrompt(false);
    String escalation = LADDER.plan(Effort.MEDIUM).escalation().model();
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse()
        .create(ChatCompletionCreateParams.builder().model("effort-medium").addUserMessage(choice.prompt()).build())) {
      ChatCompletion c = r.parse();
      assertThat(content(c)).isEqualTo(recorded(choice, escalation));
      assertThat(header(r, "Effort-Model")).isEqualTo(escalation);
      assertThat(Double.parseDouble(header(r, "Effort-Cost-Usd")))
          .isCloseTo(RecordedGateway.recordedCost(choice, LADDER.plan(Effort.MEDIUM).models()), within(1e-8));
      JsonNode trace = effort(c._allProperties());
      assertThat(text(trace, "/model")).isEqualTo(escalation);
      assertThat(trace.at("/steps")).hasSize(3);
      assertThat(trace.at("/steps/2/role").asText()).isEqualTo("escalation");
    }
  }

  @Test
  void aStreamedCascadeStreamsOnlyTheChosenAnswer() {
    RecordedPrompt choice = gateway.choicePrompt(true);
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(ChatCompletionCreateParams.builder().model("effort-medium").addUserMessage(choice.prompt()).build())) {
      chunks = stream.stream().toList();
    }
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    chunks.forEach(accumulator::accumulate);
    assertThat(content(accumulator.chatCompletion())).as("the accepted probe's answer, and no other")
        .isEqualTo(recorded(choice, MIXTRAL));
    JsonNode trace = effort(chunks.get(chunks.size() - 1)._allProperties());
    assertThat(text(trace, "/model")).isEqualTo(MIXTRAL);
    assertThat(trace.at("/steps")).hasSize(2);
  }

  @Test
  void everyChunkOfAStreamedCascadeNamesTheModelThatAnswered() {
    RecordedPrompt choice = gateway.choicePrompt(true);
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(ChatCompletionCreateParams.builder().model("effort-medium").addUserMessage(choice.prompt()).build())) {
      assertThat(stream.stream().map(ChatCompletionChunk::model).distinct().toList()).containsExactly(MIXTRAL);
    }
  }

  @Test
  void theEffortLineMayBeTheFirstTextPartOfTheMessage() {
    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("effort")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("/effort low").build()),
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(prompt.prompt()).build())))
        .build());
    assertThat(content(c)).isEqualTo(recorded(prompt, MIXTRAL));
    assertThat(text(effort(c._allProperties()), "/source")).isEqualTo("/effort line");
  }

  @Test
  void systemAndDeveloperMessagesAreForwardedAndTheLastUserMessageIsAnswered() {
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
        .model("effort")
        .addDeveloperMessage("Answer in Python.")
        .addUserMessage("/effort max\nAn earlier question.")
        .addAssistantMessage("An earlier answer.")
        .addUserMessage(prompt.prompt())
        .putAdditionalHeader("Effort", "low")
        .build())) {
      assertThat(header(r, "Effort-Applied")).as("only the last user message's /effort line counts").isEqualTo("low");
      assertThat(content(r.parse())).isEqualTo(recorded(prompt, MIXTRAL));
    }
  }

  @Test
  void usageCountsReasoningTokensSeparately() {
    ChatCompletion c = client.chat().completions().create(ask("effort-low").build());
    CompletionUsage usage = c.usage().orElseThrow();
    JsonNode trace = effort(c._allProperties());
    assertThat(usage.promptTokens()).isPositive().isEqualTo(trace.at("/input_tokens").asLong());
    assertThat(usage.completionTokens())
        .isEqualTo(trace.at("/output_tokens").asLong() + trace.at("/thinking_tokens").asLong());
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens())
        .as("reasoning tokens are reported, zero for recorded answers").contains(trace.at("/thinking_tokens").asLong());
  }

  @Test
  void anUnknownModelIsTheSdksNotFoundExceptionListingTheAcceptedNames() {
    NotFoundException e = catchThrowableOfType(NotFoundException.class,
        () -> client.chat().completions().create(ask("gpt-9").build()));
    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.getMessage()).contains("gpt-9");
    assertThat(e.getMessage()).contains(gateway.acceptedModelNames());
    assertThat(e.type()).contains("invalid_request_error");
    assertThat(e.code()).contains("model_not_found");
    assertThat(e.param()).contains("model");
  }

  @Test
  void anUnknownModelFailsAStreamBeforeItStarts() {
    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask("effort-ultra").build())) {
        s.stream().toList();
      }
    }).isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("effort-ultra", "effort-max"));
  }

  @Test
  void anUnknownEffortIsTheSdksBadRequestExceptionNamingTheAcceptedValues() {
    List<ChatCompletionCreateParams> unknown = List.of(
        ask("effort").putAdditionalHeader("Effort", "turbo").build(),
        ask("effort").reasoningEffort(ReasoningEffort.of("turbo")).build(),
        ask("effort").putAdditionalBodyProperty("reasoning", JsonValue.from(Map.of("effort", "turbo"))).build(),
        ChatCompletionCreateParams.builder().model("effort").addUserMessage("/effort turbo\n" + prompt.prompt()).build());
    for (ChatCompletionCreateParams params : unknown) {
      BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.chat().completions().create(params));
      assertThat(e).as(params.toString()).isNotNull();
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.getMessage()).contains("turbo", "low, medium, high, xhigh, max, auto");
      assertThat(e.type()).contains("invalid_request_error");
    }
    BadRequestException e = catchThrowableOfType(BadRequestException.class,
        () -> client.chat().completions().create(ask("effort").reasoningEffort(ReasoningEffort.of("turbo")).build()));
    assertThat(e.param()).contains("reasoning_effort");
  }

  @Test
  void toolsForAFleetWhoseModelsCallNoToolsAreTheSdksBadRequestSayingWhy() {
    ChatCompletionCreateParams withTools = ask("effort-low").addTool(com.openai.models.chat.completions.ChatCompletionFunctionTool
        .builder().function(com.openai.models.FunctionDefinition.builder().name("get_weather").build()).build()).build();

    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.chat().completions().create(withTools));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.getMessage()).contains("calls no tools");
    assertThat(e.type()).contains("invalid_request_error");
  }

  @Test
  void aPromptThatWasNeverRecordedIsNotFound() {
    NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> client.chat().completions()
        .create(ChatCompletionCreateParams.builder().model("effort-low").addUserMessage("What is a prompt nobody recorded?").build()));
    assertThat(e.getMessage()).contains("no recorded answer");
  }

  @Test
  void modelsListsTheEffortNamesThenTheFleet() {
    List<Model> models = client.models().list().data();
    assertThat(models).extracting(Model::id).containsExactlyElementsOf(gateway.acceptedModelNames());
    models.forEach(Model::validate);
    assertThat(models.get(0).ownedBy()).isEqualTo("effort");
  }

  @Test
  void aDeadlineHeaderLowersTheLevelAndSaysWhy() {
    Downgrade d = gateway.deadlineBelow(Effort.MAX, prompt.prompt(), OptionalInt.empty());
    assertDowngraded(ask("effort").putAdditionalHeader("Effort", "max").putAdditionalHeader("Effort-Deadline", d.value()).build(),
        Effort.MAX, d.expected(), "deadline");
  }

  @Test
  void aCostCapHeaderLowersTheLevelAndSaysWhy() {
    Downgrade d = gateway.costCapBelow(Effort.XHIGH, prompt.prompt(), OptionalInt.empty());
    assertDowngraded(ask("effort-xhigh").putAdditionalHeader("Effort-Max-Cost-Usd", d.value()).build(),
        Effort.XHIGH, d.expected(), "cost cap");
  }

  @Test
  void deadlineAndCostCapAlsoComeFromTheBody() {
    Downgrade deadline = gateway.deadlineBelow(Effort.MAX, prompt.prompt(), OptionalInt.empty());
    assertDowngraded(ask("effort-max").putAdditionalBodyProperty("deadline", JsonValue.from(deadline.value())).build(),
        Effort.MAX, deadline.expected(), "deadline");
    Downgrade cap = gateway.costCapBelow(Effort.MAX, prompt.prompt(), OptionalInt.empty());
    assertDowngraded(ask("effort-max").putAdditionalBodyProperty("max_cost_usd", JsonValue.from(Double.parseDouble(cap.value())))
        .build(), Effort.MAX, cap.expected(), "cost cap");
  }

  private static void assertDowngraded(ChatCompletionCreateParams params, Effort asked, Effort expected, String constraint) {
    assertThat(expected.isAbove(asked)).isFalse();
    assertThat(expected).isNotEqualTo(asked);
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse().create(params)) {
      assertThat(header(r, "Effort-Level")).isEqualTo(asked.wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(expected.wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(expected));
      assertThat(header(r, "Effort-Downgrade-Reason")).contains("lowered from " + asked + " to " + expected, constraint);
      assertThat(r.headers().values("Effort-Constraint-Unmet")).isEmpty();
      ChatCompletion c = r.parse();
      assertThat(content(c)).isEqualTo(recorded(prompt, answeringModel(expected, prompt)));
      JsonNode trace = effort(c._allProperties());
      assertThat(text(trace, "/applied")).isEqualTo(expected.wireName());
      assertThat(text(trace, "/downgrade_reason")).isEqualTo(header(r, "Effort-Downgrade-Reason"));
    }
    // A stream sends the same decision in its headers, before the answer.
    try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> r =
        client.chat().completions().withRawResponse().createStreaming(params)) {
      assertThat(header(r, "Effort-Applied")).isEqualTo(expected.wireName());
      assertThat(header(r, "Effort-Downgrade-Reason")).contains("lowered from " + asked);
      try (StreamResponse<ChatCompletionChunk> stream = r.parse()) {
        ChatCompletionChunk last = stream.stream().reduce((a, b) -> b).orElseThrow();
        assertThat(text(effort(last._allProperties()), "/downgrade_reason")).contains("lowered from " + asked);
      }
    }
  }

  @Test
  void anImpossibleDeadlineRunsTheFastestLevelAndSaysTheConstraintIsUnmet() {
    try (HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse()
        .create(ask("effort-high").putAdditionalHeader("Effort-Deadline", "1ms").build())) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Effort-Level")).isEqualTo("high");
      assertThat(header(r, "Effort-Constraint-Unmet")).contains("1 ms");
      Effort applied = Effort.parse(header(r, "Effort-Applied"));
      assertThat(applied.isAbove(Effort.HIGH)).isFalse();
      Duration fastest = Effort.LEVELS.stream().filter(l -> !l.isAbove(Effort.HIGH))
          .map(l -> gateway.forecast(l, prompt.prompt(), OptionalInt.empty()).latency()).min(Duration::compareTo).orElseThrow();
      assertThat(gateway.forecast(applied, prompt.prompt(), OptionalInt.empty()).latency()).isEqualTo(fastest);
      JsonNode trace = effort(r.parse()._allProperties());
      assertThat(text(trace, "/constraint_unmet")).isEqualTo(header(r, "Effort-Constraint-Unmet"));
    }
  }
}
