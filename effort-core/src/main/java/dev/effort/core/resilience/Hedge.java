package dev.effort.core.resilience;

import dev.effort.core.Completion;
import dev.effort.core.Content;
import dev.effort.core.Deltas;
import dev.effort.core.Executor;
import dev.effort.core.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A time-to-first-token deadline: when the first token is late, the same step is asked of another
 * deployment too (the same one when the model has no other), and the first to begin answering
 * wins. Until then each holds its output back; the loser is cancelled and its attempt still
 * logged with what it cost.
 */
public final class Hedge implements Executor.CallLink {
  /** How long a cancelled loser may take to stop before the winner goes on without it. */
  private static final Duration LOSER_STOPS = Duration.ofSeconds(5);

  @Override
  public Completion call(Executor.StepCall call, Executor.CallChain next) {
    if (call.ask().ttftDeadline().isEmpty()) {
      return next.proceed(call);
    }
    Race race = new Race();
    Racer first = race.start(call, next);
    Racer winner;
    try {
      winner = race.won.get(call.ask().ttftDeadline().get().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException late) {
      Racer second = race.start(call.on(backup(call)), next);
      try {
        winner = race.won.get();
      } catch (InterruptedException e) {
        throw cancelled(race, e);
      } catch (ExecutionException e) {
        throw unwrap(e);
      }
      Racer loser = winner == first ? second : first;
      loser.cancel();
    } catch (InterruptedException e) {
      throw cancelled(race, e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
    winner.gate.release();
    try {
      return winner.result.get();
    } catch (InterruptedException e) {
      throw cancelled(race, e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /** The next deployment after the one being called, or the same when there is no other. */
  private static Deployment backup(Executor.StepCall call) {
    List<Deployment> order = call.candidates();
    int at = order.indexOf(call.deployment());
    return order.size() < 2 ? call.deployment() : order.get((at + 1) % order.size());
  }

  private static ProviderException cancelled(Race race, InterruptedException e) {
    race.racers.forEach(Racer::cancel);
    Thread.currentThread().interrupt();
    return new ProviderException(ProviderException.Kind.UNAVAILABLE, "the call was cancelled");
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }

  /** The attempts racing for one step: the first to begin answering (or to finish) wins. */
  private static final class Race {
    final CompletableFuture<Racer> won = new CompletableFuture<>();
    final List<Racer> racers = new ArrayList<>();
    private int failed;

    synchronized Racer start(Executor.StepCall call, Executor.CallChain next) {
      Racer r = new Racer(this, call.deltas());
      racers.add(r);
      Executor.StepCall own = call.cancellable().withDeltas(r.gate);
      r.call = own;
      r.thread = Thread.ofVirtual().name("effort-hedge").start(() -> {
        try {
          Completion c = next.proceed(own);
          r.result.complete(c);
          won.complete(r);
        } catch (Throwable t) {
          r.result.completeExceptionally(t);
          failedOne(t);
        }
      });
      return r;
    }

    /** All racing attempts failed: the race fails with the last failure. */
    synchronized void failedOne(Throwable t) {
      if (++failed == racers.size()) {
        won.completeExceptionally(t);
      }
    }
  }

  /** One attempt of a race, its output held back until it wins. */
  private static final class Racer {
    final Gate gate;
    final CompletableFuture<Completion> result = new CompletableFuture<>();
    Thread thread;
    Executor.StepCall call;

    Racer(Race race, Deltas downstream) {
      this.gate = new Gate(downstream, () -> race.won.complete(this));
    }

    void cancel() {
      call.cancel();
      thread.interrupt();
      try {
        thread.join(LOSER_STOPS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Holds an attempt's deltas back until it wins; says when its first token arrives. */
  private static final class Gate implements Deltas {
    private final Deltas downstream;
    private final Runnable firstToken;
    private final List<Consumer<Deltas>> held = new ArrayList<>();
    private boolean released;
    private boolean began;

    Gate(Deltas downstream, Runnable firstToken) {
      this.downstream = downstream;
      this.firstToken = firstToken;
    }

    /** Passes on what was held, then everything as it comes. */
    synchronized void release() {
      for (Consumer<Deltas> c : held) {
        c.accept(downstream);
      }
      held.clear();
      released = true;
    }

    private void token() {
      boolean first;
      synchronized (this) {
        first = !began;
        began = true;
      }
      if (first) {
        firstToken.run();
      }
    }

    private synchronized void pass(Consumer<Deltas> c) {
      if (released) {
        c.accept(downstream);
      } else {
        held.add(c);
      }
    }

    @Override
    public void model(String model) {
      pass(d -> d.model(model));
    }

    @Override
    public void thinking(String delta) {
      pass(d -> d.thinking(delta));
      token();
    }

    @Override
    public void thinkingSignature(String signature, String origin) {
      pass(d -> d.thinkingSignature(signature, origin));
    }

    @Override
    public void redactedThinking(Content.RedactedThinking block) {
      pass(d -> d.redactedThinking(block));
      token();
    }

    @Override
    public void text(String delta) {
      pass(d -> d.text(delta));
      token();
    }

    @Override
    public void toolCall(String id, String name) {
      pass(d -> d.toolCall(id, name));
      token();
    }

    @Override
    public void toolArguments(String fragment) {
      pass(d -> d.toolArguments(fragment));
    }

    @Override
    public void opaque(Content.Opaque block) {
      pass(d -> d.opaque(block));
      token();
    }
  }
}
