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
  /** The router's threshold for the target, per answer format. */
  private final double[] thresholds;

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
    this.thresholds = new double[AnswerFormat.values().length];
    for (AnswerFormat f : AnswerFormat.values()) {
      thresholds[f.ordinal()] = router.map(r -> r.threshold(target, f)).orElse(Double.NaN);
    }
  }

  /**
   * @throws UnknownModelException when the ask pins a model the catalog does not know
   */
  public PlannedAsk plan(Ask ask) {
    return plan(ask, Optional.empty());
  }

  /**
   * A cap on the level, from outside the ask: a key's {@code max_effort}, or what its budget
   * allows.
   *
   * @param reason why, for the trace and the {@code Effort-Downgrade-Reason} header
   */
  public record Ceiling(Effort level, String reason) {
    public Ceiling {
      if (!level.isFixed()) {
        throw new IllegalArgumentException("a ceiling is a fixed level");
      }
    }
  }

  /**
   * @param ceiling a fixed level the plan must not exceed; a higher level asked is lowered to it
   *     and the trace says why (auto with a router is not capped: its candidates are not levels)
   */
  public PlannedAsk plan(Ask ask, Optional<Ceiling> ceiling) {
    List<String> notes = new ArrayList<>();
    Effort applied = ask.effort();
    if (!applied.isFixed() && ask.model().isEmpty()) {
      Optional<PlannedAsk> routed = planAuto(ask, plan -> true);
      if (routed.isPresent()) {
        return routed.get();
      }
      applied = defaultLevel;
      // Not routed: no router, or one whose reference cannot take the ask.
      notes.add(router.map(r -> "auto: the router's reference plan " + r.reference() + " " + lacking(r.reference(), ask).get()
          + "; used the default level " + defaultLevel)
          .orElse("auto: no router configured; used the default level " + defaultLevel));
    } else if (!applied.isFixed()) {
      applied = defaultLevel;
    }
    Optional<String> capped = Optional.empty();
    if (ceiling.isPresent() && applied.isAbove(ceiling.get().level())) {
      capped = Optional.of("lowered from " + applied + " to " + ceiling.get().level() + ": " + ceiling.get().reason());
      notes.add(capped.get());
      applied = ceiling.get().level();
    }
    PlannedAsk planned;
    if (ask.model().isPresent()) {
      String model = catalog.model(ask.model().get()).id();
      Optional<String> lacks = lacking(Plan.single(model), ask);
      if (lacks.isPresent()) {
        throw new UnservableAskException("model '" + model + "' " + lacks.get() + "; use a model that can"
            + capableModels(ask) + ", or the dial (model 'effort')");
      }
      notes.add("model pinned: " + model + "; effort turns only its own knobs");
      planned = fit(ask, applied, level -> pinned(model, level), notes);
    } else {
      planned = fit(ask, applied, level -> capablePlan(level, ask, notes), notes);
    }
    if (capped.isEmpty()) {
      return planned;
    }
    String downgrade = capped.get() + planned.downgrade().map(d -> "; then " + d).orElse("");
    return new PlannedAsk(ask, planned.applied(), planned.plan(), planned.notes(), Optional.of(downgrade), planned.unmet());
  }

  /**
   * Auto's choice among only the candidates {@code allowed} admits (those a key's budget can still
   * hold), as {@link #plan(Ask, Optional)} makes it otherwise; empty when the ask is not routed by a
   * router here or no candidate is admitted.
   */
  public Optional<PlannedAsk> planAuto(Ask ask, java.util.function.Predicate<Plan> allowed) {
    if (ask.effort().isFixed() || ask.model().isPresent() || router.isEmpty()
        || lacking(router.get().reference(), ask).isPresent()) {
      return Optional.empty();
    }
    Router r = router.get();
    List<Estimate> estimates = r.estimate(ask);
    // The reference's estimate stays: quality targets are relative to it, even when it is not allowed.
    Optional<Estimate> reference = estimates.stream().filter(e -> e.plan().equals(r.reference())).findFirst();
    List<Estimate> candidates = estimates.stream()
        .filter(e -> lacking(e.plan(), ask).isEmpty() && allowed.test(e.plan()))
        .toList();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    double referenceQuality = reference.orElseThrow(() -> new IllegalArgumentException(
        "the reference plan " + r.reference() + " is not a candidate")).quality();
    RouteChoice.Choice choice = RouteChoice.choose(candidates, referenceQuality,
        thresholds[AnswerFormat.of(ask.prompt()).ordinal()], ask.deadline(), ask.maxCostUsd());
    return Optional.of(new PlannedAsk(ask, Effort.AUTO, choice.chosen().plan(), choice.notes(), Optional.empty(), choice.unmet()));
  }

  /**
   * The ladder's plan at {@code level} when its models can take the ask (images, tools); else the
   * nearest level's plan that can, lower levels first (never spend more than asked when a cheaper
   * plan can do it), and the trace says so.
   */
  private Plan capablePlan(Effort level, Ask ask, List<String> notes) {
    Plan plan = ladder.plan(level);
    Optional<String> lacks = lacking(plan, ask);
    if (lacks.isEmpty()) {
      return plan;
    }
    List<Effort> order = new ArrayList<>();
    for (Effort l = level; l != Effort.LOW; ) {
      l = l.lower();
      order.add(l);
    }
    for (Effort l : Effort.LEVELS) {
      if (l.isAbove(level)) {
        order.add(l);
      }
    }
    for (Effort l : order) {
      if (lacking(ladder.plan(l), ask).isEmpty()) {
        String note = "level " + level + "'s plan " + plan + " " + lacks.get() + "; ran level " + l + "'s plan instead";
        if (!notes.contains(note)) {
          notes.add(note);
        }
        return ladder.plan(l);
      }
    }
    throw new UnservableAskException("no plan of this fleet's ladder can take this request: level " + level + "'s plan "
        + plan + " " + lacks.get() + capableModels(ask).replace("; ", "; pin a model that can, "));
  }

  /** What a plan's models cannot take of the ask ("calls X, which reads no images"), if anything. */
  private Optional<String> lacking(Plan plan, Ask ask) {
    boolean images = ask.hasImages();
    boolean tools = !ask.tools().isEmpty();
    for (String id : plan.models()) {
      Optional<ModelInfo> m = catalog.find(id);
      if (m.isEmpty()) {
        continue;
      }
      if (images && !m.get().takesImages()) {
        return Optional.of("calls " + id + ", which reads no images (catalog)");
      }
      if (tools && !m.get().takesTools()) {
        return Optional.of("calls " + id + ", which calls no tools (catalog)");
      }
    }
    return Optional.empty();
  }

  private String capableModels(Ask ask) {
    List<String> capable = catalog.ids().stream()
        .filter(id -> lacking(Plan.single(id), ask).isEmpty())
        .toList();
    return capable.isEmpty() ? "" : "; models that can: " + String.join(", ", capable);
  }

  /** A pinned model's plan at a level: one call, the level passed to the model's own knob. */
  private static Plan pinned(String model, Effort level) {
    return new Plan(Strategy.SINGLE, List.of(new Step(model, Optional.of(level), java.util.OptionalInt.empty(),
        java.util.OptionalInt.empty())));
  }

  /**
   * Lowers the level until its plan is expected to meet the ask's deadline and cost cap; if even
   * {@code low} is not, runs the fastest (deadline) or cheapest (cost cap) level and says so.
   */
  private PlannedAsk fit(Ask ask, Effort asked, java.util.function.Function<Effort, Plan> planOf, List<String> notes) {
    if (ask.deadline().isEmpty() && ask.maxCostUsd().isEmpty()) {
      return new PlannedAsk(ask, asked, planOf.apply(asked), notes);
    }
    Effort level = asked;
    while (true) {
      Estimate e = PlanForecast.of(planOf.apply(level), ask, catalog);
      Optional<String> miss = miss(e, ask);
      if (miss.isEmpty()) {
        Optional<String> downgrade = Optional.empty();
        if (level != asked) {
          Estimate atAsked = PlanForecast.of(planOf.apply(asked), ask, catalog);
          downgrade = Optional.of("lowered from " + asked + " to " + level + ": at " + asked + " " + miss(atAsked, ask).orElseThrow());
          notes.add(downgrade.get());
        }
        return new PlannedAsk(ask, level, e.plan(), notes, downgrade, Optional.empty());
      }
      if (level == Effort.LOW) {
        break;
      }
      level = level.lower();
    }
    // Nothing fits: the fastest plan for a deadline, else the cheapest, at or below the level asked.
    Effort best = asked;
    for (Effort l = asked; ; l = l.lower()) {
      Estimate e = PlanForecast.of(planOf.apply(l), ask, catalog);
      Estimate b = PlanForecast.of(planOf.apply(best), ask, catalog);
      boolean better = ask.deadline().isPresent() ? e.latency().compareTo(b.latency()) < 0 : e.costUsd() < b.costUsd();
      if (better) {
        best = l;
      }
      if (l == Effort.LOW) {
        break;
      }
    }
    Estimate chosen = PlanForecast.of(planOf.apply(best), ask, catalog);
    String unmet = "no level is expected to meet " + constraints(ask) + "; ran the "
        + (ask.deadline().isPresent() ? "fastest" : "cheapest") + ", " + best + " (" + expected(chosen) + ")";
    notes.add(unmet);
    Optional<String> downgrade = best == asked ? Optional.empty() : Optional.of("lowered from " + asked + " to " + best + ": " + unmet);
    return new PlannedAsk(ask, best, chosen.plan(), notes, downgrade, Optional.of(unmet));
  }

  private static Optional<String> miss(Estimate e, Ask ask) {
    List<String> misses = new ArrayList<>();
    ask.deadline().filter(d -> e.latency().compareTo(d) > 0)
        .ifPresent(d -> misses.add("expected " + e.latency().toMillis() + " ms exceeds the deadline of " + d.toMillis() + " ms"));
    ask.maxCostUsd().filter(c -> e.costUsd() > c)
        .ifPresent(c -> misses.add(String.format(java.util.Locale.ROOT, "expected $%.6f exceeds the cost cap of $%.6f", e.costUsd(), c)));
    return misses.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", misses));
  }

  private static String constraints(Ask ask) {
    return RouteChoice.constraints(ask.deadline(), ask.maxCostUsd());
  }

  private static String expected(Estimate e) {
    return String.format(java.util.Locale.ROOT, "expected %d ms, $%.6f", e.latency().toMillis(), e.costUsd());
  }

  /**
   * A plan to run instead of {@code failed}, whose models in {@code down} cannot answer now (every
   * deployment failed, or every circuit is open): with {@code sameLevelFirst}, the same plan with
   * each such model replaced by its first stand-in that is up ({@code standIns}); then the plans of
   * the levels below, nearest first (for auto, from the default level down). Never a plan that
   * calls a model that is down, cannot take the ask, or is expected to cost more than the failed
   * plan (its budget reservation must hold); never another model for a pinned ask's lower levels.
   */
  public Optional<PlannedAsk> fallback(PlannedAsk failed, java.util.Set<String> down, boolean sameLevelFirst,
      java.util.Map<String, List<String>> standIns) {
    Ask ask = failed.ask();
    double ceiling = PlanForecast.of(failed.plan(), ask, catalog).costUsd() * (1 + 1e-9);
    String why = "every deployment of " + String.join(", ", down.stream().filter(failed.plan().models()::contains).toList())
        + " failed or has its circuit open";
    if (sameLevelFirst) {
      List<Step> steps = new ArrayList<>();
      for (Step s : failed.plan().steps()) {
        if (!down.contains(s.model())) {
          steps.add(s);
          continue;
        }
        Optional<String> standIn = standIns.getOrDefault(s.model(), List.of()).stream()
            .filter(m -> !down.contains(m) && catalog.find(m).isPresent()).findFirst();
        if (standIn.isEmpty()) {
          steps = null;
          break;
        }
        steps.add(new Step(standIn.get(), s.nativeEffort(), s.thinkingBudgetTokens(), s.maxTokens()));
      }
      if (steps != null) {
        Plan plan = new Plan(failed.plan().strategy(), steps);
        if (usable(plan, ask, down, ceiling)) {
          List<String> notes = new ArrayList<>(failed.notes());
          notes.add("fallback: " + why + "; ran " + plan + " at the same level");
          return Optional.of(new PlannedAsk(ask, failed.applied(), plan, notes, failed.downgrade(), failed.unmet()));
        }
      }
    }
    if (ask.model().isPresent()) {
      return Optional.empty(); // a lower level of a pinned model calls the same model
    }
    List<Effort> lower = new ArrayList<>();
    if (!failed.applied().isFixed()) {
      lower.add(defaultLevel);
    }
    for (Effort l = failed.applied().isFixed() ? failed.applied() : defaultLevel; l != Effort.LOW; ) {
      l = l.lower();
      lower.add(l);
    }
    for (Effort level : lower) {
      Plan plan = ladder.plan(level);
      if (usable(plan, ask, down, ceiling)) {
        String downgrade = "lowered from " + failed.applied() + " to " + level + ": " + why;
        List<String> notes = new ArrayList<>(failed.notes());
        notes.add("fallback: " + downgrade);
        return Optional.of(new PlannedAsk(ask, level, plan, notes, Optional.of(downgrade), failed.unmet()));
      }
    }
    return Optional.empty();
  }

  private boolean usable(Plan plan, Ask ask, java.util.Set<String> down, double ceiling) {
    return plan.models().stream().noneMatch(down::contains) && lacking(plan, ask).isEmpty()
        && PlanForecast.of(plan, ask, catalog).costUsd() <= ceiling;
  }

  public Ladder ladder() {
    return ladder;
  }

  public Catalog catalog() {
    return catalog;
  }
}
