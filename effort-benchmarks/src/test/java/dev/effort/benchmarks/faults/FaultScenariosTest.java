package dev.effort.benchmarks.faults;

import dev.effort.benchmarks.faults.ScenarioClient.Api;
import dev.effort.benchmarks.faults.ScenarioClient.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promises of the README's "When upstreams fail", through the real gateway (governance on) in
 * front of faulty upstreams, for each upstream failure and each client (OpenAI and Anthropic
 * format, whole and streamed): a failure on the first try is retried and the answer charged; a
 * deployment down is failed over; a model down is answered by its stand-in; everything down is a
 * 502 in the client's format; a long 429 reaches the client with its retry-after.
 *
 * <p>A streamed answer that broke off after some of it reached the client cannot be retried; those
 * faults (cut, malformed SSE, an error mid-stream) on streams are {@link FaultScenariosDeadlineTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultScenariosTest {

  /**
   * Every way an upstream call can fail (hang and slow are the deadline tests'); {@code cut@0}: a
   * stream that closes after its start, before any text.
   */
  static final List<String> FAILURES = List.of("500", "502", "503", "529", "429@1", "reset", "malformed-json",
      "malformed-sse", "mid-stream-error", "cut", "cut@0");
  /** Faults that break a stream after its first text: on a stream, the client has part of the answer. */
  static final Set<String> MID_STREAM = Set.of("malformed-sse", "mid-stream-error", "cut");

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
  void heal() {
    gw.heal();
  }

  /** Each failure with each client, but the mid-stream faults only with whole answers. */
  static Stream<Arguments> failuresBeforeTheAnswer() {
    return FAILURES.stream().flatMap(f -> ScenarioClient.clients()
        .filter(c -> !(MID_STREAM.contains(f) && (boolean) c.get()[1]))
        .map(c -> Arguments.of(f, c.get()[0], c.get()[1])));
  }

  /** As {@link #failuresBeforeTheAnswer()}, without the 429s (which reach the client as 429s, not 502s). */
  static Stream<Arguments> failuresBeforeTheAnswerBut429() {
    return failuresBeforeTheAnswer().filter(a -> !((String) a.get()[0]).startsWith("429"));
  }

  @ParameterizedTest(name = "{0} on the first try, {1} stream={2}")
  @MethodSource("failuresBeforeTheAnswer")
  void aFailedFirstTryIsFailedOverAndTheAnswerCharged(String fault, Api api, boolean stream) {
    long before = gw.lastRowId();
    double spent = gw.spentToday();
    String metricsBefore = gw.metrics();

    Reply r = gw.send(api, stream, "What colour is the sky? "
        + FaultDirective.firstTimes(Fault.parse(fault), 1, ScenarioGateway.token(fault)));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<JsonNode> attempts = r.attempts();
    assertThat(attempts).as("attempts: %s", attempts).hasSize(2);
    JsonNode failed = attempts.get(0);
    JsonNode answered = attempts.get(1);
    assertThat(failed.path("outcome").asText()).as(failed.toString()).isEqualTo("failed");
    assertThat(failed.path("model").asText()).isEqualTo(ScenarioGateway.M);
    assertThat(failed.path("detail").asText()).as("why it failed").isNotBlank();
    assertThat(answered.path("outcome").asText()).as(answered.toString()).isEqualTo("answered");
    assertThat(answered.path("model").asText()).isEqualTo(ScenarioGateway.M);
    assertThat(answered.path("deployment").asText()).as("at once to the deployment not yet tried")
        .isNotEqualTo(failed.path("deployment").asText());
    assertThat(r.text()).isEqualTo(gw.answers.get(answered.path("deployment").asText()));
    if (stream) {
      assertThat(r.endedCleanly()).as(r.body()).isTrue();
      assertThat(r.streamError()).isNull();
    }
    assertAnswerCharged(r, before, spent);
    String metrics = gw.metrics();
    String failedOn = failed.path("deployment").asText();
    String answeredOn = answered.path("deployment").asText();
    assertThat(grew(metricsBefore, metrics, "effort_upstream_attempts_total", "m", failedOn, "failed")).isEqualTo(1);
    assertThat(grew(metricsBefore, metrics, "effort_upstream_attempts_total", "m", answeredOn, "answered")).isEqualTo(1);
    assertThat(grew(metricsBefore, metrics, "effort_retries_total", "m", answeredOn, null)).isEqualTo(1);
  }

  /** How much a counter of {@code model} and {@code deployment} (and {@code outcome}, unless null) grew. */
  private static double grew(String before, String after, String name, String model, String deployment, String outcome) {
    return ScenarioGateway.sample(after, name, model, deployment, outcome)
        - ScenarioGateway.sample(before, name, model, deployment, outcome);
  }

  @ParameterizedTest(name = "deployment a {0}, {1} stream={2}")
  @MethodSource("failuresBeforeTheAnswer")
  void aDeploymentDownIsFailedOverAndCalledAtMostOncePerRequest(String fault, Api api, boolean stream) {
    gw.down(gw.a, Fault.parse(fault));
    for (int i = 0; i < 3; i++) {
      int calledA = gw.a.count();
      long before = gw.lastRowId();
      double spent = gw.spentToday();

      Reply r = gw.send(api, stream, "What colour is the sky?");

      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(gw.answers.get("b"));
      assertThat(gw.a.count() - calledA).as("calls to the deployment that is down").isLessThanOrEqualTo(1);
      List<JsonNode> attempts = r.attempts();
      assertThat(attempts.getLast().path("outcome").asText()).isEqualTo("answered");
      assertThat(attempts.getLast().path("deployment").asText()).isEqualTo("b");
      assertThat(attempts.subList(0, attempts.size() - 1)).as("attempts: %s", attempts)
          .allSatisfy(a -> {
            assertThat(a.path("deployment").asText()).isEqualTo("a");
            assertThat(a.path("outcome").asText()).isEqualTo("failed");
          });
      assertAnswerCharged(r, before, spent);
    }
  }

  @ParameterizedTest(name = "a and b {0}, {1} stream={2}")
  @MethodSource("failuresBeforeTheAnswer")
  void aModelDownIsAnsweredByItsStandIn(String fault, Api api, boolean stream) {
    gw.down(gw.a, Fault.parse(fault));
    gw.down(gw.b, Fault.parse(fault));
    long before = gw.lastRowId();
    double spent = gw.spentToday();
    double fallbacks = ScenarioGateway.total(gw.metrics(), "effort_fallbacks_total");

    Reply r = gw.send(api, stream, "What colour is the sky?");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.text()).isEqualTo(gw.answers.get("c"));
    assertThat(r.header("Effort-Fallback")).as("Effort-Fallback: %s", r.headers().map()).isNotBlank();
    assertThat(r.header("Effort-Plan")).as("the plan that ran").contains(ScenarioGateway.M2);
    assertThat(ScenarioGateway.total(gw.metrics(), "effort_fallbacks_total") - fallbacks).isEqualTo(1);
    assertThat(r.effort().path("fallback").asText()).as(r.effort().toString()).isNotBlank();
    if (!stream) {
      assertThat(r.header("Effort-Model")).isEqualTo(ScenarioGateway.M2);
    }
    List<JsonNode> attempts = r.attempts();
    assertThat(attempts).as("attempts: %s", attempts).hasSizeGreaterThanOrEqualTo(3);
    assertThat(attempts.getLast().path("model").asText()).isEqualTo(ScenarioGateway.M2);
    assertThat(attempts.getLast().path("outcome").asText()).isEqualTo("answered");
    assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(a -> {
      assertThat(a.path("model").asText()).isEqualTo(ScenarioGateway.M);
      assertThat(a.path("outcome").asText()).isEqualTo("failed");
    });
    assertThat(attempts.stream().map(a -> a.path("deployment").asText())).as("both deployments of m tried")
        .contains("a", "b");
    if (stream) {
      assertThat(r.endedCleanly()).as(r.body()).isTrue();
    }
    assertAnswerCharged(r, before, spent);
  }

  /** As {@link #failuresBeforeTheAnswer()}, with a 429 that asks for less than the backoff (so it is waited for). */
  static Stream<Arguments> failuresBeforeTheAnswerWithShort429() {
    return failuresBeforeTheAnswer()
        .map(a -> a.get()[0].equals("429@1") ? Arguments.of("429@0", a.get()[1], a.get()[2]) : a);
  }

  @ParameterizedTest(name = "a and b 500, the stand-in {0} once, {1} stream={2}")
  @MethodSource("failuresBeforeTheAnswerWithShort429")
  void aStandInsFailedFirstTryIsRetriedAfterABackoff(String fault, Api api, boolean stream) {
    gw.down(gw.a, Fault.parse("500"));
    gw.down(gw.b, Fault.parse("500"));
    gw.c.next(Fault.parse(fault)); // its one deployment: the Anthropic-format upstream
    long before = gw.lastRowId();
    double spent = gw.spentToday();

    Reply r = gw.send(api, stream, "What colour is the sky?");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.text()).isEqualTo(gw.answers.get("c"));
    assertThat(r.header("Effort-Fallback")).isNotBlank();
    List<JsonNode> onC = r.attempts().stream().filter(a -> a.path("deployment").asText().equals("c")).toList();
    assertThat(onC).as("attempts: %s", r.attempts()).hasSize(2);
    assertThat(onC.get(0).path("outcome").asText()).isEqualTo("failed");
    assertThat(onC.get(1).path("outcome").asText()).isEqualTo("answered");
    if (stream) {
      assertThat(r.endedCleanly()).as(r.body()).isTrue();
    }
    assertAnswerCharged(r, before, spent);
  }

  @ParameterizedTest(name = "everything {0}, {1} stream={2}")
  @MethodSource("failuresBeforeTheAnswerBut429")
  void everythingDownIsA502InTheClientsFormat(String fault, Api api, boolean stream) {
    long before = gw.lastRowId();
    double spent = gw.spentToday();
    int calledM = gw.a.count() + gw.b.count();
    int calledM2 = gw.c.count();

    Reply r = gw.send(api, stream, "What colour is the sky? " + FaultDirective.always(Fault.parse(fault)));

    assertThat(r.status()).as(r.toString()).isEqualTo(502);
    r.assertErrorInClientFormat();
    assertThat(gw.a.count() + gw.b.count() - calledM).as("calls to m's deployments").isGreaterThanOrEqualTo(2);
    assertThat(gw.c.count() - calledM2).as("calls to the stand-in").isGreaterThanOrEqualTo(1);
    ScenarioGateway.Row row = gw.rowAfter(before);
    assertThat(row.status()).isEqualTo(502);
    assertThat(row.keyId()).isEqualTo(gw.key.key().id());
    assertThat(row.error()).isNotBlank();
    String message = r.json().path("error").path("message").asText();
    assertThat(message).as("names the last failure, the stand-in's").contains("provider c");
    assertThat(row.error()).isEqualTo(message);
    // Refused outright (an HTTP error, a reset, a body that is not an answer): nothing to pay.
    assertThat(row.costUsd()).isZero();
    assertThat(gw.spentToday() - spent).as("the key's spend").isCloseTo(row.costUsd(), within(1e-12));
  }

  @ParameterizedTest(name = "{0} stream={1}")
  @MethodSource("dev.effort.benchmarks.faults.ScenarioClient#clients")
  void a429LongerThanTheBackoffReachesTheClientWithItsRetryAfter(Api api, boolean stream) {
    long before = gw.lastRowId();
    int calledM = gw.a.count() + gw.b.count();
    int calledM2 = gw.c.count();

    Reply r = gw.send(api, stream, "What colour is the sky? " + FaultDirective.always(Fault.parse("429@3")));

    assertThat(r.status()).as(r.toString()).isEqualTo(429);
    r.assertErrorInClientFormat();
    assertThat(r.header("retry-after")).as("retry-after: %s", r.headers().map()).isEqualTo("3");
    // Each deployment and the stand-in once: none is waited for, as each asks for longer than backoff_max_ms.
    assertThat(gw.a.count() + gw.b.count() - calledM).isEqualTo(2);
    assertThat(gw.c.count() - calledM2).isEqualTo(1);
    assertThat(gw.rowAfter(before).status()).isEqualTo(429);
  }

  @ParameterizedTest(name = "{0} stream={1}")
  @MethodSource("dev.effort.benchmarks.faults.ScenarioClient#clients")
  void a429OutlastingTheRetriesReachesTheClientWithARetryAfter(Api api, boolean stream) {
    long before = gw.lastRowId();
    int calledM = gw.a.count() + gw.b.count();

    Reply r = gw.send(api, stream, "What colour is the sky? " + FaultDirective.always(Fault.parse("429@0")));

    assertThat(r.status()).as(r.toString()).isEqualTo(429);
    r.assertErrorInClientFormat();
    assertThat(r.header("retry-after")).as("retry-after: %s", r.headers().map()).isNotBlank();
    assertThat(Long.parseLong(r.header("retry-after"))).isPositive();
    assertThat(gw.a.count() + gw.b.count() - calledM).as("m tried once and retried twice").isEqualTo(3);
    assertThat(gw.rowAfter(before).status()).isEqualTo(429);
  }

  /**
   * The request's ledger row has status 200 and the answer's cost (every attempt's, as the
   * {@code effort} object lists them), and the key's spend grew by just that.
   */
  private void assertAnswerCharged(Reply r, long before, double spentBefore) {
    ScenarioGateway.Row row = gw.rowAfter(before);
    assertThat(row.status()).isEqualTo(200);
    assertThat(row.keyId()).isEqualTo(gw.key.key().id());
    assertThat(row.api()).isEqualTo(r.api().name().toLowerCase(java.util.Locale.ROOT));
    double answerCost = r.effort().path("cost_usd").asDouble(-1);
    assertThat(answerCost).as("the answer's cost: %s", r.effort()).isPositive();
    assertThat(row.costUsd()).as("the ledger row's cost").isCloseTo(answerCost, within(1e-12));
    double attemptsCost = r.attempts().stream().mapToDouble(a -> a.path("cost_usd").asDouble()).sum();
    assertThat(attemptsCost).as("the attempts' costs").isCloseTo(answerCost, within(1e-12));
    if (!r.streamed()) {
      assertThat(Double.parseDouble(r.header("Effort-Cost-Usd"))).isCloseTo(answerCost, within(1e-8));
    }
    assertThat(gw.spentToday() - spentBefore).as("the key's spend").isCloseTo(row.costUsd(), within(1e-12));
  }
}
