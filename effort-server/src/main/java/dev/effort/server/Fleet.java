package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.core.Provider;
import java.util.List;
import java.util.Map;

/**
 * What the gateway can call: the catalog, the ladder, and the provider of each served model.
 *
 * @param description one line for the startup log, e.g. "replay of 3 recorded data sets"
 */
public record Fleet(Catalog catalog, Ladder ladder, Map<String, Provider> providers, String description) {
  public Fleet {
    providers = Map.copyOf(providers);
  }

  /** Served model ids, in catalog order. */
  public List<String> models() {
    return catalog.ids().stream().filter(providers::containsKey).toList();
  }

  public Provider provider(String model) {
    Provider p = providers.get(model);
    if (p == null) {
      throw new IllegalStateException("no provider serves " + model + "; the ladder and config disagree");
    }
    return p;
  }
}
