package dev.effort.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed arrival rate, whatever the server does: request i is due at start + i / rate and is
 * timed from then, not from when it could be sent. A slow server therefore shows its queueing in
 * the latencies instead of slowing the arrivals down (no coordinated omission).
 */
final class OpenLoop {
  /**
   * Beyond this many requests in flight the server is far behind; further ones are counted as errors,
   * not sent. Each request through the gateway holds four sockets in this one process (two
   * connections, both ends), so an unbounded backlog would run out of file descriptors.
   */
  private static final int MAX_IN_FLIGHT = 2_000;
  /** Longer than the client's own timeout, so that every request ends on its own. */
  private static final Duration DRAIN = Duration.ofSeconds(35);

  private OpenLoop() {}

  /**
   * Warms up, then measures, at the same rate without a pause between (the connections stay warm).
   *
   * @param atMeasureStart runs when measuring begins (to read a counter such as the gateway's CPU time)
   */
  static ScenarioResult run(String name, ChatClient client, int rate, Duration warmup, Duration measured,
      Runnable atMeasureStart) throws InterruptedException {
    long interval = 1_000_000_000L / rate;
    int warmupCount = (int) (warmup.toNanos() / interval);
    int total = warmupCount + (int) (measured.toNanos() / interval);
    ScenarioResult.Recorder recorder = new ScenarioResult.Recorder();
    CountDownLatch finished = new CountDownLatch(total);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicLong lastMeasuredEnd = new AtomicLong();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    long firstMeasured = start + warmupCount * interval;
    MachineLoad measureStart = null;
    for (int i = 0; i < total; i++) {
      long scheduled = start + i * interval;
      sleepUntil(scheduled);
      boolean measure = i >= warmupCount;
      if (i == warmupCount) {
        measureStart = MachineLoad.now();
        atMeasureStart.run();
      }
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        if (measure) {
          recorder.error("not sent: " + MAX_IN_FLIGHT + " in flight");
        }
        finished.countDown();
        continue;
      }
      inFlight.incrementAndGet();
      Thread.startVirtualThread(() -> {
        try {
          long lag = System.nanoTime() - scheduled;
          ChatClient.Outcome outcome = client.send(scheduled);
          if (measure) {
            recorder.sendLag(lag);
            recorder.add(outcome);
            lastMeasuredEnd.accumulateAndGet(System.nanoTime(), Math::max);
          }
        } finally {
          inFlight.decrementAndGet();
          finished.countDown();
        }
      });
    }
    if (!finished.await(DRAIN.toSeconds(), TimeUnit.SECONDS)) {
      // Still unanswered long after the client's timeout: counted, never left out.
      recorder.errors("no answer " + DRAIN.toSeconds() + " s after the last arrival", (int) finished.getCount());
    }
    MachineLoad measureEnd = MachineLoad.now();
    double seconds = Math.max(measured.toNanos(), lastMeasuredEnd.get() - firstMeasured) / 1e9;
    return recorder.result(name, seconds, measureStart == null ? measureEnd : measureStart, measureEnd);
  }

  /**
   * Parks rather than spins: a spinning scheduler would take one of the two cores from the servers.
   * The timer's overshoot (tens of microseconds) is in both the direct and the gateway figures.
   */
  private static void sleepUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
