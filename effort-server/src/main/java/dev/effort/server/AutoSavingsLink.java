package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Effort;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.PlanForecast;
import dev.effort.core.Planner;

/**
 * For each answered {@code auto} request, its cost beside the forecast cost of {@code max}'s plan
 * for the same ask: what auto saved. The ledger keeps the cost but not the forecast, so both are
 * kept here, per minute, for the dashboard.
 */
final class AutoSavingsLink implements Executor.ExchangeLink {
  static final String NAME = "auto";

  private final Planner planner;
  private final MinuteTotals savings;

  AutoSavingsLink(Planner planner, MinuteTotals savings) {
    this.planner = planner;
    this.savings = savings;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Answer answer = next.proceed(exchange);
    if (exchange.ask().effort() == Effort.AUTO) {
      double maxForecast = PlanForecast.of(planner.ladder().plan(Effort.MAX), exchange.ask(), planner.catalog()).costUsd();
      savings.add(NAME, answer.costUsd(), maxForecast);
    }
    return answer;
  }
}
