package dev.effort.cli.chat;

import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Ladder;
import dev.effort.core.Plan;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import dev.effort.server.Fleet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A provider whose answers the tests know: "MODEL says: PROMPT" at a fixed price per model, the
 * smart model thinking first. A prompt containing "slow" streams its first words, then waits
 * until its thread is interrupted, as a long upstream call would; one containing "breaks" streams
 * two words, then fails.
 */
final class ScriptedProvider implements Provider {
  static final String CHEAP = "mistralai/mixtral-8x7b-chat";
  static final String SMART = "gpt-4-1106-preview";
  static final double CHEAP_USD = 0.25;
  static final double SMART_USD = 1.5;

  final List<Ask> asks = new CopyOnWriteArrayList<>();
  final CountDownLatch streaming = new CountDownLatch(1);
  final CountDownLatch interrupted = new CountDownLatch(1);

  /** Levels low and medium call the cheap model, high and above the smart one. */
  Fleet fleet() {
    Map<Effort, Plan> plans = Map.of(Effort.LOW, Plan.single(CHEAP), Effort.MEDIUM, Plan.single(CHEAP),
        Effort.HIGH, Plan.single(SMART), Effort.XHIGH, Plan.single(SMART), Effort.MAX, Plan.single(SMART));
    return Fleet.of(Catalog.builtIn(), new Ladder("scripted", plans), Map.of(CHEAP, this, SMART, this),
        "a scripted fleet");
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Completion complete(Ask ask, Step step) {
    asks.add(ask);
    boolean smart = step.model().equals(SMART);
    return new Completion(step.model(), step.model() + " says: " + ask.prompt(), smart ? "pondering" : "",
        new Usage(10, 5, smart ? 3 : 0), smart ? SMART_USD : CHEAP_USD, Duration.ofMillis(100), Duration.ofMillis(400));
  }

  @Override
  public Completion stream(Ask ask, Step step, Deltas deltas) {
    if (ask.prompt().contains("breaks")) {
      asks.add(ask);
      deltas.text("Half an");
      throw new ProviderException(ProviderException.Kind.INVALID, "the upstream broke off");
    }
    if (!ask.prompt().contains("slow")) {
      return Provider.super.stream(ask, step, deltas);
    }
    asks.add(ask);
    deltas.text("The first words");
    streaming.countDown();
    try {
      new CountDownLatch(1).await();
      throw new AssertionError("unreachable: the latch is never counted down");
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "the call was interrupted");
    }
  }
}
