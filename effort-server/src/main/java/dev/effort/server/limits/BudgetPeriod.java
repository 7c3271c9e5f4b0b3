package dev.effort.server.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The two spending budgets a key can have; both reset on UTC boundaries so every node agrees. */
public enum BudgetPeriod {
  DAY("daily"),
  MONTH("monthly");

  private final String adjective;

  BudgetPeriod(String adjective) {
    this.adjective = adjective;
  }

  /** Start of the period that holds {@code now}: UTC midnight, or the first of the month. */
  public Instant start(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate first = this == DAY ? today : today.withDayOfMonth(1);
    return first.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** When the period that holds {@code now} ends and the budget is whole again. */
  public Instant nextReset(Instant now) {
    LocalDate start = LocalDate.ofInstant(start(now), ZoneOffset.UTC);
    LocalDate next = this == DAY ? start.plusDays(1) : start.plusMonths(1);
    return next.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** {@code daily} or {@code monthly}, for messages. */
  public String adjective() {
    return adjective;
  }
}
