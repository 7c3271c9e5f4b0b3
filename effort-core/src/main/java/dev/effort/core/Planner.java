package dev.effort.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an {@link Ask} into a {@link Plan}: fixed levels read the ladder; a pinned model gets a
 * single call to that model; {@code auto} asks the router for estimates and lets
 * {@link RouteChoice} pick the cheapest plan expected to reach the quality target within the
 * ask's deadline and cost cap. Without a router, {@code auto} falls back to the default level and
 * the trace says so.
 */
public final class Planner {
  /** Quality target of auto when none is given: the accuracy of level {@code max}. */
  public static final double DEFAULT_TARGET = 1.0;

  private final Ladder ladder;
  private final Catalog catalog;
  private final Effort defaultLevel;
  private final Optional<Router> router;
  private final double threshold;

  public Planner(Ladder ladder, Catalog catalog, Effort defaultLevel) {
    this(ladder, catalog, defaultLevel, Optional.empty(), DEFAULT_TARGET);
  }

  /**
   * @param router decides {@code auto}; empty to fall back to {@code defaultLevel}
   * @param target share of the {@code max} level's accuracy that auto aims for, e.g. 0.95
   */
  public Planner(Ladder ladder, Catalog catalog, Effort defaultLevel, Optional<Router> router, double target) {
    this.ladder = Objects.requireNonNull(ladder, "ladder");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    if (!defaultLevel.isFixed()) {
      throw new IllegalArgumentException("the default level must be a fixed level, not auto");
    }
    if (!(target > 0 && target <= 1.5)) {
      throw new IllegalArgumentException("target must be a share of max's accuracy in (0, 1.5], e.g. 0.95; got " + target);
    }
    this.defaultLevel = defaultLevel;
    this.router = Objects.requireNonNull(router, "router");
    this.threshold = router.map(r -> r.threshold(target)).orElse(Double.NaN);
  }

  /**
   * @throws UnknownModelException when the ask pins a model the catalog does not know
   */
  public PlannedAsk plan(Ask ask) {
    List<String> notes = new ArrayList<>();
    Effort applied = ask.effort();
    if (!applied.isFixed() && ask.model().isEmpty()) {
      if (router.isPresent()) {
        Router r = router.get();
        RouteChoice.Choice choice = RouteChoice.choose(r.estimate(ask), r.reference(), threshold, ask.deadline(), ask.maxCostUsd());
        return new PlannedAsk(ask, Effort.AUTO, choice.chosen().plan(), choice.notes());
      }
      applied = defaultLevel;
      notes.add("auto: no router configured; used the default level " + defaultLevel);
    } else if (!applied.isFixed()) {
      applied = defaultLevel;
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
