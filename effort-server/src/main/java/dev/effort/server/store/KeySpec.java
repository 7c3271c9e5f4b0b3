package dev.effort.server.store;

import dev.effort.core.Effort;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a new key should be: {@code KeySpec.named("ci").budgetUsdDay(5).maxEffort(Effort.HIGH)}.
 * Unset limits mean no limit; fields mean the same as in {@link ApiKey}.
 */
public record KeySpec(
    String name,
    OptionalDouble budgetUsdDay,
    OptionalDouble budgetUsdMonth,
    Optional<Effort> maxEffort,
    Optional<Effort> defaultEffort,
    OptionalInt rpm,
    OptionalInt tpm,
    boolean agent) {

  /** Starts with a letter, so that a name is never mistaken for a numeric id. */
  static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
  public static final String NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter";

  /** Checks every field; the messages say what is accepted. */
  public KeySpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid key name '" + name + "'; accepted: " + NAME_RULE);
    }
    positive("budget_usd_day", budgetUsdDay);
    positive("budget_usd_month", budgetUsdMonth);
    positive("rpm", rpm);
    positive("tpm", tpm);
    if (maxEffort.filter(e -> !e.isFixed()).isPresent()) {
      throw new IllegalArgumentException("max effort must be a level, not auto; accepted: low, medium, high, xhigh, max");
    }
    if (maxEffort.isPresent() && defaultEffort.filter(Effort::isFixed).filter(d -> d.isAbove(maxEffort.get())).isPresent()) {
      throw new IllegalArgumentException("default effort " + defaultEffort.get() + " is above max effort "
          + maxEffort.get() + "; choose a default at or below the ceiling");
    }
  }

  public static KeySpec named(String name) {
    return new KeySpec(name, OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(), Optional.empty(),
        OptionalInt.empty(), OptionalInt.empty(), false);
  }

  public KeySpec budgetUsdDay(double usd) {
    return new KeySpec(name, OptionalDouble.of(usd), budgetUsdMonth, maxEffort, defaultEffort, rpm, tpm, agent);
  }

  public KeySpec budgetUsdMonth(double usd) {
    return new KeySpec(name, budgetUsdDay, OptionalDouble.of(usd), maxEffort, defaultEffort, rpm, tpm, agent);
  }

  public KeySpec maxEffort(Effort level) {
    return new KeySpec(name, budgetUsdDay, budgetUsdMonth, Optional.of(level), defaultEffort, rpm, tpm, agent);
  }

  public KeySpec defaultEffort(Effort level) {
    return new KeySpec(name, budgetUsdDay, budgetUsdMonth, maxEffort, Optional.of(level), rpm, tpm, agent);
  }

  public KeySpec rpm(int requestsPerMinute) {
    return new KeySpec(name, budgetUsdDay, budgetUsdMonth, maxEffort, defaultEffort, OptionalInt.of(requestsPerMinute),
        tpm, agent);
  }

  public KeySpec tpm(int tokensPerMinute) {
    return new KeySpec(name, budgetUsdDay, budgetUsdMonth, maxEffort, defaultEffort, rpm, OptionalInt.of(tokensPerMinute),
        agent);
  }

  public KeySpec agent(boolean isAgent) {
    return new KeySpec(name, budgetUsdDay, budgetUsdMonth, maxEffort, defaultEffort, rpm, tpm, isAgent);
  }

  private static void positive(String what, OptionalDouble v) {
    if (v.isPresent() && !(v.getAsDouble() > 0 && Double.isFinite(v.getAsDouble()))) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be a positive number of dollars, got %s",
          what, v.getAsDouble()));
    }
  }

  private static void positive(String what, OptionalInt v) {
    if (v.isPresent() && v.getAsInt() <= 0) {
      throw new IllegalArgumentException(what + " must be a positive whole number, got " + v.getAsInt());
    }
  }
}
