package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Catalog;
import dev.effort.core.Deltas;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import java.util.List;

/**
 * A stream cut short (the client went away, the upstream broke off) is charged for what it
 * streamed, which the upstream bills: watches the stream's deltas and, when the call fails, leaves
 * the charge in the exchange. Last of the exchange links, so that {@link SettleLink} and {@link
 * LedgerLink} see the failure after it, charge and all.
 */
final class CutStreamLink implements Executor.ExchangeLink {
  private final Catalog catalog;

  CutStreamLink(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    if (exchange.deltas() == Deltas.NONE) {
      return next.proceed(exchange);
    }
    StreamedSoFar streamed = new StreamedSoFar();
    exchange.deltas(streamed.watch(exchange.deltas()));
    try {
      return next.proceed(exchange);
    } catch (RuntimeException failure) {
      exchange.planned().ifPresent(planned -> {
        List<String> models = planned.plan().models();
        streamed.charge(models.get(models.size() - 1), PromptTokens.of(exchange), catalog).ifPresent(exchange::charge);
      });
      throw failure;
    }
  }
}
