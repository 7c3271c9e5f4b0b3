package dev.effort.core.resilience;

import dev.effort.core.Completion;
import dev.effort.core.Executor;
import dev.effort.core.ProviderException;
import java.util.List;
import java.util.Optional;

/** Picks the order in which a model's deployments are tried: balanced, open circuits left out. */
public final class ChooseDeployment implements Executor.CallLink {
  private final Deployments deployments;

  public ChooseDeployment(Deployments deployments) {
    this.deployments = deployments;
  }

  @Override
  public Completion call(Executor.StepCall call, Executor.CallChain next) {
    List<Deployment> order = deployments.ordered(call.model());
    if (order.isEmpty()) {
      long seconds = Math.max(1, (deployments.reopensIn(call.model()).toMillis() + 999) / 1000);
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "every deployment of " + call.model()
          + " has its circuit open after repeated failures; it is tried again in " + seconds + " s",
          false, Optional.of(java.time.Duration.ofSeconds(seconds)));
    }
    return next.proceed(call.withCandidates(order).on(order.get(0)));
  }
}
