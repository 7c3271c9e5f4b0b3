package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import dev.effort.providers.TokenCounter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultyUpstreamTest {

  /** The two wire formats a test runs in: path and request body. */
  enum Format {
    OPENAI("/v1/chat/completions"),
    ANTHROPIC("/v1/messages");

    final String path;

    Format(String path) {
      this.path = path;
    }

    String body(String prompt, boolean stream) {
      String p = Json.string(Json.MAPPER.getNodeFactory().textNode(prompt));
      return switch (this) {
        case OPENAI -> "{\"model\":\"m-1\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":" + p + "}]" + (stream ? ",\"stream\":true,\"stream_options\":"
            + "{\"include_usage\":true}" : "") + "}";
        case ANTHROPIC -> "{\"model\":\"m-1\",\"max_tokens\":100,\"system\":\"Be brief.\",\"messages\":[{\"role\":"
            + "\"user\",\"content\":[{\"type\":\"text\",\"text\":" + p + "}]}]" + (stream ? ",\"stream\":true" : "") + "}";
      };
    }

    /** The events that end a complete stream. */
    String endMarker() {
      return this == OPENAI ? "data: [DONE]" : "event: message_stop";
    }
  }

  /** A parsed stream: its event names (Anthropic) and data lines, in order. */
  record Events(List<String> names, List<String> data, boolean brokeOff) {
    String text(Format format) {
      StringBuilder sb = new StringBuilder();
      for (String d : data) {
        JsonNode n = parseOrNull(d);
        if (n == null) {
          continue;
        }
        sb.append(format == Format.OPENAI ? n.path("choices").path(0).path("delta").path("content").asText("")
            : n.path("delta").path("text").asText(""));
      }
      return sb.toString();
    }
  }

  private final FaultyUpstream upstream = FaultyUpstream.start();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    upstream.close();
    http.close();
  }

  private HttpRequest request(Format format, String body, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(upstream.baseUrl() + format.path)).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpResponse<String> send(Format format, String prompt, boolean stream) throws Exception {
    return http.send(request(format, format.body(prompt, stream), Duration.ofSeconds(10)),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Reads a stream to its end, or to where the connection broke off. */
  private Events stream(Format format, String prompt) throws Exception {
    HttpResponse<InputStream> response = http.send(request(format, format.body(prompt, true), Duration.ofSeconds(10)),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> names = new ArrayList<>();
    List<String> data = new ArrayList<>();
    boolean brokeOff = false;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("event: ")) {
          names.add(line.substring(7));
        } else if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
    } catch (IOException e) {
      brokeOff = true;
    }
    return new Events(names, data, brokeOff);
  }

  private static JsonNode json(String text) {
    JsonNode n = parseOrNull(text);
    assertThat(n).as("JSON: " + text).isNotNull();
    return n;
  }

  private static JsonNode parseOrNull(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  @Test
  void answersOpenAiWholeWithTheTextAndItsUsage() throws Exception {
    upstream.answer("Paris is the capital of France.");
    HttpResponse<String> r = send(Format.OPENAI, "Capital of France?", false);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode o = json(r.body());
    assertThat(o.path("object").asText()).isEqualTo("chat.completion");
    assertThat(o.path("model").asText()).isEqualTo("m-1");
    assertThat(o.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(o.at("/choices/0/message/content").asText()).isEqualTo("Paris is the capital of France.");
    assertThat(o.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(o.at("/usage/completion_tokens").asLong()).isEqualTo(TokenCounter.count("Paris is the capital of France."));
    assertThat(o.at("/usage/prompt_tokens").asLong()).isPositive();
    assertThat(o.at("/usage/total_tokens").asLong())
        .isEqualTo(o.at("/usage/prompt_tokens").asLong() + o.at("/usage/completion_tokens").asLong());
  }

  @Test
  void answersAnthropicWholeWithTheTextAndItsUsage() throws Exception {
    HttpResponse<String> r = send(Format.ANTHROPIC, "Hi", false);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode o = json(r.body());
    assertThat(o.path("type").asText()).isEqualTo("message");
    assertThat(o.path("role").asText()).isEqualTo("assistant");
    assertThat(o.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(o.at("/content/0/text").asText()).isEqualTo(FaultyUpstream.DEFAULT_ANSWER);
    assertThat(o.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(o.at("/usage/input_tokens").asLong()).isPositive();
    assertThat(o.at("/usage/output_tokens").asLong()).isEqualTo(TokenCounter.count(FaultyUpstream.DEFAULT_ANSWER));
  }

  @Test
  void streamsOpenAiChunksWithUsageWhenAskedThenDone() throws Exception {
    Events e = stream(Format.OPENAI, "Hi");

    assertThat(e.brokeOff()).isFalse();
    assertThat(e.data().getLast()).isEqualTo("[DONE]");
    JsonNode first = json(e.data().getFirst());
    assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(e.text(Format.OPENAI)).isEqualTo(FaultyUpstream.DEFAULT_ANSWER);
    JsonNode finish = json(e.data().get(e.data().size() - 3));
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = json(e.data().get(e.data().size() - 2));
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.at("/usage/completion_tokens").asLong()).isEqualTo(TokenCounter.count(FaultyUpstream.DEFAULT_ANSWER));
    assertThat(usage.at("/usage/total_tokens").asLong())
        .isEqualTo(usage.at("/usage/prompt_tokens").asLong() + usage.at("/usage/completion_tokens").asLong());
    assertThat(first.has("usage")).as("with include_usage every chunk has usage: null").isTrue();
  }

  @Test
  void streamsOpenAiWithoutAUsageChunkUnlessAsked() throws Exception {
    HttpResponse<String> r = http.send(request(Format.OPENAI, "{\"model\":\"m\",\"stream\":true,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Hi\"}]}", Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());

    assertThat(r.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void streamsAnthropicsFullEventSequence() throws Exception {
    Events e = stream(Format.ANTHROPIC, "Hi");

    int deltas = FaultyUpstream.pieces(FaultyUpstream.DEFAULT_ANSWER).size();
    List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
    for (int i = 0; i < deltas; i++) {
      expected.add("content_block_delta");
    }
    expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
    assertThat(e.names()).containsExactlyElementsOf(expected);
    assertThat(e.text(Format.ANTHROPIC)).isEqualTo(FaultyUpstream.DEFAULT_ANSWER);
    JsonNode start = json(e.data().getFirst());
    assertThat(start.at("/message/usage/input_tokens").asLong()).isPositive();
    JsonNode messageDelta = json(e.data().get(e.data().size() - 2));
    assertThat(messageDelta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    assertThat(messageDelta.at("/usage/output_tokens").asLong()).isEqualTo(TokenCounter.count(FaultyUpstream.DEFAULT_ANSWER));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void httpErrorFaultsAnswerInTheFormatsErrorShape(Format format) throws Exception {
    upstream.next(Fault.parse("500"), Fault.parse("502"), Fault.parse("503"), Fault.parse("529"), Fault.parse("429@2"));
    List<HttpResponse<String>> r = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      r.add(send(format, "Hi", i % 2 == 0));
    }

    assertThat(r.stream().map(HttpResponse::statusCode))
        .containsExactly(500, 502, 503, format == Format.ANTHROPIC ? 529 : 503, 429);
    for (HttpResponse<String> response : r) {
      JsonNode body = json(response.body());
      if (format == Format.ANTHROPIC) {
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").isTextual()).isTrue();
        assertThat(body.at("/error/message").isTextual()).isTrue();
      } else {
        assertThat(body.path("error").has("message")).isTrue();
        assertThat(body.path("error").has("type")).isTrue();
        assertThat(body.path("error").has("param")).isTrue();
        assertThat(body.path("error").has("code")).isTrue();
      }
    }
    assertThat(r.get(4).headers().firstValue("retry-after")).hasValue("2");
    assertThat(r.get(0).headers().firstValue("retry-after")).isEmpty();
    if (format == Format.ANTHROPIC) {
      assertThat(json(r.get(3).body()).at("/error/type").asText()).isEqualTo("overloaded_error");
      assertThat(json(r.get(4).body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
      assertThat(json(r.get(0).body()).at("/error/type").asText()).isEqualTo("api_error");
    } else {
      assertThat(json(r.get(4).body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    }
    assertThat(send(format, "Hi", false).statusCode()).as("the queue is used up").isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aRetryAfterGivenToAServerErrorIsSent(Format format) throws Exception {
    HttpResponse<String> r = send(format, "[fault:503@7]", false);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void resetClosesTheConnectionWithoutAnAnswer(Format format) {
    upstream.next(Fault.of(Fault.Kind.RESET));

    assertThatThrownBy(() -> send(format, "Hi", false)).isInstanceOf(IOException.class);
    assertThat(upstream.count()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void hangNeverAnswersAndCountsTheClientLeavingAsCancelled(Format format) throws Exception {
    HttpRequest r = request(format, format.body("[fault:hang]", false), Duration.ofMillis(300));

    assertThatThrownBy(() -> http.send(r, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    awaitCancelled(1);
  }

  @Test
  void hangingRequestsEndWhenTheUpstreamCloses() throws Exception {
    var pending = http.sendAsync(request(Format.OPENAI, Format.OPENAI.body("[fault:hang]", false),
        Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    awaitRequests(1);
    upstream.close();

    assertThatThrownBy(() -> pending.get(10, java.util.concurrent.TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    assertThat(upstream.cancelled()).as("closed by the upstream, not cancelled by the client").isZero();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void slowDelaysTheWholeAnswer(Format format) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = send(format, "[fault:slow@400]", false);

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void slowDelaysAStreamsFirstEvent(Format format) throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> r = http.send(request(format, format.body("[fault:slow@400]", true),
        Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String first = lines.readLine();
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
      assertThat(first).startsWith(format == Format.OPENAI ? "data: " : "event: message_start");
      assertThat(lines.lines().toList()).contains(format.endMarker());
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void stallSendsAStreamsStartAtOnceThenPausesBeforeItsFirstContent(Format format) throws Exception {
    HttpResponse<InputStream> r = http.send(request(format, format.body("[fault:stall@600]", true),
        Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String startLine = format == Format.OPENAI ? "\"role\":\"assistant\"" : "event: message_start";
      String contentLine = format == Format.OPENAI ? "\"content\":\"Hello!\"" : "event: content_block_delta";
      String line;
      while (!(line = lines.readLine()).contains(startLine)) {
        assertThat(line).doesNotContain(contentLine);
      }
      long started = System.nanoTime();
      while (!(line = lines.readLine()).contains(contentLine)) {
        // the rest of the start
      }

      assertThat((System.nanoTime() - started) / 1_000_000).as("the pause after the start").isGreaterThanOrEqualTo(400);
      assertThat(lines.lines().toList()).contains(format.endMarker());
    }
  }

  @Test
  void aClientLeavingAStalledStreamIsCountedAsCancelled() throws Exception {
    HttpResponse<InputStream> r = http.send(request(Format.OPENAI, Format.OPENAI.body("[fault:stall@5000]", true),
        Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).contains("\"role\":\"assistant\"");
    } // closed before the first content

    awaitCancelled(1);
  }

  @Test
  void anEventGapSpreadsAStreamOut() throws Exception {
    upstream.eventGap(Duration.ofMillis(50));
    long start = System.nanoTime();
    Events e = stream(Format.ANTHROPIC, "Hi");

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(50L * (e.names().size() - 1));
  }

  @Test
  void aClientLeavingASlowAnswerIsCountedAsCancelled() throws Exception {
    HttpRequest r = request(Format.ANTHROPIC, Format.ANTHROPIC.body("[fault:slow@5000]", true), Duration.ofMillis(200));

    assertThatThrownBy(() -> http.send(r, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    awaitCancelled(1);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void cutEndsAStreamAfterTheStartAndTwoDeltasWithoutItsEnd(Format format) throws Exception {
    // Read off the socket: the JDK client may drop the last bytes it had when the body breaks off.
    String bytes = rawExchange(format, format.body("[fault:cut]", true));

    assertThat(bytes).startsWith("HTTP/1.1 200 OK").contains("Transfer-Encoding: chunked");
    assertThat(bytes).as("no last chunk").doesNotEndWith("0\r\n\r\n");
    assertThat(bytes).doesNotContain("[DONE]", "message_stop", "message_delta", "finish_reason\":\"stop");
    List<String> pieces = FaultyUpstream.pieces(FaultyUpstream.DEFAULT_ANSWER);
    String deltaField = format == Format.OPENAI ? "\"content\":\"" : "\"text_delta\",\"text\":\"";
    assertThat(bytes).contains(deltaField + pieces.get(0) + "\"", deltaField + pieces.get(1) + "\"")
        .doesNotContain(deltaField + pieces.get(2) + "\"");
    if (format == Format.ANTHROPIC) {
      assertThat(bytes).contains("event: message_start", "event: content_block_start");
    }
    assertThat(stream(format, "[fault:cut]").brokeOff()).as("a client sees the body break off").isTrue();
  }

  @Test
  void cutWithAParameterSendsThatManyDeltas() throws Exception {
    String bytes = rawExchange(Format.ANTHROPIC, Format.ANTHROPIC.body("[fault:cut@4]", true));

    assertThat(bytes.split("event: content_block_delta", -1)).hasSize(5);
  }

  /** One request on a fresh socket; everything the upstream sends until it closes. */
  private String rawExchange(Format format, String body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", upstream.port())) {
      s.setSoTimeout(5000);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      s.getOutputStream().write(("POST " + format.path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().write(b);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void cutEndsAWholeAnswerMidBody(Format format) {
    assertThatThrownBy(() -> send(format, "[fault:cut]", false)).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void malformedJsonIsA200ThatIsNotJson(Format format) throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> r = send(format, "[fault:malformed-json]", stream);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(parseOrNull(r.body())).as(r.body()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void malformedSseBreaksOneDataLineMidStream(Format format) throws Exception {
    Events e = stream(format, "[fault:malformed-sse]");

    List<String> broken = e.data().stream().filter(d -> !d.equals("[DONE]") && parseOrNull(d) == null).toList();
    assertThat(broken).hasSize(1);
    assertThat(e.data().indexOf(broken.getFirst())).as("after the start and one delta").isGreaterThan(1);
    assertThat(e.brokeOff()).isFalse();
  }

  @Test
  void midStreamErrorIsAnAnthropicErrorEvent() throws Exception {
    Events e = stream(Format.ANTHROPIC, "[fault:mid-stream-error]");

    assertThat(e.names()).contains("content_block_delta").endsWith("error").doesNotContain("message_stop");
    JsonNode error = json(e.data().getLast());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("overloaded_error");
    assertThat(e.brokeOff()).isFalse();
  }

  @Test
  void midStreamErrorIsAnOpenAiChunkWithAnErrorObject() throws Exception {
    Events e = stream(Format.OPENAI, "[fault:mid-stream-error]");

    assertThat(e.data()).doesNotContain("[DONE]");
    JsonNode error = json(e.data().getLast());
    assertThat(error.at("/error/message").isTextual()).isTrue();
    assertThat(error.at("/error/type").asText()).isEqualTo("server_error");
    assertThat(e.text(Format.OPENAI)).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aCountedDirectiveFailsOnlyTheFirstNRequestsWithItsToken(Format format) throws Exception {
    String prompt = "Hello [fault:500x2:job-7]";

    assertThat(send(format, prompt, false).statusCode()).isEqualTo(500);
    assertThat(send(format, "other [fault:500x1:job-8]", false).statusCode()).isEqualTo(500);
    assertThat(send(format, prompt, true).statusCode()).isEqualTo(500);
    assertThat(send(format, prompt, false).statusCode()).isEqualTo(200);
    assertThat(send(format, prompt, true).statusCode()).isEqualTo(200);
    assertThat(send(format, "plain [fault:500]", false).statusCode()).as("uncounted: every time").isEqualTo(500);
    assertThat(send(format, "plain [fault:500]", false).statusCode()).isEqualTo(500);
  }

  @Test
  void deploymentsStartedBesideOneAnotherCountTokensTogether() throws Exception {
    try (FaultyUpstream second = FaultyUpstream.startBeside(upstream)) {
      String body = Format.OPENAI.body("[fault:502x1:shared]", false);
      assertThat(send(Format.OPENAI, "[fault:502x1:shared]", false).statusCode()).isEqualTo(502);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(second.baseUrl() + Format.OPENAI.path))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aDirectiveOnlyCountsInTheLastUserMessage() throws Exception {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"[fault:500]\"},{\"role\":"
        + "\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"again\"}]}";
    HttpResponse<String> r = http.send(request(Format.OPENAI, body, Duration.ofSeconds(5)),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void aMisspeltDirectiveIsA400NamingTheAcceptedFaults() throws Exception {
    HttpResponse<String> r = send(Format.ANTHROPIC, "[fault:overload]", false);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/message").asText()).contains("mid-stream-error", "429");
  }

  @Test
  void aScheduledFaultWinsOverADirective() throws Exception {
    upstream.next(Fault.of(Fault.Kind.HTTP_502));

    assertThat(send(Format.OPENAI, "[fault:500]", false).statusCode()).isEqualTo(502);
    assertThat(send(Format.OPENAI, "[fault:500]", false).statusCode()).isEqualTo(500);
  }

  @Test
  void aRandomDefaultFaultFollowsItsSeed() throws Exception {
    List<Integer> first = statuses(upstream.failRandomly(Fault.of(Fault.Kind.HTTP_503), 0.5, 42));
    List<Integer> again = statuses(upstream.failRandomly(Fault.of(Fault.Kind.HTTP_503), 0.5, 42));

    assertThat(first).isEqualTo(again).contains(200, 503);
    assertThat(statuses(upstream.failRandomly(Fault.of(Fault.Kind.HTTP_503), 1, 1))).containsOnly(503);
    assertThat(statuses(upstream.failRandomly(Fault.of(Fault.Kind.HTTP_503), 0, 1))).containsOnly(200);
  }

  private List<Integer> statuses(FaultyUpstream u) throws Exception {
    List<Integer> s = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      s.add(send(Format.OPENAI, "Hi", false).statusCode());
    }
    return s;
  }

  @Test
  void recordsEveryRequestWithItsPathBodyTimeAndFault() throws Exception {
    send(Format.OPENAI, "one", false);
    send(Format.ANTHROPIC, "two [fault:429]", false);
    send(Format.ANTHROPIC, "three", true);

    assertThat(upstream.count()).isEqualTo(3);
    assertThat(upstream.count("/v1/messages")).isEqualTo(2);
    assertThat(upstream.count("/v1/chat/completions")).isEqualTo(1);
    List<FaultyUpstream.Received> r = upstream.requests();
    assertThat(r).extracting(FaultyUpstream.Received::sequence).containsExactly(1, 2, 3);
    assertThat(r.get(0).json().at("/messages/1/content").asText()).isEqualTo("one");
    assertThat(r.get(1).fault()).isEqualTo(Fault.parse("429"));
    assertThat(r.get(2).fault()).isEqualTo(Fault.NONE);
    assertThat(r.get(2).json().path("stream").asBoolean()).isTrue();
    assertThat(r.get(0).arrived()).isBeforeOrEqualTo(r.get(1).arrived());
    assertThat(r.get(1).headers()).containsEntry("content-type", "application/json");
  }

  @Test
  void refusesARequestWithoutMessagesInTheFormatsShape() throws Exception {
    HttpResponse<String> r = http.send(request(Format.ANTHROPIC, "{\"model\":\"m\",\"max_tokens\":5}",
        Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void readsChunkedBodiesAndKeepsTheConnectionAlive() throws Exception {
    String body = Format.OPENAI.body("Hi", false);
    String half = body.substring(0, body.length() / 2);
    String rest = body.substring(body.length() / 2);
    String chunked = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n" + Integer.toHexString(rest.length()) + "\r\n"
        + rest + "\r\n0\r\n\r\n";
    try (Socket s = new Socket("127.0.0.1", upstream.port())) {
      s.setSoTimeout(5000);
      for (int i = 0; i < 2; i++) {
        s.getOutputStream().write(chunked.getBytes(StandardCharsets.UTF_8));
        assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200 OK").contains(FaultyUpstream.DEFAULT_ANSWER);
      }
    }
    assertThat(upstream.count()).isEqualTo(2);
  }

  /** One Content-Length response, read byte by byte so that nothing of the next is consumed. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("response so far: " + head).isNotNegative();
      head.append((char) b);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
    assertThat(m.find()).isTrue();
    return head + new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
  }

  @Test
  void answersAClientThatWaitsForContinueBeforeItsBody() throws Exception {
    HttpClient expecting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = expecting.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + Format.OPENAI.path))
        .expectContinue(true).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(Format.OPENAI.body("Hi", false))).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    expecting.close();
  }

  @Test
  void anUnknownPathIsA404() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/v1/embeddings"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r.body()).at("/error/message").asText()).contains("/v1/messages");
  }

  @Test
  void parsesFaultNamesAsDirectivesWriteThem() {
    assertThat(Fault.parse("429@2")).isEqualTo(Fault.of(Fault.Kind.HTTP_429, 2));
    assertThat(Fault.parse("slow@1500").delayMillis()).isEqualTo(1500);
    assertThat(Fault.parse("stall").delayMillis()).isEqualTo(1000);
    assertThat(Fault.parse("429").retryAfterSeconds()).hasValue(1);
    assertThat(Fault.parse("malformed-sse").kind()).isEqualTo(Fault.Kind.MALFORMED_SSE);
    assertThat(FaultDirective.find("x [fault:slowx3:t1] y").orElseThrow())
        .isEqualTo(new FaultDirective(Fault.of(Fault.Kind.SLOW), java.util.OptionalInt.of(3), "t1"));
    assertThat(FaultDirective.firstTimes(Fault.parse("429@2"), 1, "abc")).isEqualTo("[fault:429@2x1:abc]");
    assertThatThrownBy(() -> Fault.parse("reset@3")).hasMessageContaining("no parameter");
    assertThatThrownBy(() -> Fault.parse("teapot")).hasMessageContaining("accepted");
  }

  private void awaitCancelled(int n) throws InterruptedException {
    for (int i = 0; i < 100 && upstream.cancelled() < n; i++) {
      Thread.sleep(50);
    }
    assertThat(upstream.cancelled()).isEqualTo(n);
  }

  private void awaitRequests(int n) throws InterruptedException {
    for (int i = 0; i < 100 && upstream.count() < n; i++) {
      Thread.sleep(50);
    }
    assertThat(upstream.count()).isEqualTo(n);
  }
}
