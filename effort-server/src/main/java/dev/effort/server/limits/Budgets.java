package dev.effort.server.limits;

import dev.effort.core.Effort;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per-key spending budgets that hold under concurrency: a call reserves its worst-case cost before
 * it runs and settles the real cost after, and the check {@code spent + held + worstCase <= limit}
 * and the hold happen atomically per key. So concurrent calls can never together overshoot a
 * budget, except by what a call costs beyond its own worst case.
 */
public interface Budgets {

  /**
   * Holds {@code worstCaseUsd} against the key's daily and monthly budgets, or refuses. When both
   * budgets are short, the refusal names the monthly one: waiting for midnight would not help.
   */
  BudgetDecision reserve(String keyId, double worstCaseUsd, BudgetLimits limits, Instant now);

  /**
   * The gateway's default when the asked level is too dear: tries {@code asked}, then each lower
   * level, and reserves the first whose worst case fits; refuses (with {@code low}'s worst case)
   * when not even {@code low} fits. Each try is one atomic {@link #reserve}.
   *
   * @param asked a fixed level: resolve {@code auto} first
   * @param worstCaseUsd the worst-case cost of the plan at each level
   */
  default EffortFit lowerUntilFits(
      String keyId, Effort asked, Function<Effort, Double> worstCaseUsd, BudgetLimits limits, Instant now) {
    if (!asked.isFixed()) {
      throw new IllegalArgumentException("resolve effort auto to a level before checking the budget");
    }
    BudgetRefusal last = null;
    for (int i = Effort.LEVELS.indexOf(asked); i >= 0; i--) {
      Effort level = Effort.LEVELS.get(i);
      Double cost = Objects.requireNonNull(worstCaseUsd.apply(level), () -> "no worst-case cost for " + level);
      switch (reserve(keyId, cost, limits, now)) {
        case Reservation r -> {
          return new EffortFit.Fitted(asked, level, r);
        }
        case BudgetRefusal refusal -> last = refusal;
      }
    }
    return last;
  }
}
