package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.benchmarks.faults.ScenarioClient.Api;
import dev.effort.benchmarks.faults.ScenarioClient.Reply;
import java.io.IOException;
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
 * Time and streams, through the real gateway in front of faulty upstreams: a hung upstream under
 * {@code Effort-Deadline} is a 504 and its call is closed; a late first token under
 * {@code Effort-TTFT-Deadline} is hedged on the other deployment and the loser cancelled; a stream
 * that breaks off after part of the answer reached the client ends with the format's error event
 * and is charged what it streamed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultScenariosDeadlineTest {

  /** How long a hung request may take to be answered: the 1 s deadline and a generous slack. */
  private static final long HANG_ANSWERED_WITHIN_MS = 10_000;

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

  @ParameterizedTest(name = "{0} stream={1}")
  @MethodSource("dev.effort.benchmarks.faults.ScenarioClient#clients")
  void aHangPastTheDeadlineIsA504AndTheHungCallClosed(Api api, boolean stream) {
    long before = gw.lastRowId();
    double spent = gw.spentToday();
    int cancelled = gw.cancelled();

    Reply r = gw.send(api, stream, "What colour is the sky? " + FaultDirective.always(Fault.of(Fault.Kind.HANG)),
        "Effort-Deadline", "1s");

    assertThat(r.status()).as(r.toString()).isEqualTo(504);
    r.assertErrorInClientFormat();
    if (api == Api.ANTHROPIC) {
      assertThat(r.json().path("error").path("type").asText()).isEqualTo("timeout_error");
    }
    assertThat(r.millis()).as("ms to the 504").isLessThan(HANG_ANSWERED_WITHIN_MS);
    assertThat(ScenarioGateway.awaitAtLeast(gw::cancelled, cancelled + 1)).as("hung upstream calls closed by the gateway")
        .isGreaterThan(cancelled);
    ScenarioGateway.Row row = gw.rowAfter(before);
    assertThat(row.status()).isEqualTo(504);
    assertThat(gw.spentToday() - spent).as("the key's spend").isCloseTo(row.costUsd(), within(1e-12));
  }

  /**
   * A first token 5 s late, held back before the status line ({@code slow}) or after a stream's
   * start ({@code stall}), or never coming ({@code hang}).
   */
  static Stream<Arguments> lateFirstTokens() {
    return Stream.of("stall@5000", "slow@5000", "hang").flatMap(f -> ScenarioClient.clients()
        .map(c -> Arguments.of(f, c.get()[0], c.get()[1])));
  }

  @ParameterizedTest(name = "{0} on the first try, {1} stream={2}")
  @MethodSource("lateFirstTokens")
  void aLateFirstTokenIsHedgedOnTheOtherDeploymentAndTheLoserCancelled(String fault, Api api, boolean stream) {
    String token = ScenarioGateway.token(fault);
    long before = gw.lastRowId();
    double spent = gw.spentToday();

    Reply r = gw.send(api, stream, "What colour is the sky? " + FaultDirective.firstTimes(Fault.parse(fault), 1, token),
        "Effort-TTFT-Deadline", "200ms");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    FaultyUpstream late = lateOne(token);
    FaultyUpstream other = late == gw.a ? gw.b : gw.a;
    String lateName = gw.name(late);
    String otherName = gw.name(other);
    assertThat(r.text()).as("answered by the hedge on %s", otherName).isEqualTo(gw.answers.get(otherName));
    assertThat(ScenarioGateway.awaitAtLeast(late::cancelled, 1)).as("the late call closed by the gateway").isPositive();
    List<JsonNode> attempts = r.attempts();
    assertThat(attempts).as("attempts: %s", attempts).anySatisfy(a -> {
      assertThat(a.path("deployment").asText()).isEqualTo(lateName);
      assertThat(a.path("outcome").asText()).isEqualTo("cancelled");
      // An upstream may bill the prompt of a call it was sent.
      assertThat(a.path("cost_usd").asDouble()).isPositive();
    });
    assertThat(attempts).anySatisfy(a -> {
      assertThat(a.path("deployment").asText()).isEqualTo(otherName);
      assertThat(a.path("outcome").asText()).isEqualTo("answered");
    });
    if (stream) {
      assertThat(r.endedCleanly()).as(r.body()).isTrue();
    }
    ScenarioGateway.Row row = gw.rowAfter(before);
    assertThat(row.status()).isEqualTo(200);
    assertThat(row.costUsd()).isCloseTo(r.effort().path("cost_usd").asDouble(), within(1e-12));
    assertThat(gw.spentToday() - spent).as("the key's spend").isCloseTo(row.costUsd(), within(1e-12));
  }

  @ParameterizedTest(name = "{0} stream={1}")
  @MethodSource("dev.effort.benchmarks.faults.ScenarioClient#clients")
  void aLateFirstTokenOfAModelWithOneDeploymentIsHedgedOnTheSameOne(Api api, boolean stream) {
    gw.down(gw.a, Fault.parse("500"));
    gw.down(gw.b, Fault.parse("500"));
    gw.c.next(Fault.parse("stall@5000")); // m2, the stand-in, has only c
    int cancelled = gw.c.cancelled();

    Reply r = gw.send(api, stream, "What colour is the sky?", "Effort-TTFT-Deadline", "200ms");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.text()).isEqualTo(gw.answers.get("c"));
    List<JsonNode> onC = r.attempts().stream().filter(a -> a.path("deployment").asText().equals("c")).toList();
    assertThat(onC).as("attempts: %s", r.attempts()).extracting(a -> a.path("outcome").asText())
        .containsExactlyInAnyOrder("cancelled", "answered");
    assertThat(ScenarioGateway.awaitAtLeast(gw.c::cancelled, cancelled + 1)).isGreaterThan(cancelled);
  }

  /** The deployment of {@code m} whose request carrying {@code token} got the fault. */
  private FaultyUpstream lateOne(String token) {
    List<FaultyUpstream> late = Stream.of(gw.a, gw.b).filter(u -> u.requests().stream()
        .anyMatch(q -> q.body().contains(token) && q.fault().kind() != Fault.Kind.NONE)).toList();
    assertThat(late).as("one deployment got the late first token").hasSize(1);
    return late.get(0);
  }

  /**
   * Streams that break after their first text (closed, a broken event, an error event), from
   * {@code m}'s OpenAI-compatible deployments or, both of those down, from the stand-in's
   * Anthropic-format one.
   */
  static Stream<Arguments> brokenStreams() {
    return Stream.of("cut", "malformed-sse", "mid-stream-error").flatMap(f -> Stream.of(false, true)
        .flatMap(standIn -> Stream.of(Arguments.of(f, standIn, Api.OPENAI), Arguments.of(f, standIn, Api.ANTHROPIC))));
  }

  @ParameterizedTest(name = "{0}, from the stand-in {1}, {2}")
  @MethodSource("brokenStreams")
  void aStreamBrokenAfterPartOfTheAnswerEndsWithTheFormatsErrorEventAndIsCharged(String fault, boolean standIn,
      Api api) {
    // A pause between events, so that the first text has reached the client when the break comes.
    // Without it, a cut sometimes loses the deltas just before it inside the gateway (the JDK's
    // HttpResponseInputStream drops the buffers it holds once the connection fails), and the gateway
    // then fails over invisibly, which is allowed: nothing had reached the client.
    for (FaultyUpstream u : List.of(gw.a, gw.b, gw.c)) {
      u.eventGap(Duration.ofMillis(100));
    }
    String prompt = "What colour is the sky?";
    if (standIn) {
      gw.down(gw.a, Fault.parse("500"));
      gw.down(gw.b, Fault.parse("500"));
      gw.down(gw.c, Fault.parse(fault));
    } else {
      prompt += " " + FaultDirective.always(Fault.parse(fault));
    }
    FaultyUpstream broken = standIn ? gw.c : null;
    long before = gw.lastRowId();
    double spent = gw.spentToday();
    int called = standIn ? gw.c.count() : gw.a.count() + gw.b.count() + gw.c.count();
    var counts = gw.counts();

    Reply r = gw.send(api, true, prompt);

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.streamed()).isTrue();
    String part = r.text();
    assertThat(part).as("part of the answer reached the client").isNotEmpty();
    assertThat(gw.answers.values()).as("'%s' begins an answer", part).anyMatch(a -> a.startsWith(part) && !a.equals(part));
    assertThat(r.endedCleanly()).as("a clean end after a broken answer: %s", r.body()).isFalse();
    JsonNode error = r.streamError();
    assertThat(error).as("the format's error event in %s", r.body()).isNotNull();
    if (api == Api.OPENAI) {
      assertThat(error.path("error").path("message").asText()).isNotBlank();
    } else {
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("error").path("type").asText()).isNotBlank();
    }
    assertThat(r.events().getLast().json()).as("the error event ends the stream").isEqualTo(error);
    assertThat((broken != null ? broken.count() : gw.a.count() + gw.b.count() + gw.c.count()) - called)
        .as("no retry once the answer began: %s", gw.arrivalsSince(counts)).isEqualTo(1);
    if (standIn) {
      assertThat(r.header("Effort-Fallback")).isNotBlank();
    }
    ScenarioGateway.Row row = gw.rowAfter(before);
    assertThat(row.status()).as("the ledger row's status").isEqualTo(502);
    assertThat(row.costUsd()).as("what the broken stream cost").isPositive();
    assertThat(gw.spentToday() - spent).as("the key's spend").isCloseTo(row.costUsd(), within(1e-12));
  }
}
