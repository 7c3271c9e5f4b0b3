package dev.effort.core.resilience;

import dev.effort.core.Ask;
import dev.effort.core.Completion;
import dev.effort.core.Deltas;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A deployment double for the links' tests: answers each call by the next scripted behaviour
 * (then the default), and records the asks it got and the calls it saw cancelled.
 */
final class Upstream implements Provider {
  /** What one call does. */
  interface Behaviour {
    Completion run(Ask ask, Step step, Deltas deltas) throws InterruptedException;
  }

  final String name;
  final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
  volatile Behaviour otherwise;
  final List<Ask> asks = Collections.synchronizedList(new ArrayList<>());
  final CountDownLatch cancelled = new CountDownLatch(1);

  Upstream(String name) {
    this.name = name;
    this.otherwise = answer("from " + name);
  }

  Upstream then(Behaviour... behaviours) {
    script.addAll(List.of(behaviours));
    return this;
  }

  static Behaviour answer(String text) {
    return (ask, step, deltas) -> {
      deltas.text(text);
      return new Completion(step.model(), text, new Usage(10, 2, 0), 0.01, Duration.ofMillis(1), Duration.ofMillis(2));
    };
  }

  static Behaviour fail(ProviderException.Kind kind, boolean retryable, Optional<Duration> retryAfter) {
    return (ask, step, deltas) -> {
      throw new ProviderException(kind, "scripted " + kind, retryable, retryAfter);
    };
  }

  static Behaviour serverError() {
    return fail(ProviderException.Kind.UNAVAILABLE, true, Optional.empty());
  }

  /** Streams some text, then breaks off. */
  static Behaviour breaksAfter(String text) {
    return (ask, step, deltas) -> {
      deltas.text(text);
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "broke off", true, Optional.empty());
    };
  }

  /** Waits before its first token (cut short by a cancel). */
  Behaviour slow(Duration firstToken, String text) {
    return (ask, step, deltas) -> {
      try {
        Thread.sleep(firstToken);
      } catch (InterruptedException e) {
        cancelled.countDown();
        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "cancelled");
      }
      return answer(text).run(ask, step, deltas);
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Completion complete(Ask ask, Step step) {
    return stream(ask, step, Deltas.NONE);
  }

  @Override
  public Completion stream(Ask ask, Step step, Deltas deltas) {
    asks.add(ask);
    Behaviour b = script.poll();
    try {
      return (b == null ? otherwise : b).run(ask, step, deltas);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "interrupted");
    }
  }

  int calls() {
    return asks.size();
  }
}
