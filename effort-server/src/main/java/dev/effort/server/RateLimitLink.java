package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.server.limits.RatePermit;
import dev.effort.server.store.ApiKey;
import java.util.Optional;

/**
 * The key's requests and tokens per minute: takes a permit for the prompt and the answer's cap
 * (300 tokens when the client set none) before the call, left in the exchange for {@link
 * SettleLink} to correct to the tokens used; a 429 with retry-after when the key is over a limit.
 */
final class RateLimitLink implements Executor.ExchangeLink {
  /** Output tokens assumed for a request without {@code max_tokens}. */
  private static final int UNCAPPED_ANSWER_TOKENS = 300;

  private final Governance governance;

  RateLimitLink(Governance governance) {
    this.governance = governance;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Optional<ApiKey> key = exchange.get(ApiKey.class);
    if (key.isEmpty()) {
      return next.proceed(exchange);
    }
    long estimate = PromptTokens.of(exchange) + exchange.ask().maxTokens().orElse(UNCAPPED_ANSWER_TOKENS);
    Optional<RatePermit> permit = governance.rateLimit(key.get(), estimate);
    if (permit.isEmpty()) {
      return next.proceed(exchange);
    }
    exchange.put(RatePermit.class, permit.get());
    try {
      return next.proceed(exchange);
    } finally {
      // A request refused after this link used no tokens; once SettleLink has settled, a no-op.
      permit.get().settle(0);
    }
  }
}
