package dev.effort.core.resilience;

import dev.effort.core.Provider;
import java.util.Objects;

/**
 * One place a model can be called: a provider (base URL and key) that serves it. A model may have
 * several, balanced by weight or latency, each with its own circuit.
 *
 * @param name the provider's name in the config, unique among the model's deployments
 * @param weight its share of traffic when balancing by weight
 * @param retry how its failed calls are tried again
 */
public record Deployment(String name, Provider provider, int weight, RetryPolicy retry) {
  public Deployment {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(retry, "retry");
    if (weight < 1) {
      throw new IllegalArgumentException("deployment " + name + ": weight must be at least 1");
    }
  }
}
