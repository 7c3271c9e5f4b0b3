package dev.effort.server.sdk;

import static dev.effort.server.sdk.RecordedGateway.answeringModel;
import static dev.effort.server.sdk.RecordedGateway.outcome;
import static dev.effort.server.sdk.RecordedGateway.plan;
import static dev.effort.server.sdk.RecordedGateway.recorded;
import static dev.effort.server.sdk.RecordedGateway.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.providers.data.RecordedPrompt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK's Responses client ({@code client.responses()}) against the
 * gateway serving the recorded answers: the Response object and the streaming event sequence as
 * the SDK parses and validates them, {@code reasoning.effort} on the dial, and the stateless
 * gateway's refusal of {@code previous_response_id}.
 */
class ResponsesSdkTest {
  static RecordedGateway gateway;
  static OpenAIClient client;
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

  static ResponseCreateParams.Builder ask(String model) {
    return ResponseCreateParams.builder().model(model).input(prompt.prompt()).store(false);
  }

  static String header(com.openai.core.http.HttpResponse r, String name) {
    List<String> values = r.headers().values(name);
    assertThat(values).as("response header " + name + " among " + r.headers().names()).hasSize(1);
    return values.get(0);
  }

  static JsonNode effort(Map<String, JsonValue> additional) {
    assertThat(additional).as("the effort trace object").containsKey("effort");
    return additional.get("effort").convert(JsonNode.class);
  }

  /** The text of the one message output item. */
  static String outputText(Response response) {
    List<ResponseOutputMessage> messages = response.output().stream().filter(ResponseOutputItem::isMessage)
        .map(ResponseOutputItem::asMessage).toList();
    assertThat(messages).hasSize(1);
    StringBuilder text = new StringBuilder();
    messages.get(0).content().forEach(c -> text.append(c.asOutputText().text()));
    return text.toString();
  }

  /** The model field as sent: the SDK parses it as a string, a chat model or a Responses-only model. */
  static String modelName(Response response) {
    return response._model().asKnown().map(m -> m.isString() ? m.asString() : m.isChat() ? m.asChat().asString()
        : m.asOnly().asString()).orElseThrow();
  }

  @Test
  void aTextAnswerIsAResponseObjectWithUsageAndTheTrace() {
    String model = answeringModel(Effort.HIGH, prompt);
    try (HttpResponseFor<Response> r = client.responses().withRawResponse().create(ask("effort").build())) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "Effort-Level")).isEqualTo("high");
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(Effort.HIGH));
      assertThat(header(r, "Effort-Model")).isEqualTo(model);

      Response response = r.parse().validate();
      assertThat(response.id()).startsWith("resp_");
      assertThat(response.status()).contains(ResponseStatus.COMPLETED);
      assertThat(response.incompleteDetails()).isEmpty();
      assertThat(modelName(response)).isEqualTo(model);
      assertThat(response.output()).hasSize(1);
      ResponseOutputMessage message = response.output().get(0).asMessage();
      assertThat(message.id()).startsWith("msg_");
      assertThat(message.status()).isEqualTo(ResponseOutputMessage.Status.COMPLETED);
      assertThat(outputText(response)).isEqualTo(recorded(prompt, model));
      var usage = response.usage().orElseThrow();
      assertThat(usage.outputTokens()).isPositive();
      assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
      assertThat(usage.outputTokensDetails().reasoningTokens()).isGreaterThanOrEqualTo(0);
      assertThat(usage.inputTokensDetails().cachedTokens()).isZero();

      JsonNode trace = effort(response._additionalProperties());
      assertThat(text(trace, "/asked")).isEqualTo("high");
      assertThat(text(trace, "/source")).isEqualTo("config default");
      assertThat(text(trace, "/model")).isEqualTo(model);
      assertThat(trace.at("/cost_usd").asDouble()).isCloseTo(outcome(prompt, model).costUsd().orElseThrow(), within(1e-8));
    }
  }

  @Test
  void aTextAnswerStreamsTheRealEventSequenceWithSequenceNumbers() {
    String model = answeringModel(Effort.LOW, prompt);
    ResponseCreateParams params = ask("effort-low").build();
    List<ResponseStreamEvent> events;
    try (HttpResponseFor<StreamResponse<ResponseStreamEvent>> r = client.responses().withRawResponse().createStreaming(params)) {
      assertThat(header(r, "Content-Type")).startsWith("text/event-stream");
      assertThat(header(r, "Effort-Level")).isEqualTo("low");
      try (StreamResponse<ResponseStreamEvent> stream = r.parse()) {
        events = stream.stream().toList();
      }
    }
    List<String> types = new ArrayList<>();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    StringBuilder deltas = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      ResponseStreamEvent e = events.get(i);
      e.validate();
      accumulator.accumulate(e);
      JsonNode json = JsonValue.from(e).convert(JsonNode.class);
      types.add(json.get("type").asText());
      assertThat(json.get("sequence_number").asLong()).as("event " + i).isEqualTo(i);
      e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
    }
    // One message item: its text arrives in deltas between the part's start and end.
    List<String> distinct = types.stream().distinct().toList();
    assertThat(distinct).containsExactly("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(deltas.toString()).isEqualTo(recorded(prompt, model));
    assertThat(events.get(0).asCreated().response().status()).contains(ResponseStatus.IN_PROGRESS);
    assertThat(events.get(0).asCreated().response().id()).startsWith("resp_");

    Response completed = events.get(events.size() - 1).asCompleted().response().validate();
    assertThat(completed.id()).isEqualTo(events.get(0).asCreated().response().id());
    assertThat(completed.status()).contains(ResponseStatus.COMPLETED);
    assertThat(modelName(completed)).isEqualTo(model);
    assertThat(outputText(completed)).isEqualTo(recorded(prompt, model));
    assertThat(completed.usage().orElseThrow().outputTokens()).isPositive();
    JsonNode trace = effort(completed._additionalProperties());
    assertThat(text(trace, "/applied")).isEqualTo("low");
    assertThat(text(trace, "/model")).isEqualTo(model);
    String itemId = events.stream().filter(ResponseStreamEvent::isOutputItemAdded).findFirst().orElseThrow()
        .asOutputItemAdded().item().asMessage().id();
    assertThat(completed.output().get(0).asMessage().id()).as("the streamed item is the completed response's item")
        .isEqualTo(itemId);

    Response accumulated = accumulator.response();
    assertThat(outputText(accumulated)).isEqualTo(recorded(prompt, model));
  }

  @ParameterizedTest
  @ValueSource(strings = {"low", "medium", "high", "xhigh"})
  void reasoningEffortDrivesTheDial(String value) {
    ReasoningEffort effort = ReasoningEffort.of(value);
    Effort level = Effort.parse(effort.asString());
    String model = answeringModel(level, prompt);
    ResponseCreateParams params = ask("effort").reasoning(Reasoning.builder().effort(effort).build()).build();
    try (HttpResponseFor<Response> r = client.responses().withRawResponse().create(params)) {
      assertThat(header(r, "Effort-Level")).isEqualTo(level.wireName());
      assertThat(header(r, "Effort-Applied")).isEqualTo(level.wireName());
      assertThat(header(r, "Effort-Plan")).isEqualTo(plan(level));
      Response response = r.parse().validate();
      assertThat(outputText(response)).isEqualTo(recorded(prompt, model));
      JsonNode trace = effort(response._additionalProperties());
      assertThat(text(trace, "/source")).isEqualTo("body reasoning.effort");
      assertThat(response.reasoning().flatMap(Reasoning::effort)).as("echoed").contains(effort);
    }
  }

  @Test
  void theEffortHeaderBeatsReasoningEffortAsInEveryFormat() {
    ResponseCreateParams params = ask("effort").reasoning(Reasoning.builder().effort(ReasoningEffort.HIGH).build())
        .putAdditionalHeader("Effort", "low").build();
    try (HttpResponseFor<Response> r = client.responses().withRawResponse().create(params)) {
      assertThat(header(r, "Effort-Applied")).isEqualTo("low");
      assertThat(text(effort(r.parse()._additionalProperties()), "/source")).isEqualTo("header Effort");
    }
  }

  @Test
  void previousResponseIdIsA400SayingTheGatewayKeepsNoState() throws Exception {
    BadRequestException e = catchThrowableOfType(BadRequestException.class,
        () -> client.responses().create(ask("effort").previousResponseId("resp_earlier").build()));
    assertThat(e.statusCode()).isEqualTo(400);
    JsonNode error = e.body().convert(JsonNode.class);
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("previous_response_id");
    assertThat(error.get("message").asText()).contains("keeps no conversation state")
        .contains("send the whole conversation in input").contains("store: false");

    // The same body on the wire: OpenAI's error object, nothing else.
    HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + gateway.port() + "/v1/responses"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"effort\",\"input\":\"hi\",\"conversation\":\"conv_1\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(raw.statusCode()).isEqualTo(400);
    JsonNode body = Json.MAPPER.readTree(raw.body());
    assertThat(body.fieldNames()).toIterable().containsExactly("error");
    assertThat(body.at("/error/param").asText()).isEqualTo("conversation");
    assertThat(body.at("/error/message").asText()).contains("keeps no conversation state");
  }

  @Test
  void storeTrueIsAcceptedAndTheTraceSaysNothingWasStored() {
    Response response = client.responses().create(ask("effort-low").store(true).build());
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(effort(response._additionalProperties()).get("notes").toString()).contains("nothing was stored");
  }

  @Test
  void anEffortLineInTheLastUserMessageIsStrippedAndBeatsReasoningEffort() {
    String model = answeringModel(Effort.LOW, prompt);
    ResponseCreateParams params = ResponseCreateParams.builder().model("effort").input("/effort low\n" + prompt.prompt())
        .reasoning(Reasoning.builder().effort(ReasoningEffort.HIGH).build()).build();
    try (HttpResponseFor<Response> r = client.responses().withRawResponse().create(params)) {
      assertThat(header(r, "Effort-Level")).isEqualTo("low");
      Response response = r.parse().validate();
      assertThat(outputText(response)).as("the recorded answer, so the line was stripped").isEqualTo(recorded(prompt, model));
      assertThat(text(effort(response._additionalProperties()), "/source")).isEqualTo("/effort line");
    }
  }
}
