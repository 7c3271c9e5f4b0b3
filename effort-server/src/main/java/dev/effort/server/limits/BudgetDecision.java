package dev.effort.server.limits;

/** What {@link Budgets#reserve} answers: money held for the call, or why not. */
public sealed interface BudgetDecision permits Reservation, BudgetRefusal {}
