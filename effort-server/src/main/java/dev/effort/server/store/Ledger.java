package dev.effort.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable record of every answer: key, plan, usage, cost, latency, outcome. */
public interface Ledger {

  /**
   * Records an entry. When this returns, the entry is committed and survives a crash of the
   * process: answer the client after it, not before.
   *
   * @return the id given to the entry
   */
  long append(LedgerEntry entry);

  Optional<LedgerEntry> get(long id);

  /** What a key spent from {@code fromInclusive} on, in USD: the figure budgets are checked against. */
  double spentUsd(long keyId, Instant fromInclusive);

  /** Number of entries. */
  long count();

  /** Deletes the entries older than {@code cutoff} (the retention setting); returns how many. */
  int deleteBefore(Instant cutoff);

  /** Totals per group, in the group's natural order (keys and models by name, days and levels rising). */
  List<UsageRow> usage(GroupBy by);

  /**
   * Per group, what the rows from {@code fromInclusive} on hold: requests, errors, downgrades,
   * tokens, cost, latency and time-to-first-token percentiles; groups with the most requests first.
   */
  List<GroupStats> stats(StatsBy by, Instant fromInclusive);

  /** The newest rows that match {@code filter}, newest first, at most {@code limit}. */
  List<LedgerEntry> recent(LedgerFilter filter, int limit);
}
