package dev.effort.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.benchmarks.load.ScenarioResult.Percentiles;
import dev.effort.benchmarks.load.Targets.Check;
import dev.effort.benchmarks.load.Targets.Run;
import dev.effort.benchmarks.load.Targets.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each target passes or fails on the figures of its own scenarios, and is "not run" without them. */
class TargetsTest {

  static Run run(String target, String kind, double p50, double p99, double throughput, Map<String, Integer> errors) {
    Percentiles latency = new Percentiles(p50, p50, p99, p99);
    int requests = 10_000 + errors.values().stream().mapToInt(Integer::intValue).sum();
    ScenarioResult r = new ScenarioResult(target + " " + kind, requests, errors, throughput, latency, latency,
        latency, 0, 100);
    return new Run(target, kind, r, target.equals(Target.DIRECT) ? Double.NaN : 150);
  }

  static Map<String, Check> byWhat(List<Check> checks) {
    Map<String, Check> map = new java.util.LinkedHashMap<>();
    checks.forEach(c -> map.put(c.what(), c));
    return map;
  }

  @Test
  void addedLatencyIsGatewayMinusDirectOfTheSameKind() {
    List<Run> runs = List.of(
        run("direct", "json", 1.0, 2.0, 1000, Map.of()),
        run("sqlite", "json", 1.25, 4.5, 1000, Map.of()),
        run("direct", "stream", 1.5, 5.0, 1000, Map.of()),
        run("sqlite", "stream", 1.9, 7.5, 1000, Map.of()));

    Map<String, Check> checks = byWhat(Targets.check(runs, Optional.empty()));

    assertThat(checks.get("json sqlite added p50 <= 0.3 ms")).extracting(Check::measured, Check::verdict)
        .containsExactly("+0.250 ms", Verdict.PASS);
    assertThat(checks.get("json sqlite added p99 <= 2.0 ms")).extracting(Check::measured, Check::verdict)
        .containsExactly("+2.500 ms", Verdict.FAIL);
    assertThat(checks.get("stream sqlite added p99 <= 3.0 ms").verdict()).isEqualTo(Verdict.PASS);
    assertThat(checks.get("json postgres+redis added p99 <= 3.0 ms").verdict()).isEqualTo(Verdict.NOT_RUN);
    assertThat(checks.get("no errors through the gateways").verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void closedLoopRatioAndErrorsThroughTheGateway() {
    List<Run> runs = new ArrayList<>(List.of(
        run("direct", "closed", 1, 2, 8000, Map.of()),
        run("sqlite", "closed", 1, 2, 4400, Map.of()),
        run("postgres+redis", "closed", 1, 2, 3000, Map.of("HTTP 503", 2))));

    Map<String, Check> checks = byWhat(Targets.check(runs, Optional.empty()));

    assertThat(checks.get("closed loop sqlite >= 0.5 of direct")).extracting(Check::measured, Check::verdict)
        .containsExactly("0.55", Verdict.PASS);
    assertThat(checks.get("closed loop postgres+redis >= 0.5 of direct")).extracting(Check::measured, Check::verdict)
        .containsExactly("0.38", Verdict.FAIL);
    assertThat(checks.get("no errors through the gateways")).extracting(Check::measured, Check::verdict)
        .containsExactly("2 errors", Verdict.FAIL);
  }

  @Test
  void manyStreamsPassOnlyWithAllOpenNoneFailedAndTheHeapWithinItsBound() {
    ScenarioResult clean = run("sqlite", "streams", 20_000, 20_500, 50, Map.of()).result();
    ProcessMemory small = new ProcessMemory(180, 60, 400, 420);
    ProcessMemory big = new ProcessMemory(300, 60, 400, 420);

    Map<String, Check> passed = byWhat(Targets.check(List.of(), Optional.of(new ManyStreams.Outcome(clean, 1000, small, 9872))));
    Map<String, Check> partlyOpen = byWhat(Targets.check(List.of(), Optional.of(new ManyStreams.Outcome(clean, 640, big, 9872))));

    assertThat(passed.get("1000 streams at once: all open, none failed").verdict()).isEqualTo(Verdict.PASS);
    assertThat(passed.get("1000 streams: heap <= 256 MiB").verdict()).isEqualTo(Verdict.PASS);
    assertThat(partlyOpen.get("1000 streams at once: all open, none failed").verdict()).isEqualTo(Verdict.FAIL);
    assertThat(partlyOpen.get("1000 streams: heap <= 256 MiB")).extracting(Check::measured, Check::verdict)
        .containsExactly("300 MiB", Verdict.FAIL);
    assertThat(passed.get("no errors through the gateways").verdict()).isEqualTo(Verdict.NOT_RUN);
  }

  @Test
  void heapInUseIsReadFromJcmdWhicheverCollectorRuns() {
    String g1 = """
        4242:
        garbage-first heap   total reserved 262144K, committed 65536K, used 23552K [0x00000000f0000000, 0x0000000100000000)
         region size 1024K, 3 young (3072K), 1 survivors (1024K)
         Metaspace       used 51200K, committed 52000K, reserved 1114112K
        """;
    String serial = """
        4243:
         def new generation   total 78656K, used 10240K [0x0000000600000000, 0x0000000605550000, 0x0000000680000000)
          eden space 69952K,  14% used [0x0000000600000000, 0x0000000601000000, 0x0000000604450000)
         tenured generation   total 174784K, used 20480K [0x0000000680000000, 0x000000068aab0000, 0x0000000800000000)
        """;

    assertThat(ProcessMemory.heapUsedMib(g1)).isEqualTo(23.0);
    assertThat(ProcessMemory.heapUsedMib(serial)).isEqualTo(30.0);
    assertThat(ProcessMemory.heapUsedMib("4244:\nnot attached")).isNaN();
    assertThat(ProcessMemory.statusMib("VmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n", "VmRSS")).isEqualTo(100.0);
  }
}
