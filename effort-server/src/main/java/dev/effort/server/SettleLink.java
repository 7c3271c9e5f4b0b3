package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.Usage;
import dev.effort.server.limits.RatePermit;
import dev.effort.server.limits.Reservation;

/**
 * Settles what was held before the call with what it used, on the way back and before the ledger
 * row: the budget reservation with its cost, the rate-limit permit with its tokens. A failed call
 * is settled with what it was charged (a stream cut short), or its holds are released.
 */
final class SettleLink implements Executor.ExchangeLink {

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Answer answer;
    try {
      answer = next.proceed(exchange);
    } catch (RuntimeException failure) {
      try {
        exchange.charged().ifPresentOrElse(c -> settle(exchange, c.costUsd(), c.usage()), () -> release(exchange));
      } catch (RuntimeException settling) {
        failure.addSuppressed(settling); // the client is told of the failure, not of the settling
      }
      throw failure;
    }
    settle(exchange, answer.costUsd(), answer.usage());
    return answer;
  }

  private static void settle(Exchange exchange, double costUsd, Usage usage) {
    exchange.get(Reservation.class).ifPresent(r -> r.settle(costUsd));
    exchange.get(RatePermit.class).ifPresent(p -> p.settle(usage.inputTokens() + usage.outputTokens() + usage.thinkingTokens()));
  }

  private static void release(Exchange exchange) {
    exchange.get(Reservation.class).ifPresent(Reservation::release);
    exchange.get(RatePermit.class).ifPresent(p -> p.settle(0));
  }
}
