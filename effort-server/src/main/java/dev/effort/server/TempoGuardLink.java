package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.server.store.ApiKey;

/** The tempo guard: a key calling far faster than its usual pace (a runaway loop) gets a 429 before anything is spent. */
final class TempoGuardLink implements Executor.ExchangeLink {
  private final Governance governance;

  TempoGuardLink(Governance governance) {
    this.governance = governance;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    exchange.get(ApiKey.class).ifPresent(governance::guardTempo);
    return next.proceed(exchange);
  }
}
