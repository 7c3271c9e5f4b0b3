package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.benchmarks.faults.ScenarioClient.Api;
import dev.effort.benchmarks.faults.ScenarioClient.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients that misbehave, while the upstreams fail too: bad input is refused in the client's
 * format, and a client that leaves mid-stream or mid-call is recorded; none of it is ever an HTTP
 * 500 (checked after every test, in the ledger and in {@code /metrics}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultScenariosClientTest {
  private ScenarioGateway gw;

  @BeforeAll
  void start() throws IOException {
    gw = ScenarioGateway.start();
  }

  @AfterAll
  void stop() {
    gw.close();
  }

  @AfterEach
  void neverA500() {
    gw.heal();
    assertThat(gw.rowsByStatus()).as("ledger rows by status").doesNotContainKey(500);
    String metrics = gw.get("/metrics", true).body();
    assertThat(metrics.lines().filter(l -> l.startsWith("effort_requests_total{") && l.contains("status=\"500\"")))
        .as("requests answered 500").isEmpty();
  }

  /** The soak's bad inputs, in each format, whole and streamed. */
  static Stream<Arguments> badBodies() {
    return SoakRequests.FUZZ.stream().flatMap(what -> ScenarioClient.clients()
        .map(c -> Arguments.of(what, c.get()[0], c.get()[1])));
  }

  @ParameterizedTest(name = "{0}, {1} stream={2}")
  @MethodSource("badBodies")
  void badInputIsRefusedInTheClientsFormat(String what, Api api, boolean stream) throws Exception {
    HttpRequest.Builder b = api.request(gw.uri(api.path), gw.key.secret()).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(SoakRequests.fuzz(what, api == Api.ANTHROPIC, stream)));
    if (what.equals("unknown-effort")) {
      b.header("Effort", "turbo");
    }

    Reply r = ScenarioClient.read(api, gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString()), 0);

    assertThat(r.status()).as(r.toString()).isBetween(400, 499);
    r.assertErrorInClientFormat();
  }

  /** Bad headers, and keys missing or unknown. */
  static Stream<Arguments> badHeaders() {
    return Stream.of(Api.OPENAI, Api.ANTHROPIC).flatMap(api -> Stream.of(
        Arguments.of(api, List.of("Effort-Deadline", "soon")),
        Arguments.of(api, List.of("Effort-Deadline", "-5s")),
        Arguments.of(api, List.of("Effort-TTFT-Deadline", "banana")),
        Arguments.of(api, List.of("Effort-TTFT-Deadline", "99999999999999999999ms")),
        Arguments.of(api, List.of("Effort-Max-Cost-Usd", "NaN")),
        Arguments.of(api, List.of("Effort", "turbo")),
        Arguments.of(api, List.of(api == Api.OPENAI ? "Authorization" : "x-api-key",
            (api == Api.OPENAI ? "Bearer " : "") + "ek_not_a_key"))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badHeaders")
  void badHeadersAreRefusedInTheClientsFormat(Api api, List<String> header) throws Exception {
    HttpRequest.Builder b = api.request(gw.uri(api.path), gw.key.secret()).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(api.body("What colour is the sky?", false)));
    b.setHeader(header.get(0), header.get(1));

    Reply r = ScenarioClient.read(api, gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString()), 0);

    assertThat(r.status()).as(r.toString()).isBetween(400, 499);
    r.assertErrorInClientFormat();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apis")
  void aClientLeavingMidStreamIsRecordedAndItsUpstreamCallClosed(Api api) throws Exception {
    gw.a.eventGap(Duration.ofMillis(100));
    gw.b.eventGap(Duration.ofMillis(100));
    long before = gw.lastRowId();
    int cancelled = gw.cancelled();
    HttpRequest request = api.request(gw.uri(api.path), gw.key.secret()).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(api.body("Tell me about the sky.", true))).build();

    HttpResponse<InputStream> response = gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null && !line.contains("Deployment")) {
        // on to the first text
      }
      assertThat(line).as("a first text").isNotNull();
    } // closed mid-stream: the connection goes with it

    ScenarioGateway.Row row = awaitRowAfter(before);
    assertThat(row.status()).as("the row of a client that left: %s", row).isEqualTo(499);
    assertThat(row.costUsd()).as("what was streamed before it left").isPositive();
    assertThat(ScenarioGateway.awaitAtLeast(gw::cancelled, cancelled + 1)).as("upstream calls closed by the gateway")
        .isGreaterThan(cancelled);
  }

  @ParameterizedTest(name = "{0} stream={1}")
  @MethodSource("dev.effort.benchmarks.faults.ScenarioClient#clients")
  void aClientGivingUpOnAHungCallIsNeverA500(Api api, boolean stream) throws Exception {
    long before = gw.lastRowId();
    HttpRequest request = api.request(gw.uri(api.path), gw.key.secret()).timeout(Duration.ofMillis(300))
        .header("Effort-Deadline", "1s")
        .POST(HttpRequest.BodyPublishers.ofString(api.body("What colour is the sky? [fault:hang]", stream))).build();

    try {
      HttpResponse<String> r = gw.http.send(request, HttpResponse.BodyHandlers.ofString());
      throw new AssertionError("an answer to a hung call within 300 ms: " + r.statusCode() + " " + r.body());
    } catch (HttpTimeoutException expected) {
      // the client gave up and closed its connection
    }

    ScenarioGateway.Row row = awaitRowAfter(before);
    assertThat(row.status()).as("the row of a client that gave up: %s", row).isIn(499, 504);
    Reply next = gw.send(api, stream, "What colour is the sky?");
    assertThat(next.status()).as("the next request: %s", next).isEqualTo(200);
  }

  static Stream<Api> apis() {
    return Stream.of(Api.OPENAI, Api.ANTHROPIC);
  }

  /** The request's row, once written (a client that left is recorded when the gateway notices). */
  private ScenarioGateway.Row awaitRowAfter(long before) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (gw.lastRowId() == before && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    return gw.rowAfter(before);
  }
}
