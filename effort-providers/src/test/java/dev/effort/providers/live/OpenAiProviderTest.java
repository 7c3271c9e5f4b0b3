package dev.effort.providers.live;

import static dev.effort.providers.live.AnthropicProviderTest.ask;
import static dev.effort.providers.live.AnthropicProviderTest.recording;
import static dev.effort.providers.live.AnthropicProviderTest.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.ProviderException;
import dev.effort.core.ProviderException.Kind;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiProviderTest {
  static final String KEY = "sk-proj-test-key-0123456789abcdef";
  static final Catalog CATALOG = Catalog.builtIn();

  static final String ANSWER = """
      {
        "id": "chatcmpl-CDZ4bq2KxYbQ8b0oQb1mQ4cXo0rF1",
        "object": "chat.completion",
        "created": 1757350000,
        "model": "gpt-5-2025-08-07",
        "choices": [
          {"index": 0,
           "message": {"role": "assistant", "content": "4", "refusal": null, "annotations": []},
           "finish_reason": "stop"}
        ],
        "usage": {
          "prompt_tokens": 19, "completion_tokens": 202, "total_tokens": 221,
          "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
          "completion_tokens_details": {"reasoning_tokens": 192, "audio_tokens": 0,
            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        },
        "service_tier": "default",
        "system_fingerprint": null
      }""";

  static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,"
      + "\"model\":\"gpt-5-2025-08-07\",\"service_tier\":\"default\",\"system_fingerprint\":null,";
  static final String FIRST_CHUNKS =
      chunk(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
          + "\"finish_reason\":null}],\"usage\":null}")
      + chunk(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The answer\"},\"finish_reason\":null}],\"usage\":null}");
  static final String LAST_CHUNKS =
      chunk(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" is 4.\"},\"finish_reason\":null}],\"usage\":null}")
      + chunk(HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}")
      + chunk(HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":202,\"total_tokens\":221,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":"
          + "{\"reasoning_tokens\":192,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}")
      + chunk("[DONE]");

  final TestUpstream upstream = TestUpstream.start();
  final OpenAiProvider provider = OpenAiProvider.openAi(
      new Upstream("openai", upstream.baseUrl(), KEY, "OPENAI_API_KEY"), CATALOG, LiveProviders.newHttpClient());

  @AfterEach
  void stop() {
    upstream.close();
  }

  static String chunk(String data) {
    return "data: " + data + "\n\n";
  }

  /** The exact chat completion body for the standard ask. */
  static JsonNode body(String model, String effort, String capField, int cap, boolean stream) throws Exception {
    return Json.MAPPER.readTree("""
        {"model": "%s",
         "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2+2?"}]%s%s%s}"""
        .formatted(model,
            effort == null ? "" : ", \"reasoning_effort\": \"" + effort + "\"",
            capField == null ? "" : ", \"" + capField + "\": " + cap,
            stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : ""));
  }

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
      // gpt-5 takes minimal, low, medium, high: xhigh and max are clamped to high
      "gpt-5,   LOW,    low",
      "gpt-5,   MEDIUM, medium",
      "gpt-5,   HIGH,   high",
      "gpt-5,   XHIGH,  high",
      "gpt-5,   MAX,    high",
      // gpt-5.1 takes none, low, medium, high
      "gpt-5.1, LOW,    low",
      "gpt-5.1, MAX,    high",
      // gpt-5.2 takes xhigh
      "gpt-5.2, LOW,    low",
      "gpt-5.2, MEDIUM, medium",
      "gpt-5.2, HIGH,   high",
      "gpt-5.2, XHIGH,  xhigh",
      "gpt-5.2, MAX,    xhigh",
      "o3,      XHIGH,  high",
      // not a reasoning model: no reasoning_effort at any level
      "gpt-4o,  LOW,    ",
      "gpt-4o,  MEDIUM, ",
      "gpt-4o,  HIGH,   ",
      "gpt-4o,  XHIGH,  ",
      "gpt-4o,  MAX,    ",
  })
  void sendsTheExactChatCompletionForEachLevel(String model, Effort level, String effort) throws Exception {
    upstream.reply(TestUpstream.json(200, ANSWER));

    provider.complete(ask(), step(model, level));

    TestUpstream.Received request = upstream.only();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.headers())
        .containsEntry("authorization", "Bearer " + KEY)
        .containsEntry("content-type", "application/json")
        .doesNotContainKey("x-api-key");
    assertThat(request.json()).isEqualTo(body(model, effort, null, 0, false));
    if (effort != null) {
      assertThat(CATALOG.model(model).levels()).contains(effort);
    }
  }

  @ParameterizedTest(name = "{0} at {1} with a cap of {2}")
  @CsvSource({
      // reasoning tokens count in max_completion_tokens: the level's reasoning room comes on top
      "o3,      HIGH,   1000,  high,  9192",
      "gpt-5.2, XHIGH,  2000,  xhigh, 18384",
      "gpt-5,   LOW,    300,   low,   1324",
      // not a reasoning model: the cap as it is, within the model's 16,384
      "gpt-4o,  MAX,    1000,  ,      1000",
      "gpt-4o,  MAX,    50000, ,      16384",
  })
  void sendsTheCapAsMaxCompletionTokensWithRoomForReasoning(String model, Effort level, int cap, String effort,
      int expected) throws Exception {
    upstream.reply(TestUpstream.json(200, ANSWER));

    provider.complete(ask(Optional.empty(), OptionalInt.of(cap)), step(model, level));

    assertThat(upstream.only().json()).isEqualTo(body(model, effort, "max_completion_tokens", expected, false));
  }

  @Test
  void readsTextAndReasoningTokensApart() {
    upstream.reply(TestUpstream.json(200, ANSWER));

    Completion c = provider.complete(ask(), step("gpt-5", Effort.MEDIUM));

    assertThat(c.model()).isEqualTo("gpt-5");
    assertThat(c.text()).isEqualTo("4");
    assertThat(c.thinking()).isEmpty();
    assertThat(c.usage()).isEqualTo(new Usage(19, 10, 192));
    assertThat(c.costUsd()).isCloseTo((19 * 1.25 + 202 * 10) / 1e6, within(1e-12));
    assertThat(c.ttft()).isEqualTo(c.latency()).isPositive();
  }

  @Test
  void streamsTextInOrderWithTheUsageOfTheLastChunk() throws Exception {
    upstream.reply(TestUpstream.events(FIRST_CHUNKS, LAST_CHUNKS));
    List<String> seen = new ArrayList<>();

    Completion c = provider.stream(ask(), step("gpt-5", Effort.HIGH), recording(seen));

    assertThat(seen).containsExactly("text:The answer", "text: is 4.");
    assertThat(c.text()).isEqualTo("The answer is 4.");
    assertThat(c.usage()).isEqualTo(new Usage(19, 10, 192));
    assertThat(c.ttft()).isPositive().isLessThanOrEqualTo(c.latency());
    assertThat(upstream.only().json()).isEqualTo(body("gpt-5", "high", null, 0, true));
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
        out.write(FIRST_CHUNKS.getBytes(StandardCharsets.UTF_8));
        out.flush();
        passedOnBeforeTheEnd.set(firstTextPassedOn.await(5, TimeUnit.SECONDS));
        out.write(LAST_CHUNKS.getBytes(StandardCharsets.UTF_8));
      }
    });

    Completion c = provider.stream(ask(), Step.of("gpt-4o"), new Deltas() {
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
  void anErrorChunkMidStreamFailsTheCall() {
    upstream.reply(TestUpstream.events(FIRST_CHUNKS, chunk("{\"error\":{\"message\":\"The server had an error while "
        + "processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")));
    List<String> seen = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider.stream(ask(), step("gpt-5", Effort.LOW), recording(seen)));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e).hasMessageContaining("server_error").hasMessageContaining("The server had an error");
    assertThat(seen).containsExactly("text:The answer");
  }

  @Test
  void aStreamThatEndsBeforeTheAnswerIsFinishedFails() {
    upstream.reply(TestUpstream.events(FIRST_CHUNKS));

    assertThatThrownBy(() -> provider.stream(ask(), Step.of("gpt-4o"), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("ended before the answer was finished");
  }

  @Test
  void anUnsupportedValueUpstreamIsInvalidWithTheUpstreamsMessage() {
    upstream.reply(TestUpstream.json(400, """
        {"error": {"message": "Unsupported value: 'reasoning_effort' does not support 'minimal' with this model. \
        Supported values are: 'none', 'low', 'medium', and 'high'.", "type": "invalid_request_error", \
        "param": "reasoning_effort", "code": "unsupported_value"}}"""));

    assertThatThrownBy(() -> provider.stream(ask(), step("gpt-5.1", Effort.LOW), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessage("provider openai rejected the request (HTTP 400): Unsupported value: 'reasoning_effort' does "
            + "not support 'minimal' with this model. Supported values are: 'none', 'low', 'medium', and 'high'.");
  }

  @Test
  void aRejectedKeyNamesTheVariableAndShowsNoPartOfTheKey() {
    upstream.reply(TestUpstream.json(401, """
        {"error": {"message": "Incorrect API key provided: sk-proj-****************cdef. You can find your API key \
        at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, \
        "code": "invalid_api_key"}}"""));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider.complete(ask(), Step.of("gpt-4o")));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage())
        .contains("upstream rejected the API key configured for provider openai (env OPENAI_API_KEY)")
        .doesNotContain(KEY).doesNotContain("sk-proj").doesNotContain("cdef");
  }

  @Test
  void rateLimitsServerErrorsAndRefusedConnectionsAreUnavailable() {
    upstream.reply(TestUpstream.json(429, """
        {"error": {"message": "Rate limit reached for gpt-5 in organization org-abc on tokens per min (TPM): \
        Limit 30000, Used 29000, Requested 2000.", "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}"""));
    assertThatThrownBy(() -> provider.complete(ask(), Step.of("gpt-5")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
          assertThat(e.retryable()).isTrue();
        })
        .hasMessageContaining("rate limited upstream (HTTP 429): Rate limit reached for gpt-5");

    upstream.reply(TestUpstream.json(500, """
        {"error": {"message": "The server had an error while processing your request. Sorry about that!", \
        "type": "server_error", "param": null, "code": null}}"""));
    assertThatThrownBy(() -> provider.stream(ask(), Step.of("gpt-5"), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("failed upstream (HTTP 500): The server had an error");

    OpenAiProvider refused = OpenAiProvider.openAi(new Upstream("openai", TestUpstream.refusingUrl(), KEY, "OPENAI_API_KEY"),
        CATALOG, LiveProviders.newHttpClient());
    assertThatThrownBy(() -> refused.stream(ask(), Step.of("gpt-5"), Deltas.NONE))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("cannot reach provider openai");
  }

  @Test
  void aModelUnknownToTheCatalogIsInvalidForOpenAi() {
    assertThatThrownBy(() -> provider.complete(ask(), Step.of("gpt-9")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("'gpt-9' is not in the catalog").hasMessageContaining("gpt-5.2");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void openAiNeedsAKey() {
    OpenAiProvider keyless = OpenAiProvider.openAi(new Upstream("openai", upstream.baseUrl(), null, "OPENAI_API_KEY"),
        CATALOG, LiveProviders.newHttpClient());

    assertThatThrownBy(() -> keyless.complete(ask(), Step.of("gpt-4o")))
        .hasMessageContaining("no API key is configured for provider openai (env OPENAI_API_KEY)");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void aBaseUrlEndingInV1IsTakenAsItIs() {
    upstream.reply(TestUpstream.json(200, ANSWER));
    OpenAiProvider v1 = OpenAiProvider.openAi(
        new Upstream("openai", URI.create(upstream.baseUrl() + "/v1/"), KEY, "OPENAI_API_KEY"), CATALOG,
        LiveProviders.newHttpClient());

    v1.complete(ask(), Step.of("gpt-4o"));

    assertThat(upstream.only().path()).isEqualTo("/v1/chat/completions");
  }

  // ---- openai-compatible ----

  final OpenAiProvider local = OpenAiProvider.compatible(
      new Upstream("local-vllm", upstream.baseUrl(), "", ""), CATALOG, LiveProviders.newHttpClient());

  @Test
  void aCompatibleServerTakesModelsTheCatalogDoesNotKnowWithoutKnobOrKey() throws Exception {
    upstream.reply(TestUpstream.json(200, """
        {"id": "chatcmpl-7", "object": "chat.completion", "created": 1757350000, "model": "qwen3-8b",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "4", "reasoning_content": null},
                      "logprobs": null, "finish_reason": "stop", "stop_reason": null}],
         "usage": {"prompt_tokens": 20, "total_tokens": 21, "completion_tokens": 1, "prompt_tokens_details": null}}"""));

    Completion c = local.complete(ask(Optional.empty(), OptionalInt.of(256)), step("qwen3-8b", Effort.MAX));

    TestUpstream.Received request = upstream.only();
    assertThat(request.headers()).doesNotContainKey("authorization");
    assertThat(request.json()).isEqualTo(body("qwen3-8b", null, "max_tokens", 256, false));
    assertThat(c.text()).isEqualTo("4");
    assertThat(c.usage()).isEqualTo(new Usage(20, 1, 0));
    assertThat(c.costUsd()).isZero();
    assertThat(local.name()).isEqualTo("local-vllm");
  }

  @Test
  void aCompatibleServersReasoningContentStreamsAsThinking() {
    String head = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1757350000,\"model\":\"deepseek-reasoner\",";
    upstream.reply(TestUpstream.events(
        chunk(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Two plus two\"},\"logprobs\":null,\"finish_reason\":null}]}"),
        chunk(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":\" is four.\"},\"logprobs\":null,\"finish_reason\":null}]}"),
        chunk(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"4\",\"reasoning_content\":null},\"logprobs\":null,\"finish_reason\":null}]}"),
        chunk(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42,\"completion_tokens_details\":{\"reasoning_tokens\":25}}}"),
        chunk("[DONE]")));
    List<String> seen = new ArrayList<>();

    Completion c = local.stream(ask(), Step.of("deepseek-reasoner"), recording(seen));

    assertThat(seen).containsExactly("thinking:Two plus two", "thinking: is four.", "text:4");
    assertThat(c.thinking()).isEqualTo("Two plus two is four.");
    assertThat(c.text()).isEqualTo("4");
    assertThat(c.usage()).isEqualTo(new Usage(12, 5, 25));
  }

  @Test
  void aCompatibleServersReasoningFieldWithoutCountsIsEstimated() {
    upstream.reply(TestUpstream.events(
        chunk("{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Add them.\"},\"finish_reason\":null}]}"),
        chunk("{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The answer is 4.\"},\"finish_reason\":\"stop\"}]}"),
        chunk("{\"id\":\"gen-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":40,\"total_tokens\":52}}"),
        chunk("[DONE]")));

    Completion c = local.stream(ask(), Step.of("some/reasoner"), Deltas.NONE);

    long answer = TokenCounter.count("The answer is 4.");
    assertThat(c.thinking()).isEqualTo("Add them.");
    assertThat(c.usage()).isEqualTo(new Usage(12, answer, 40 - answer));
  }

  @Test
  void aCompatibleServerWithoutUsageIsCountedInTheText() {
    upstream.reply(TestUpstream.events(
        chunk("{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"model\":\"llama3.2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"The answer is 4.\"},\"finish_reason\":null}]}"),
        chunk("{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"model\":\"llama3.2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"stop\"}]}"),
        chunk("[DONE]")));

    Completion c = local.stream(ask(), Step.of("llama3.2"), Deltas.NONE);

    assertThat(c.usage()).isEqualTo(new Usage(
        TokenCounter.count("Be brief.") + TokenCounter.count("What is 2+2?"), TokenCounter.count("The answer is 4."), 0));
  }

  @Test
  void aCompatibleServerWithAKeyGetsItAsBearer() {
    upstream.reply(TestUpstream.json(200, ANSWER));
    OpenAiProvider openRouter = LiveProvidersTest.compatibleWithKey(upstream.baseUrl(), "sk-or-v1-abcdef0123456789");

    openRouter.complete(ask(), Step.of("openai/gpt-5"));

    assertThat(upstream.only().headers()).containsEntry("authorization", "Bearer sk-or-v1-abcdef0123456789");
  }
}
