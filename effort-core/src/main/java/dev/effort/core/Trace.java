package dev.effort.core;

import java.util.List;
import java.util.Optional;

/**
 * Everything done for one ask: the level asked for and applied, the plan, each step run, the
 * reasons for every decision (downgrades, cascade acceptance or escalation, auto fallback), and
 * every upstream attempt with what it cost (retries, failovers, hedges and fallbacks included).
 *
 * @param fallback what failed and which plan answered instead, when the plan asked could not run
 */
public record Trace(
    Effort asked, Effort applied, Plan plan, List<StepTrace> steps, List<String> notes,
    Optional<String> downgrade, Optional<String> unmet, List<Attempt> attempts, Optional<String> fallback) {
  public Trace {
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
    java.util.Objects.requireNonNull(downgrade, "downgrade");
    java.util.Objects.requireNonNull(unmet, "unmet");
    attempts = List.copyOf(attempts);
    java.util.Objects.requireNonNull(fallback, "fallback");
  }

  public Trace(Effort asked, Effort applied, Plan plan, List<StepTrace> steps, List<String> notes,
      Optional<String> downgrade, Optional<String> unmet) {
    this(asked, applied, plan, steps, notes, downgrade, unmet, List.of(), Optional.empty());
  }

  public Trace(Effort asked, Effort applied, Plan plan, List<StepTrace> steps, List<String> notes) {
    this(asked, applied, plan, steps, notes, Optional.empty(), Optional.empty());
  }
}
