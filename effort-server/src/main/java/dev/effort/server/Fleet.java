package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.core.Provider;
import dev.effort.core.resilience.Deployment;
import java.util.List;
import java.util.Map;

/**
 * What the gateway can call: the catalog, the ladder, and the deployments of each served model
 * (one or more providers serving it).
 *
 * @param description one line for the startup log, e.g. "replay of 3 recorded data sets"
 */
public record Fleet(Catalog catalog, Ladder ladder, Map<String, List<Deployment>> deployments, String description) {
  public Fleet {
    deployments = Map.copyOf(deployments);
  }

  /** A fleet of one deployment per model: the provider that serves it, with the default retries. */
  public static Fleet of(Catalog catalog, Ladder ladder, Map<String, Provider> providers, String description) {
    Map<String, List<Deployment>> deployments = new java.util.LinkedHashMap<>();
    providers.forEach((model, p) -> deployments.put(model,
        List.of(new Deployment(p.name(), p, 1, dev.effort.core.resilience.RetryPolicy.DEFAULT))));
    return new Fleet(catalog, ladder, deployments, description);
  }

  /**
   * The planner over this fleet: its ladder and catalog, and the router (if any) choosing only
   * among candidates whose models the fleet serves, so that auto never plans a call no provider
   * can take.
   *
   * @throws IllegalArgumentException when the router's reference plan needs a model the fleet does not serve
   */
  public dev.effort.core.Planner planner(dev.effort.core.Effort defaultLevel, java.util.Optional<dev.effort.core.Router> router,
      double target) {
    java.util.Set<String> served = java.util.Set.copyOf(models());
    return new dev.effort.core.Planner(ladder, catalog, defaultLevel, router.map(r -> r.restrictedTo(served)), target);
  }

  /** Served model ids, in catalog order. */
  public List<String> models() {
    return catalog.ids().stream().filter(deployments::containsKey).toList();
  }

  /**
   * The provider of a model's first deployment: what the plan's budget and format rules assume (a
   * model's deployments are expected to take the same requests).
   */
  public Provider provider(String model) {
    List<Deployment> list = deployments.get(model);
    if (list == null) {
      throw new IllegalStateException("no provider serves " + model + "; the ladder and config disagree");
    }
    return list.get(0).provider();
  }
}
