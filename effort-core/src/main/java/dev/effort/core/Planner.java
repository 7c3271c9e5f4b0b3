package dev.effort.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns an {@link Ask} into a {@link Plan}: fixed levels read the ladder; a pinned model gets a
 * single call to that model; {@code auto} asks the router (until one is configured it falls back
 * to the default level, and the trace says so).
 */
public final class Planner {
  private final Ladder ladder;
  private final Catalog catalog;
  private final Effort defaultLevel;

  public Planner(Ladder ladder, Catalog catalog, Effort defaultLevel) {
    this.ladder = Objects.requireNonNull(ladder, "ladder");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    if (!defaultLevel.isFixed()) {
      throw new IllegalArgumentException("the default level must be a fixed level, not auto");
    }
    this.defaultLevel = defaultLevel;
  }

  /**
   * @throws UnknownModelException when the ask pins a model the catalog does not know
   */
  public PlannedAsk plan(Ask ask) {
    List<String> notes = new ArrayList<>();
    Effort applied = ask.effort();
    if (!applied.isFixed()) {
      applied = defaultLevel;
      notes.add("auto: no router configured; used the default level " + defaultLevel);
    }
    if (ask.model().isPresent()) {
      String model = catalog.model(ask.model().get()).id();
      notes.add("model pinned: " + model);
      return new PlannedAsk(ask, applied, Plan.single(model), notes);
    }
    return new PlannedAsk(ask, applied, ladder.plan(applied), notes);
  }

  public Ladder ladder() {
    return ladder;
  }

  public Catalog catalog() {
    return catalog;
  }
}
