package dev.effort.core;

/**
 * One step as it was run.
 *
 * @param role {@code answer} (single), {@code probe} / {@code escalation} (cascade), {@code sample} (vote)
 * @param completion what the provider returned
 * @param used whether this step's text became the answer
 */
public record StepTrace(Step step, String role, Completion completion, boolean used) {}
