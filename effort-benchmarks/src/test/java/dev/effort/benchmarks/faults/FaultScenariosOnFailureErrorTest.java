package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.benchmarks.faults.ScenarioClient.Api;
import dev.effort.benchmarks.faults.ScenarioClient.Reply;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code on_failure: error}: when every deployment of the plan's model failed, the client gets the
 * failure, and the stand-in is not called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultScenariosOnFailureErrorTest {
  private ScenarioGateway gw;

  @BeforeAll
  void start() throws IOException {
    gw = ScenarioGateway.start(ScenarioGateway.NEVER_OPENS, "error");
  }

  @AfterAll
  void stop() {
    gw.close();
  }

  @AfterEach
  void heal() {
    gw.heal();
  }

  @ParameterizedTest(name = "a and b {0}, {1} stream={2}")
  @MethodSource("dev.effort.benchmarks.faults.FaultScenariosTest#failuresBeforeTheAnswer")
  void aModelDownIsTheClientsFailureNotItsStandIns(String fault, Api api, boolean stream) {
    gw.down(gw.a, Fault.parse(fault));
    gw.down(gw.b, Fault.parse(fault));
    int calledM2 = gw.c.count();
    long before = gw.lastRowId();

    Reply r = gw.send(api, stream, "What colour is the sky?");

    int expected = fault.startsWith("429") ? 429 : 502;
    assertThat(r.status()).as(r.toString()).isEqualTo(expected);
    r.assertErrorInClientFormat();
    assertThat(r.header("Effort-Fallback")).isNull();
    assertThat(gw.c.count()).as("calls to the stand-in").isEqualTo(calledM2);
    assertThat(gw.rowAfter(before).status()).isEqualTo(expected);
  }
}
