package dev.effort.server.store;

import dev.effort.core.Effort;
import java.time.Instant;
import java.util.Objects;

/**
 * One answered (or refused) request, as the ledger keeps it. Times are kept to the millisecond.
 *
 * @param id assigned by {@link Ledger#append}; any value passed in is ignored ({@link #NEW})
 * @param keyId the caller's key, or null when the gateway runs without keys
 * @param api the client's wire format: {@code openai} or {@code anthropic}
 * @param askedEffort the level asked for, or null when the request failed before it was known
 * @param appliedEffort the level used, or null when no plan was made
 * @param plan short plan string (as in the {@code Effort-Plan} header), empty without a plan
 * @param models models called, comma-separated, in order; empty when none was
 * @param costUsd what the upstream calls cost
 * @param ttftMs time to first token, or null when nothing was streamed
 * @param latencyMs total time from request to last byte
 * @param status HTTP status answered
 * @param downgradeReason why the level was lowered, or null
 * @param error the error message answered, or null on success
 */
public record LedgerEntry(
    long id,
    Long keyId,
    Instant time,
    String api,
    Effort askedEffort,
    Effort appliedEffort,
    String plan,
    String models,
    long inputTokens,
    long outputTokens,
    long thinkingTokens,
    double costUsd,
    Long ttftMs,
    long latencyMs,
    int status,
    String downgradeReason,
    String error) {

  /** The id of an entry not yet appended. */
  public static final long NEW = 0;

  /**
   * Longest error text kept: a message may echo the client's input (a megabyte model name), and
   * the ledger must not store it.
   */
  public static final int MAX_ERROR_CHARS = 500;

  public LedgerEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(api, "api");
    plan = plan == null ? "" : plan;
    models = models == null ? "" : models;
    if (error != null && error.length() > MAX_ERROR_CHARS) {
      int end = Character.isHighSurrogate(error.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1 : MAX_ERROR_CHARS;
      error = error.substring(0, end) + "…";
    }
  }

  public LedgerEntry withId(long newId) {
    return new LedgerEntry(newId, keyId, time, api, askedEffort, appliedEffort, plan, models, inputTokens, outputTokens,
        thinkingTokens, costUsd, ttftMs, latencyMs, status, downgradeReason, error);
  }

  public boolean isError() {
    return status >= 400;
  }
}
