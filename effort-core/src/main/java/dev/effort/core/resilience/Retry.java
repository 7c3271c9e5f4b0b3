package dev.effort.core.resilience;

import dev.effort.core.Completion;
import dev.effort.core.Deltas;
import dev.effort.core.Executor;
import dev.effort.core.Forwarding;
import dev.effort.core.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tries a failed call again: first at each deployment not yet tried (at once), then with
 * exponential backoff and jitter, at least what the upstream's {@code retry-after} asked. Never
 * once any of the answer has reached the client, never past the deadline, and only for failures
 * that another try may mend (connection errors, 408, 409, 429, 5xx, overloaded).
 */
public final class Retry implements Executor.CallLink {
  /** The least time worth starting another attempt with. */
  static final Duration LEAST_ATTEMPT = Duration.ofMillis(50);

  private final java.util.function.BiConsumer<String, String> onRetry;

  public Retry() {
    this((model, deployment) -> { });
  }

  /** @param onRetry told of each retry, with the model and the deployment tried next (for metrics) */
  public Retry(java.util.function.BiConsumer<String, String> onRetry) {
    this.onRetry = onRetry;
  }

  @Override
  public Completion call(Executor.StepCall call, Executor.CallChain next) {
    List<Deployment> order = call.candidates().isEmpty() && call.deployment() != null
        ? List.of(call.deployment()) : call.candidates();
    Set<String> tried = new HashSet<>();
    Deployment d = call.deployment();
    int retries = 0;
    while (true) {
      Watch watch = new Watch(call.deltas());
      try {
        return next.proceed((d == null ? call : call.on(d)).withDeltas(call.deltas() == Deltas.NONE ? Deltas.NONE : watch));
      } catch (ProviderException e) {
        if (d != null) {
          tried.add(d.name());
        }
        RetryPolicy policy = d == null ? RetryPolicy.DEFAULT : d.retry();
        if (!e.retryable() || watch.began || retries >= policy.maxRetries() || call.cancelled()) {
          throw e;
        }
        Deployment untried = order.stream().filter(o -> !tried.contains(o.name())).findFirst().orElse(null);
        Duration wait;
        if (untried != null) {
          wait = Duration.ZERO;
        } else {
          if (e.retryAfter().filter(r -> r.compareTo(policy.max()) > 0).isPresent()) {
            throw e; // the upstream asks for longer than this gateway waits: the client hears it
          }
          wait = policy.delay(retries, e.retryAfter());
        }
        Optional<Duration> left = call.left();
        if (left.isPresent() && left.get().compareTo(wait.plus(LEAST_ATTEMPT)) <= 0) {
          throw e;
        }
        sleep(wait, e);
        retries++;
        d = untried != null ? untried : order.isEmpty() ? d : order.get(retries % order.size());
        onRetry.accept(call.model(), d == null ? "" : d.name());
      }
    }
  }

  private static void sleep(Duration wait, ProviderException failure) {
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure; // cancelled while waiting: the last failure is the answer
    }
  }

  /** Notes whether any of this attempt's output went on towards the client. */
  private static final class Watch extends Forwarding {
    volatile boolean began;

    Watch(Deltas to) {
      super(to);
    }

    @Override
    protected void began() {
      began = true;
    }
  }
}
