package dev.effort.core;

import java.util.List;

/**
 * An ask with its plan: what the {@link Planner} decided and why.
 *
 * @param ask the ask as received
 * @param applied the level actually used (may be lower than asked; notes say why)
 * @param plan the plan to run
 * @param notes reasons for the planner's decisions, carried into the trace
 */
public record PlannedAsk(Ask ask, Effort applied, Plan plan, List<String> notes) {
  public PlannedAsk {
    notes = List.copyOf(notes);
  }
}
