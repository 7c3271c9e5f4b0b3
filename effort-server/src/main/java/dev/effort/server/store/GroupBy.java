package dev.effort.server.store;

import java.util.Locale;

/** How {@link Ledger#usage} groups requests. */
public enum GroupBy {
  /** By API key (name); requests without a key form one group. */
  KEY,
  /** By UTC calendar day. */
  DAY,
  /** By the level applied (after any lowering). */
  EFFORT,
  /** By the models called, as recorded (a cascade's models together, in order). */
  MODEL;

  public static final String ACCEPTED = "key, day, effort, model";

  public static GroupBy parse(String value) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (GroupBy g : values()) {
      if (g.name().equals(v)) {
        return g;
      }
    }
    throw new IllegalArgumentException("cannot group usage by '" + value + "'; accepted: " + ACCEPTED);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
