package dev.effort.server.limits;

import dev.effort.core.Effort;

/**
 * What {@link Budgets#lowerUntilFits} answers: the highest effort level not above the one asked
 * whose worst case fits the budget, with its reservation; or the refusal for {@code low}.
 */
public sealed interface EffortFit permits EffortFit.Fitted, BudgetRefusal {

  /** {@code effort} is affordable and its worst case is held by {@code reservation}. */
  record Fitted(Effort asked, Effort effort, Reservation reservation) implements EffortFit {
    /** True when the budget forced a level below the one asked (the trace should say so). */
    public boolean lowered() {
      return effort != asked;
    }
  }
}
