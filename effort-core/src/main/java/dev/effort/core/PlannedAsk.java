package dev.effort.core;

import java.util.List;

/**
 * An ask with its plan: what the {@link Planner} decided and why.
 *
 * @param ask the ask as received
 * @param applied the level actually used (may be lower than asked; notes say why)
 * @param plan the plan to run
 * @param notes reasons for the planner's decisions, carried into the trace
 * @param downgrade why the level was lowered below the one asked for, if it was
 * @param unmet which constraint (deadline, cost cap) no plan was expected to meet, if any
 */
public record PlannedAsk(
    Ask ask, Effort applied, Plan plan, List<String> notes, java.util.Optional<String> downgrade,
    java.util.Optional<String> unmet) {
  public PlannedAsk {
    notes = List.copyOf(notes);
    java.util.Objects.requireNonNull(downgrade, "downgrade");
    java.util.Objects.requireNonNull(unmet, "unmet");
  }

  public PlannedAsk(Ask ask, Effort applied, Plan plan, List<String> notes) {
    this(ask, applied, plan, notes, java.util.Optional.empty(), java.util.Optional.empty());
  }
}
