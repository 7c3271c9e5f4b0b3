package dev.effort.core.resilience;

import dev.effort.core.Completion;
import dev.effort.core.Executor;
import dev.effort.core.ProviderException;
import java.time.Duration;
import java.util.Optional;

/**
 * Each attempt through its deployment's circuit: refused while it is open (or while its half-open
 * probes are out), and its outcome counted. Failures of the request's own making (a 400) say
 * nothing about the upstream's health; a missed deadline counts as a slow call.
 */
public final class Health implements Executor.CallLink {
  private final Deployments deployments;

  public Health(Deployments deployments) {
    this.deployments = deployments;
  }

  @Override
  public Completion call(Executor.StepCall call, Executor.CallChain next) {
    Deployment d = call.deployment();
    if (d == null) {
      return next.proceed(call);
    }
    CircuitBreaker circuit = deployments.circuit(call.model(), d);
    if (!circuit.tryAcquire()) {
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "deployment " + d.name() + " of " + call.model()
          + " has its circuit open after repeated failures", true, Optional.empty());
    }
    long start = System.nanoTime();
    try {
      Completion c = next.proceed(call);
      deployments.record(call.model(), d, false, Duration.ofNanos(System.nanoTime() - start));
      return c;
    } catch (ProviderException e) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (call.cancelled()) {
        circuit.release(); // cancelled: another attempt answered first
      } else {
        boolean upstreamFault = e.kind() == ProviderException.Kind.UNAVAILABLE
            || e.kind() == ProviderException.Kind.RATE_LIMITED;
        deployments.record(call.model(), d, upstreamFault, elapsed);
      }
      throw e;
    } catch (RuntimeException e) {
      circuit.release(); // the client went away: no verdict on the upstream
      throw e;
    }
  }
}
