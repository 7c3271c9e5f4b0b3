package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Effort;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.PlanForecast;
import dev.effort.core.Planner;
import java.util.OptionalInt;

/**
 * For each answered {@code auto} request: its cost, and the forecast cost of {@code max}'s plan for
 * the same prompt and an answer as long as the one auto gave (catalog prices; a cascade at max
 * counted as escalating). Auto's saving is the difference. The ledger keeps the cost but not the
 * forecast, so both are kept here, per minute, for the dashboard.
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
      // The forecast's default answer length (300 tokens) would credit auto for short answers, not for its plan.
      int answerTokens = (int) Math.min(Integer.MAX_VALUE, answer.trace().steps().stream()
          .filter(s -> s.used() && s.completion().model().equals(answer.model())).findFirst()
          .map(s -> s.completion().usage().outputTokens() + s.completion().usage().thinkingTokens())
          .orElse(answer.usage().outputTokens()));
      double maxForecast = PlanForecast.of(planner.ladder().plan(Effort.MAX), exchange.ask(), planner.catalog(),
          PromptTokens.of(exchange), step -> OptionalInt.of(answerTokens)).costUsd();
      savings.add(NAME, answer.costUsd(), maxForecast);
    }
    return answer;
  }
}
