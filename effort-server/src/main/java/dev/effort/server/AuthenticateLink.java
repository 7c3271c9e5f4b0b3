package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.Planner;
import dev.effort.server.store.ApiKey;
import java.util.Optional;

/**
 * Who is calling: the caller's key, left in the exchange, and with it the ceiling on the level
 * ({@code max_effort}). First in the chain: a caller without a valid key learns nothing more, not
 * even what is wrong with its request.
 */
final class AuthenticateLink implements Executor.ExchangeLink {

  /** The secret the client sent ({@code Authorization: Bearer} or {@code x-api-key}), if any. */
  record Credentials(Optional<String> secret) {
    @Override
    public String toString() {
      return "Credentials[secret not shown]";
    }
  }

  private final Governance governance;

  AuthenticateLink(Governance governance) {
    this.governance = governance;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Optional<String> secret = exchange.get(Credentials.class).flatMap(Credentials::secret);
    governance.authenticate(secret).ifPresent(key -> {
      exchange.put(ApiKey.class, key);
      key.maxEffort().ifPresent(max -> exchange.ceiling(
          new Planner.Ceiling(max, "key '" + key.name() + "' has max_effort " + max)));
    });
    return next.proceed(exchange);
  }
}
