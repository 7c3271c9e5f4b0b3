package dev.effort.core;

import java.util.List;

/**
 * Everything done for one ask: the level asked for and applied, the plan, each step run, and the
 * reasons for every decision (downgrades, cascade acceptance or escalation, auto fallback).
 */
public record Trace(
    Effort asked, Effort applied, Plan plan, List<StepTrace> steps, List<String> notes,
    java.util.Optional<String> downgrade, java.util.Optional<String> unmet) {
  public Trace {
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
    java.util.Objects.requireNonNull(downgrade, "downgrade");
    java.util.Objects.requireNonNull(unmet, "unmet");
  }

  public Trace(Effort asked, Effort applied, Plan plan, List<StepTrace> steps, List<String> notes) {
    this(asked, applied, plan, steps, notes, java.util.Optional.empty(), java.util.Optional.empty());
  }
}
