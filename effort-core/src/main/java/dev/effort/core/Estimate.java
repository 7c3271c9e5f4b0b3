package dev.effort.core;

import java.time.Duration;

/**
 * What the router expects of one candidate plan for one ask.
 *
 * @param plan the candidate
 * @param quality predicted chance of a good answer, 0 to 1
 * @param costUsd expected cost
 * @param latency expected total latency
 */
public record Estimate(Plan plan, double quality, double costUsd, Duration latency) {}
