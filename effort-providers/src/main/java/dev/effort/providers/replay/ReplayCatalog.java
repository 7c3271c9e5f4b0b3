package dev.effort.providers.replay;

import dev.effort.core.Catalog;
import dev.effort.core.ModelInfo;
import dev.effort.providers.data.RecordedDataset;
import java.util.List;

/** The catalog for replaying recorded data: the given one, plus a stand-in for each unknown model. */
public final class ReplayCatalog {
  private ReplayCatalog() {}

  /** Stand-in figures for models the catalog does not know, so unseen data sets still run. */
  public static ModelInfo defaultPrior(String model) {
    return new ModelInfo(model, "replay", 1.0, 1.0, 500, 50, 4096,
        "not in the catalog: default prior of 500 ms to first token, 50 tokens/s and $1 per million"
            + " tokens (costs still come from the recorded total_cost where the data has it)");
  }

  /** Models of the data that the catalog does not know; they run on {@link #defaultPrior}. */
  public static List<String> modelsWithoutPrior(Catalog catalog, List<RecordedDataset> datasets) {
    return datasets.stream().flatMap(d -> d.models().stream()).distinct().filter(m -> !catalog.contains(m)).toList();
  }

  /** The catalog plus a default prior for every model of the data it does not know. */
  public static Catalog of(Catalog catalog, List<RecordedDataset> datasets) {
    return catalog.plus(modelsWithoutPrior(catalog, datasets).stream().map(ReplayCatalog::defaultPrior).toList());
  }
}
