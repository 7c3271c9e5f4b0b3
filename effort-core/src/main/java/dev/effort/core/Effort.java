package dev.effort.core;

import java.util.List;
import java.util.Locale;

/**
 * One dial from fast to smart: {@code low < medium < high < xhigh < max}, plus {@code auto}, which
 * lets the router decide per ask.
 */
public enum Effort {
  LOW,
  MEDIUM,
  HIGH,
  XHIGH,
  MAX,
  AUTO;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The fixed levels in rising order. */
  public static final List<Effort> LEVELS = List.of(LOW, MEDIUM, HIGH, XHIGH, MAX);

  public static final String ACCEPTED =
      "low, medium, high, xhigh, max, auto (also none and minimal, read as low; any case)";

  /**
   * Reads an effort level from any convention in use: Anthropic and OpenAI names as they are,
   * OpenAI {@code none}/{@code minimal} as {@code low}, in any case, with surrounding blanks.
   *
   * @throws UnknownEffortException naming the accepted values
   */
  public static Effort parse(String value) {
    if (value == null || value.isBlank()) {
      throw new UnknownEffortException(value, ACCEPTED);
    }
    String v = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (v) {
      case "none", "minimal", "low" -> LOW;
      case "medium" -> MEDIUM;
      case "high" -> HIGH;
      case "xhigh", "x-high" -> XHIGH;
      case "max" -> MAX;
      case "auto" -> AUTO;
      default -> throw new UnknownEffortException(value, ACCEPTED);
    };
  }

  /** The name on the wire and in config: {@code low}, {@code xhigh}, {@code auto}. */
  public String wireName() {
    return wireName; // asked for on every request (headers, ledger, metrics): made once
  }

  public boolean isFixed() {
    return this != AUTO;
  }

  /** The next lower fixed level, or this one if it is already {@code low}. */
  public Effort lower() {
    requireFixed();
    return this == LOW ? LOW : values()[ordinal() - 1];
  }

  public boolean isAbove(Effort other) {
    requireFixed();
    other.requireFixed();
    return ordinal() > other.ordinal();
  }

  private void requireFixed() {
    if (!isFixed()) {
      throw new IllegalStateException("auto has no place on the dial; resolve it to a level first");
    }
  }

  @Override
  public String toString() {
    return wireName();
  }
}
