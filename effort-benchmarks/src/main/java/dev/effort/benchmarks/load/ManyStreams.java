package dev.effort.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many streams open at once through the gateway against a slow upstream: each client opens one
 * stream (ramped up over a couple of seconds, so that the listen backlog is not the test) and
 * reads it to {@code [DONE]}; while all are open, the gateway's memory is read.
 */
final class ManyStreams {
  /** The clients connect at this many a second. */
  private static final int RAMP_PER_SECOND = 500;

  /**
   * What the run saw.
   *
   * @param result every stream's outcome (latency: open to {@code [DONE]})
   * @param openAtOnce the most streams the upstream was writing at the same time
   * @param memory the gateway's, read while the most streams were open
   * @param connectionCap the gateway's cap on all client connections, from its file-descriptor limit
   */
  record Outcome(ScenarioResult result, int openAtOnce, ProcessMemory memory, long connectionCap) {}

  private ManyStreams() {}

  static Outcome run(Target target, FakeUpstream slow, GatewayProcess gateway, int streams, Duration streamLength)
      throws InterruptedException {
    ScenarioResult.Recorder recorder = new ScenarioResult.Recorder();
    MachineLoad start = MachineLoad.now();
    List<Thread> clients = new ArrayList<>();
    long begin = System.nanoTime();
    try (ChatClient client = new ChatClient(target, ChatClient.body(target.model(), true), true)) {
      for (int i = 0; i < streams; i++) {
        long due = begin + i * 1_000_000_000L / RAMP_PER_SECOND;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        clients.add(Thread.startVirtualThread(() -> recorder.add(client.send(System.nanoTime()))));
      }
      // Memory is read once all are open, or once the first has ended (then all never will be at once).
      long deadline = System.nanoTime() + streamLength.toNanos() + Duration.ofSeconds(30).toNanos();
      int openAtOnce = slow.openStreams();
      while (openAtOnce < streams && recorder.outcomes() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        openAtOnce = Math.max(openAtOnce, slow.openStreams());
      }
      ProcessMemory memory = gateway.memory();
      for (Thread t : clients) {
        while (t.isAlive()) {
          t.join(50);
          openAtOnce = Math.max(openAtOnce, slow.openStreams());
        }
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      return new Outcome(recorder.result("streams " + streams, seconds, start, MachineLoad.now()), openAtOnce, memory,
          connectionCap(gateway.pid()));
    }
  }

  /** What {@code Gateway.maxConnections} computes from the process's open-file limit: (limit - 256) / 2. */
  static long connectionCap(long pid) {
    try {
      Matcher m = Pattern.compile("(?m)^Max open files\\s+(\\d+)").matcher(Files.readString(Path.of("/proc/" + pid + "/limits")));
      return m.find() ? Math.max(64, (Long.parseLong(m.group(1)) - 256) / 2) : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
