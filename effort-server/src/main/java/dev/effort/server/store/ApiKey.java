package dev.effort.server.store;

import dev.effort.core.Effort;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A client's API key as stored: its limits and defaults, never its secret.
 *
 * @param id stable number, also the ledger's key id
 * @param name unique among active keys
 * @param prefix first characters of the secret, to tell keys apart in lists and logs
 * @param budgetUsdDay spending cap per UTC day
 * @param budgetUsdMonth spending cap per UTC calendar month
 * @param maxEffort ceiling: a request above it is lowered (and the trace says so)
 * @param defaultEffort level of a request that names none
 * @param rpm requests per minute
 * @param tpm tokens per minute
 * @param agent an agent's key (long-running, many calls per task) rather than a person's or an app's
 * @param revoked when it was revoked; a revoked key authenticates to nothing
 */
public record ApiKey(
    long id,
    String name,
    String prefix,
    OptionalDouble budgetUsdDay,
    OptionalDouble budgetUsdMonth,
    Optional<Effort> maxEffort,
    Optional<Effort> defaultEffort,
    OptionalInt rpm,
    OptionalInt tpm,
    boolean agent,
    Instant created,
    Optional<Instant> revoked) {

  public boolean isRevoked() {
    return revoked.isPresent();
  }
}
