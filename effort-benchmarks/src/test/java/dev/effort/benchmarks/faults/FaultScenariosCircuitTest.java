package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.benchmarks.faults.ScenarioClient.Api;
import dev.effort.benchmarks.faults.ScenarioClient.Reply;
import dev.effort.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Circuit breakers through the real gateway: a deployment that keeps failing has its circuit
 * opened, shown in {@code /healthz} and {@code /metrics}, and gets no more calls; when every circuit
 * of the plan's models is open, the client is told to come back later (503 with retry-after)
 * without any upstream being called. Each test has its own gateway, with a breaker that opens
 * after 4 calls of which half failed, and stays open for a minute.
 */
class FaultScenariosCircuitTest {
  private static final String BREAKER = "{window: 4, min_calls: 4, failure_rate: 0.5, open_ms: 60000, half_open_probes: 1}";
  private static final List<Api> APIS = List.of(Api.OPENAI, Api.ANTHROPIC);

  private ScenarioGateway gw;

  @BeforeEach
  void start() throws IOException {
    gw = ScenarioGateway.start(BREAKER, "fallback");
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void aDeploymentFailingRepeatedlyHasItsCircuitOpenedAndGetsNoMoreCalls() throws IOException {
    gw.down(gw.a, Fault.parse("503"));
    for (int i = 0; i < 20 && gw.a.count() < 4; i++) {
      Reply r = gw.send(APIS.get(i % 2), i % 3 == 0, "What colour is the sky?");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(gw.answers.get("b"));
    }
    assertThat(gw.a.count()).as("calls to a before its circuit opened").isEqualTo(4);

    JsonNode health = Json.MAPPER.readTree(gw.get("/healthz", true).body());
    assertThat(circuit(health, "m", "a")).as("/healthz: %s", health).isEqualTo("open");
    assertThat(circuit(health, "m", "b")).as("/healthz: %s", health).isEqualTo("closed");
    JsonNode anonymous = Json.MAPPER.readTree(gw.get("/healthz", false).body());
    assertThat(anonymous.has("upstreams")).as("/healthz without a key: %s", anonymous).isFalse();
    assertThat(health.path("status").asText()).as("m has a deployment up").isEqualTo("ok");
    String metrics = gw.metrics();
    assertThat(metrics).contains("effort_circuit_state{deployment=\"a\",model=\"m\"} 2.0");
    assertThat(ScenarioGateway.sample(metrics, "effort_circuit_state", "m", "a", null)).as(metrics).isEqualTo(2.0);
    assertThat(ScenarioGateway.sample(metrics, "effort_circuit_state", "m", "b", null)).isEqualTo(0.0);
    assertThat(ScenarioGateway.sample(metrics, "effort_circuit_opened_total", "m", "a", null)).isEqualTo(1.0);

    int calledA = gw.a.count();
    for (int i = 0; i < 8; i++) {
      Reply r = gw.send(APIS.get(i % 2), i / 2 % 2 == 0, "What colour is the sky?");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(gw.answers.get("b"));
      assertThat(r.attempts()).as("attempts: %s", r.attempts()).hasSize(1);
    }
    assertThat(gw.a.count()).as("calls to a while its circuit is open").isEqualTo(calledA);
  }

  @Test
  void everyCircuitOpenIsA503WithRetryAfterAndNoUpstreamCall() throws IOException {
    for (FaultyUpstream u : List.of(gw.a, gw.b, gw.c)) {
      gw.down(u, Fault.parse("500"));
    }
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 20 && !allOpen(); i++) {
      Reply r = gw.send(APIS.get(i % 2), false, "What colour is the sky?");
      statuses.add(r.status());
      assertThat(r.status()).as(r.toString()).isIn(502, 503);
    }
    assertThat(allOpen()).as("every circuit open after %s", statuses).isTrue();
    assertThat(Json.MAPPER.readTree(gw.get("/healthz", false).body()).path("status").asText()).isEqualTo("degraded");

    for (Api api : APIS) {
      for (boolean stream : List.of(false, true)) {
        var counts = gw.counts();
        long before = gw.lastRowId();

        Reply r = gw.send(api, stream, "What colour is the sky?");

        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        r.assertErrorInClientFormat();
        long retryAfter = Long.parseLong(r.header("retry-after"));
        assertThat(retryAfter).as("retry-after: when the first circuit half-opens").isBetween(1L, 60L);
        assertThat(gw.arrivalsSince(counts)).as("upstream calls").isEmpty();
        ScenarioGateway.Row row = gw.rowAfter(before);
        assertThat(row.status()).isEqualTo(503);
        assertThat(row.costUsd()).isZero();
      }
    }
  }

  @Test
  void anOpenCircuitLetsAProbeThroughAfterOpenMsAndASuccessClosesIt() throws Exception {
    gw.close();
    gw = ScenarioGateway.start("{window: 4, min_calls: 4, failure_rate: 0.5, open_ms: 300, half_open_probes: 1}",
        "fallback");
    gw.down(gw.a, Fault.parse("500"));
    for (int i = 0; i < 20 && gw.a.count() < 4; i++) {
      assertThat(gw.send(Api.OPENAI, false, "What colour is the sky?").status()).isEqualTo(200);
    }
    assertThat(circuit(Json.MAPPER.readTree(gw.get("/healthz", true).body()), "m", "a")).isEqualTo("open");
    gw.heal();
    Thread.sleep(400);
    assertThat(ScenarioGateway.sample(gw.metrics(), "effort_circuit_state", "m", "a", null)).as("half-open").isEqualTo(1.0);

    int calledA = gw.a.count();
    for (int i = 0; i < 4; i++) {
      assertThat(gw.send(Api.ANTHROPIC, i % 2 == 0, "What colour is the sky?").status()).isEqualTo(200);
    }

    assertThat(gw.a.count() - calledA).as("calls to a once it may be probed").isPositive();
    assertThat(circuit(Json.MAPPER.readTree(gw.get("/healthz", true).body()), "m", "a")).isEqualTo("closed");
    assertThat(ScenarioGateway.sample(gw.metrics(), "effort_circuit_state", "m", "a", null)).isEqualTo(0.0);
  }

  private boolean allOpen() throws IOException {
    JsonNode health = Json.MAPPER.readTree(gw.get("/healthz", true).body());
    return "open".equals(circuit(health, "m", "a")) && "open".equals(circuit(health, "m", "b"))
        && "open".equals(circuit(health, "m2", "c"));
  }

  /** A deployment's circuit as {@code /healthz} shows it to a caller with a key; null when it is not listed. */
  static String circuit(JsonNode health, String model, String deployment) {
    for (JsonNode u : health.path("upstreams")) {
      if (u.path("model").asText().equals(model) && u.path("deployment").asText().equals(deployment)) {
        return u.path("circuit").asText();
      }
    }
    return null;
  }
}
