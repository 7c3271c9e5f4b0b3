package dev.effort.server.store;

/** How {@link Ledger#stats} groups the rows of a window. */
public enum StatsBy {
  /** The level applied. */
  LEVEL("COALESCE(applied_effort, '')", "1 = 1"),
  /** The models called, as the row lists them. */
  MODEL("models", "1 = 1"),
  /** The plan run, among requests that asked for {@code auto}: where auto sends traffic. */
  AUTO_PLAN("plan", "asked_effort = 'auto'"),
  /** The key's id ({@code 0}: no key). */
  KEY("COALESCE(key_id, 0)", "1 = 1"),
  /** Why the level was lowered, among rows that were. */
  DOWNGRADE_REASON("downgrade_reason", "downgrade_reason IS NOT NULL");

  final String expression;
  final String condition;

  StatsBy(String expression, String condition) {
    this.expression = expression;
    this.condition = condition;
  }
}
