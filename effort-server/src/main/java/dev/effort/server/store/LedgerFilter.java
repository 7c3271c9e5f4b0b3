package dev.effort.server.store;

import dev.effort.core.Effort;
import java.util.Optional;

/**
 * Which ledger rows {@link Ledger#recent} returns; an empty field matches every row.
 *
 * @param keyId the caller's key
 * @param level the level applied
 * @param model a model the request called (one of the row's {@code models})
 * @param status {@code ok} (below 400), {@code error} (400 or more) or an exact status such as {@code 429}
 */
public record LedgerFilter(Optional<Long> keyId, Optional<Effort> level, Optional<String> model, Optional<String> status) {
  public static final LedgerFilter ALL = new LedgerFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public LedgerFilter {
    status.ifPresent(s -> {
      if (!s.equals("ok") && !s.equals("error") && !s.matches("[1-5][0-9][0-9]")) {
        throw new IllegalArgumentException("status: '" + s + "' is not one of ok, error or an HTTP status such as 429");
      }
    });
  }
}
