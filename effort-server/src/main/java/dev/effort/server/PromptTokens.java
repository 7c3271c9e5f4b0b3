package dev.effort.server;

import dev.effort.core.Ask;
import dev.effort.core.Exchange;

/**
 * The prompt's tokens (messages and tools) as this gateway counts them, counted on first use and
 * kept in the exchange: the rate limit, each budget estimate (about 15 in the output-cap search),
 * the stream's first event and a cut stream's charge all need them. Only messages and tools count,
 * which no link changes.
 */
record PromptTokens(long count) {

  static long of(Exchange exchange) {
    return exchange.get(PromptTokens.class)
        .orElseGet(() -> exchange.put(PromptTokens.class, new PromptTokens(count(exchange.ask()))))
        .count();
  }

  private static long count(Ask ask) {
    return dev.effort.providers.InputTokens.of(ask.messages(), ask.tools());
  }
}
