package dev.effort.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load test's fake upstream speaks OpenAI's wire format (the official SDK reads its tool-call
 * stream), and a paced stream stays open, counted, until its last event.
 */
class FakeUpstreamTest {
  static final ChatCompletionFunctionTool WEATHER = ChatCompletionFunctionTool.builder()
      .function(FunctionDefinition.builder()
          .name("get_weather")
          .parameters(FunctionParameters.builder()
              .putAdditionalProperty("type", JsonValue.from("object"))
              .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
              .build())
          .build())
      .build();

  static OpenAIClient sdk(FakeUpstream upstream) {
    return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + upstream.port() + "/v1").apiKey("unused")
        .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
  }

  static ChatCompletionCreateParams.Builder ask() {
    return ChatCompletionCreateParams.builder().model(LoadGateway.MODEL).addUserMessage("What is the weather in Paris?")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
  }

  @Test
  void streamedToolCallAccumulatesIntoOneCallWithWholeArguments() {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      OpenAIClient client = sdk(upstream);
      ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask().addTool(WEATHER).build())) {
        stream.stream().forEach(chunk -> accumulator.accumulate(chunk.validate()));
      }
      ChatCompletion completion = accumulator.chatCompletion().validate();

      ChatCompletion.Choice choice = completion.choices().get(0);
      assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
      assertThat(choice.message().toolCalls().orElseThrow()).hasSize(1);
      ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().get().get(0).asFunction();
      assertThat(call.function().name()).isEqualTo("get_weather");
      assertThat(call.function().arguments()).isEqualTo("{\"city\": \"Paris\"}");
      assertThat(call.id()).startsWith("call_chatcmpl-fake");
      assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(FakeUpstream.PIECES.size());
    }
  }

  @Test
  void pacedStreamSendsItsDeltasAndIsCountedOpenUntilItEnds() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(Duration.ofMillis(20), 10)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port() + "/v1/chat/completions"))
          .POST(HttpRequest.BodyPublishers.ofString(ChatClient.body(LoadGateway.MODEL, true))).build();
      List<String> events = new ArrayList<>();
      int openDuring;
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(
          http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body(), StandardCharsets.UTF_8))) {
        events.add(lines.readLine());
        openDuring = upstream.openStreams();
        lines.lines().filter(l -> l.startsWith("data: ")).forEach(events::add);
      }

      assertThat(openDuring).isEqualTo(1);
      assertThat(upstream.openStreams()).isZero();
      // Ten deltas (the eight pieces, then the first two again), the finish, the usage, [DONE].
      assertThat(events).hasSize(13).last().isEqualTo("data: [DONE]");
      assertThat(events.get(8)).contains("\"content\":\"Hello\"");
      assertThat(events.get(11)).contains("\"completion_tokens\":10");
    }
  }
}
