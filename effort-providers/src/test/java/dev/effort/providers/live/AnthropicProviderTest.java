package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.ProviderException;
import dev.effort.core.ProviderException.Kind;
import dev.effort.core.Step;
import dev.effort.providers.TokenCounter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicProviderTest {
  static final String KEY = "sk-ant-api03-test-key-0123456789abcdef";
  static final Catalog CATALOG = Catalog.builtIn();

  static final String ANSWER = """
      {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-opus-4-6",
        "content": [
          {"type": "thinking", "thinking": "The user asks for 2+2. That is 4.",
           "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
          {"type": "text", "text": "4"}
        ],
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": {"input_tokens": 21, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                  "output_tokens": 58}
      }""";

  static final String PLAIN_ANSWER = """
      {"id": "msg_02", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
       "content": [{"type": "text", "text": "The answer is 4."}],
       "stop_reason": "end_turn", "stop_sequence": null,
       "usage": {"input_tokens": 21, "output_tokens": 7}}""";

  static final String MESSAGE_START = event("message_start", """
      {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],\
      "model":"claude-opus-4-6","stop_reason":null,"stop_sequence":null,\
      "usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""");
  static final String THINKING_BLOCK = event("content_block_start",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}")
      + event("ping", "{\"type\": \"ping\"}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Two plus two\"}}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\" is four.\"}}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}}")
      + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
  static final String TEXT_START = event("content_block_start",
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"The answer\"}}");
  static final String TEXT_END = event("content_block_delta",
      "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\" is 4.\"}}")
      + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
  static final String MESSAGE_END = event("message_delta",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":63}}")
      + event("message_stop", "{\"type\":\"message_stop\"}");

  final TestUpstream upstream = TestUpstream.start();
  final AnthropicProvider provider = new AnthropicProvider(
      new Upstream("anthropic", upstream.baseUrl(), KEY, "ANTHROPIC_API_KEY"), CATALOG, LiveProviders.newHttpClient());

  @AfterEach
  void stop() {
    upstream.close();
  }

  static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  static Ask ask(Optional<Duration> deadline, OptionalInt maxTokens) {
    return new Ask(List.of(new Message("system", "Be brief."), Message.user("What is 2+2?")), Effort.HIGH,
        Optional.empty(), deadline, Optional.empty(), Optional.empty(), Map.of(), maxTokens);
  }

  static Ask ask() {
    return ask(Optional.empty(), OptionalInt.empty());
  }

  static Step step(String model, Effort level) {
    return new Step(model, Optional.of(level), OptionalInt.empty(), OptionalInt.empty());
  }

  /** The exact Messages body for the standard ask. */
  static JsonNode body(String model, int maxTokens, String thinking, int budget, String effort, boolean stream)
      throws Exception {
    String thinkingField = thinking == null ? ""
        : thinking.equals("adaptive") ? ", \"thinking\": {\"type\": \"adaptive\"}"
        : ", \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": " + budget + "}";
    String effortField = effort == null ? "" : ", \"output_config\": {\"effort\": \"" + effort + "\"}";
    return Json.MAPPER.readTree("""
        {"model": "%s", "max_tokens": %d, "system": "Be brief.",
         "messages": [{"role": "user", "content": "What is 2+2?"}]%s%s%s}"""
        .formatted(model, maxTokens, thinkingField, effortField, stream ? ", \"stream\": true" : ""));
  }

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
      // adaptive thinking + output_config.effort; xhigh is not a level of Opus 4.6: the lower neighbour
      "claude-opus-4-6,  LOW,    9216, adaptive,     0, low",
      "claude-opus-4-6,  MEDIUM, 12288, adaptive,    0, medium",
      "claude-opus-4-6,  HIGH,   16384, adaptive,    0, high",
      "claude-opus-4-6,  XHIGH,  24576, adaptive,    0, high",
      "claude-opus-4-6,  MAX,    40192, adaptive,    0, max",
      // Sonnet 4.6 takes low, medium, high: max is clamped
      "claude-sonnet-4-6, MAX,   40192, adaptive,    0, high",
      // effort plus a thinking budget chosen by the dial's level
      "claude-opus-4-5,  LOW,    9216,  enabled,  1024, low",
      "claude-opus-4-5,  MEDIUM, 12288, enabled,  4096, medium",
      "claude-opus-4-5,  HIGH,   16384, enabled,  8192, high",
      "claude-opus-4-5,  XHIGH,  24576, enabled, 16384, high",
      "claude-opus-4-5,  MAX,    40192, enabled, 32000, high",
      // thinking budget only
      "claude-sonnet-4-5, LOW,    9216, enabled,  1024, ",
      "claude-sonnet-4-5, MEDIUM, 12288, enabled, 4096, ",
      "claude-sonnet-4-5, HIGH,  16384, enabled,  8192, ",
      "claude-sonnet-4-5, XHIGH, 24576, enabled, 16384, ",
      "claude-sonnet-4-5, MAX,   40192, enabled, 32000, ",
      // no knob: neither thinking nor effort, max_tokens within the model's 8,192
      "claude-3-5-haiku-20241022, LOW,    8192, , 0, ",
      "claude-3-5-haiku-20241022, MEDIUM, 8192, , 0, ",
      "claude-3-5-haiku-20241022, HIGH,   8192, , 0, ",
      "claude-3-5-haiku-20241022, XHIGH,  8192, , 0, ",
      "claude-3-5-haiku-20241022, MAX,    8192, , 0, ",
  })
  void sendsTheExactMessagesRequestForEachLevel(String model, Effort level, int maxTokens, String thinking, int budget,
      String effort) throws Exception {
    upstream.reply(TestUpstream.json(200, ANSWER));

    provider.complete(ask(), step(model, level));

    TestUpstream.Received request = upstream.only();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/messages");
    assertThat(request.headers())
        .containsEntry("x-api-key", KEY)
        .containsEntry("anthropic-version", "2023-06-01")
        .containsEntry("content-type", "application/json")
        .doesNotContainKey("authorization")
        .doesNotContainKey("anthropic-beta");
    assertThat(request.json()).isEqualTo(body(model, maxTokens, thinking, budget, effort, false));
    if (effort != null) {
      assertThat(CATALOG.model(model).levels()).contains(effort);
    }
  }

  @Test
  void aStepWithoutEffortTurnsNoKnob() throws Exception {
    upstream.reply(TestUpstream.json(200, ANSWER));

    provider.complete(ask(), Step.of("claude-opus-4-6"));

    assertThat(upstream.only().json()).isEqualTo(body("claude-opus-4-6", 8192, null, 0, null, false));
  }

  @Test
  void theClientsCapIsTheAnswersRoomAndThinkingComesOnTop() throws Exception {
    upstream.reply(TestUpstream.json(200, ANSWER));

    provider.complete(ask(Optional.empty(), OptionalInt.of(500)), step("claude-sonnet-4-5", Effort.LOW));

    assertThat(upstream.only().json()).isEqualTo(body("claude-sonnet-4-5", 1524, "enabled", 1024, null, false));
  }

  @Test
  void thePlansCapAndTheClientsCapBothHold() throws Exception {
    upstream.reply(TestUpstream.json(200, ANSWER));
    Step capped = new Step("claude-3-5-haiku-20241022", Optional.empty(), OptionalInt.empty(), OptionalInt.of(300));

    provider.complete(ask(Optional.empty(), OptionalInt.of(200)), capped);

    assertThat(upstream.only().json().path("max_tokens").asInt()).isEqualTo(200);
  }

  @Test
  void thinkingNeverTakesTheAnswersRoomWhereTheModelsLimitIsTight() {
    upstream.reply(TestUpstream.json(200, ANSWER));

    provider.complete(ask(Optional.empty(), OptionalInt.of(8192)), step("claude-opus-4-1", Effort.MAX));

    JsonNode body = upstream.only().json();
    int maxTokens = body.path("max_tokens").asInt();
    int budget = body.path("thinking").path("budget_tokens").asInt();
    assertThat(maxTokens).isEqualTo(32_000); // Opus 4.1's output limit
    assertThat(budget).isEqualTo(32_000 - 4096);
    assertThat(maxTokens - budget).isGreaterThanOrEqualTo(OutputBudget.MIN_ANSWER_ROOM);
  }

  @Test
  void aStepsThinkingBudgetOverridesTheLevelsAndIsRaisedToAnthropicsMinimum() {
    upstream.reply(TestUpstream.json(200, ANSWER));
    provider.complete(ask(), new Step("claude-haiku-4-5", Optional.of(Effort.MAX), OptionalInt.of(2000), OptionalInt.empty()));
    provider.complete(ask(), new Step("claude-haiku-4-5", Optional.empty(), OptionalInt.of(100), OptionalInt.empty()));

    List<TestUpstream.Received> sent = upstream.received();
    assertThat(sent.get(0).json().path("thinking").path("budget_tokens").asInt()).isEqualTo(2000);
    assertThat(sent.get(0).json().path("max_tokens").asInt()).isEqualTo(8192 + 2000);
    assertThat(sent.get(1).json().path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void joinsSystemMessagesIntoTheSystemFieldAndKeepsTheConversation() {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));
    Ask conversation = new Ask(List.of(new Message("system", "Be brief."), Message.user("Hi"),
        new Message("assistant", "Hello."), new Message("system", "Answer in French."), Message.user("2+2?")),
        Effort.LOW, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    provider.complete(conversation, Step.of("claude-3-5-haiku-20241022"));

    JsonNode body = upstream.only().json();
    assertThat(body.path("system").asText()).isEqualTo("Be brief.\n\nAnswer in French.");
    assertThat(body.path("messages").toString()).isEqualTo(
        "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"},"
            + "{\"role\":\"user\",\"content\":\"2+2?\"}]");
  }

  @Test
  void readsTextThinkingAndUsageOfAWholeAnswer() {
    upstream.reply(TestUpstream.json(200, ANSWER));

    Completion c = provider.complete(ask(), step("claude-opus-4-6", Effort.HIGH));

    assertThat(c.model()).isEqualTo("claude-opus-4-6");
    assertThat(c.text()).isEqualTo("4");
    assertThat(c.thinking()).isEqualTo("The user asks for 2+2. That is 4.");
    assertThat(c.usage().inputTokens()).isEqualTo(21);
    assertThat(c.usage().outputTokens()).isEqualTo(1); // "4"
    assertThat(c.usage().thinkingTokens()).isEqualTo(57); // output_tokens 58 include the thinking
    assertThat(c.costUsd()).isCloseTo((21 * 5 + 58 * 25) / 1e6, within(1e-12));
    assertThat(c.latency()).isPositive();
    assertThat(c.ttft()).isEqualTo(c.latency());
  }

  @Test
  void anAnswerWithoutThinkingCountsEveryOutputTokenAsAnswer() {
    upstream.reply(TestUpstream.json(200, PLAIN_ANSWER));

    Completion c = provider.complete(ask(), Step.of("claude-3-5-haiku-20241022"));

    assertThat(c.thinking()).isEmpty();
    assertThat(c.usage()).isEqualTo(new dev.effort.core.Usage(21, 7, 0));
  }

  @Test
  void streamsThinkingAndTextApartInOrderWithUsage() throws Exception {
    upstream.reply(TestUpstream.events(MESSAGE_START, THINKING_BLOCK, TEXT_START, TEXT_END, MESSAGE_END));
    List<String> seen = new ArrayList<>();

    Completion c = provider.stream(ask(), step("claude-opus-4-6", Effort.MEDIUM), recording(seen));

    assertThat(seen).containsExactly(
        "thinking:Two plus two", "thinking: is four.", "text:The answer", "text: is 4.");
    assertThat(c.text()).isEqualTo("The answer is 4.");
    assertThat(c.thinking()).isEqualTo("Two plus two is four.");
    long answerTokens = TokenCounter.count("The answer is 4.");
    assertThat(c.usage()).isEqualTo(new dev.effort.core.Usage(21, answerTokens, 63 - answerTokens));
    assertThat(c.costUsd()).isCloseTo((21 * 5 + 63 * 25) / 1e6, within(1e-12));
    assertThat(c.ttft()).isPositive().isLessThanOrEqualTo(c.latency());
    assertThat(upstream.only().json()).isEqualTo(body("claude-opus-4-6", 12288, "adaptive", 0, "medium", true));
    assertThat(upstream.only().headers()).containsEntry("accept", "text/event-stream");
  }

  @Test
  void passesDeltasOnWhileTheUpstreamIsStillWriting() {
    CountDownLatch firstTextPassedOn = new CountDownLatch(1);
    AtomicBoolean passedOnBeforeTheEnd = new AtomicBoolean();
    upstream.reply(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write((MESSAGE_START + THINKING_BLOCK + TEXT_START).getBytes(StandardCharsets.UTF_8));
        out.flush();
        passedOnBeforeTheEnd.set(firstTextPassedOn.await(5, TimeUnit.SECONDS));
        out.write((TEXT_END + MESSAGE_END).getBytes(StandardCharsets.UTF_8));
      }
    });

    Completion c = provider.stream(ask(), step("claude-opus-4-6", Effort.LOW), new Deltas() {
      @Override
      public void thinking(String delta) {}

      @Override
      public void text(String delta) {
        firstTextPassedOn.countDown();
      }
    });

    assertThat(passedOnBeforeTheEnd).isTrue();
    assertThat(c.text()).isEqualTo("The answer is 4.");
  }

  @Test
  void anErrorEventMidStreamFailsTheCall() {
    upstream.reply(TestUpstream.events(MESSAGE_START, THINKING_BLOCK,
        event("error", "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}")));
    List<String> seen = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider.stream(ask(), step("claude-opus-4-6", Effort.HIGH), recording(seen)));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e).hasMessageContaining("overloaded_error").hasMessageContaining("Overloaded")
        .hasMessageContaining("retry later");
    assertThat(seen).containsExactly("thinking:Two plus two", "thinking: is four.");
  }

  @Test
  void anInvalidRequestErrorEventMidStreamIsInvalid() {
    upstream.reply(TestUpstream.events(MESSAGE_START, event("error",
        "{\"type\": \"error\", \"error\": {\"type\": \"invalid_request_error\", \"message\": \"prompt is too long\"}}")));

    assertThatThrownBy(() -> provider.stream(ask(), Step.of("claude-opus-4-6"), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("prompt is too long");
  }

  @Test
  void aStreamThatEndsBeforeMessageStopFails() {
    upstream.reply(TestUpstream.events(MESSAGE_START, THINKING_BLOCK, TEXT_START));

    assertThatThrownBy(() -> provider.stream(ask(), Step.of("claude-opus-4-6"), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("ended before message_stop");
  }

  @Test
  void aBadRequestIsInvalidWithTheUpstreamsMessage() {
    upstream.reply(TestUpstream.json(400, """
        {"type":"error","error":{"type":"invalid_request_error",\
        "message":"max_tokens: 200000 > 128000, which is the maximum allowed number of output tokens for claude-opus-4-6"},\
        "request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"""));

    assertThatThrownBy(() -> provider.complete(ask(), Step.of("claude-opus-4-6")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessage("provider anthropic rejected the request (HTTP 400): max_tokens: 200000 > 128000, which is "
            + "the maximum allowed number of output tokens for claude-opus-4-6");
  }

  @Test
  void anUnknownModelUpstreamIsInvalid() {
    upstream.reply(TestUpstream.json(404,
        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-opus-4-6\"}}"));

    assertThatThrownBy(() -> provider.stream(ask(), Step.of("claude-opus-4-6"), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("HTTP 404").hasMessageContaining("model: claude-opus-4-6");
  }

  @Test
  void aRejectedKeyNamesTheVariableAndNeverTheKey() {
    upstream.reply(TestUpstream.json(401,
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key " + KEY + "\"}}"));

    for (Runnable call : List.<Runnable>of(
        () -> provider.complete(ask(), Step.of("claude-opus-4-6")),
        () -> provider.stream(ask(), Step.of("claude-opus-4-6"), Deltas.NONE))) {
      ProviderException e = catchThrowableOfType(ProviderException.class, call::run);
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage())
          .contains("upstream rejected the API key configured for provider anthropic (env ANTHROPIC_API_KEY)")
          .doesNotContain(KEY)
          .doesNotContain("sk-ant");
    }
  }

  @Test
  void theKeyIsScrubbedFromAnyUpstreamMessage() {
    upstream.reply(TestUpstream.json(400,
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad header: " + KEY + "\"}}"));

    assertThatThrownBy(() -> provider.complete(ask(), Step.of("claude-opus-4-6")))
        .hasMessageContaining("bad header: [api key]")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void rateLimitsAndServerErrorsAreUnavailable() {
    String[][] cases = {
        {"429", "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}", "rate limited"},
        {"500", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}", "Internal server error"},
        {"529", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "Overloaded"},
    };
    for (String[] c : cases) {
      upstream.reply(TestUpstream.json(Integer.parseInt(c[0]), c[1]));
      assertThatThrownBy(() -> provider.complete(ask(), Step.of("claude-opus-4-6")))
          .as("HTTP " + c[0])
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(c[0].equals("429") ? Kind.RATE_LIMITED : Kind.UNAVAILABLE);
            assertThat(e.retryable()).as("worth another try").isTrue();
          })
          .hasMessageContaining("HTTP " + c[0]).hasMessageContaining(c[2]).hasMessageContaining("retry later");
    }
  }

  @Test
  void aRefusedConnectionIsUnavailableAndSaysWhereItCalled() {
    var unreachable = new AnthropicProvider(new Upstream("anthropic", TestUpstream.refusingUrl(), KEY, "ANTHROPIC_API_KEY"),
        CATALOG, LiveProviders.newHttpClient());

    assertThatThrownBy(() -> unreachable.complete(ask(), Step.of("claude-opus-4-6")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("cannot reach provider anthropic at http://127.0.0.1:")
        .hasMessageContaining("check that the server runs");
  }

  @Test
  void anUpstreamSlowerThanTheDeadlineIsCutOff() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.reply(exchange -> {
      release.await(5, TimeUnit.SECONDS);
      TestUpstream.json(200, ANSWER).send(exchange);
    });
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> provider.complete(ask(Optional.of(Duration.ofMillis(200)), OptionalInt.empty()),
          Step.of("claude-opus-4-6")))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
          .hasMessageContaining("deadline of 200 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aStreamOutlivingTheDeadlineIsCutOffAfterWhatArrived() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.reply(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write((MESSAGE_START + THINKING_BLOCK).getBytes(StandardCharsets.UTF_8));
        out.flush();
        release.await(5, TimeUnit.SECONDS);
      }
    });
    List<String> seen = new ArrayList<>();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> provider.stream(ask(Optional.of(Duration.ofMillis(300)), OptionalInt.empty()),
          Step.of("claude-opus-4-6"), recording(seen)))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
          .hasMessageContaining("deadline of 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(seen).containsExactly("thinking:Two plus two", "thinking: is four.");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aModelOutsideTheCatalogIsInvalidAndNeverSent() {
    assertThatThrownBy(() -> provider.complete(ask(), Step.of("claude-opus-9")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("'claude-opus-9' is not in the catalog")
        .hasMessageContaining("claude-opus-4-6");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void withoutAKeyNothingIsSent() {
    var keyless = new AnthropicProvider(new Upstream("anthropic", upstream.baseUrl(), "", "ANTHROPIC_API_KEY"),
        CATALOG, LiveProviders.newHttpClient());

    assertThatThrownBy(() -> keyless.complete(ask(), Step.of("claude-opus-4-6")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("no API key is configured for provider anthropic (env ANTHROPIC_API_KEY)");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void theProviderNeverShowsItsKey() {
    assertThat(provider.toString()).contains("anthropic").doesNotContain(KEY);
    assertThat(provider.name()).isEqualTo("anthropic");
  }

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
    };
  }
}
