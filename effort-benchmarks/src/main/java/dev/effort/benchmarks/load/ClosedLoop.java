package dev.effort.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A fixed number of clients, each sending its next request as soon as the last one is answered: the most it serves. */
final class ClosedLoop {
  private ClosedLoop() {}

  /** @param atMeasureStart runs when measuring begins (to read a counter such as the gateway's CPU time) */
  static ScenarioResult run(String name, ChatClient client, int clients, Duration warmup, Duration measured,
      Runnable atMeasureStart) throws InterruptedException {
    ScenarioResult.Recorder recorder = new ScenarioResult.Recorder();
    long measureFrom = System.nanoTime() + warmup.toNanos();
    long end = measureFrom + measured.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(Thread.startVirtualThread(() -> {
        long sent;
        while ((sent = System.nanoTime()) < end) {
          ChatClient.Outcome outcome = client.send(sent);
          if (sent >= measureFrom) {
            recorder.add(outcome);
          }
        }
      }));
    }
    Thread.sleep(Duration.ofNanos(Math.max(0, measureFrom - System.nanoTime())));
    MachineLoad measureStart = MachineLoad.now();
    atMeasureStart.run();
    for (Thread t : threads) {
      t.join();
    }
    return recorder.result(name, measured.toNanos() / 1e9, measureStart, MachineLoad.now());
  }
}
