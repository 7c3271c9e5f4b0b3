package dev.effort.core;

import java.time.Duration;

/**
 * The result of an ask.
 *
 * @param text the answer text
 * @param thinking the visible thinking of the step whose text this is, empty when none
 * @param model the model whose text this is
 * @param usage tokens of every step added up
 * @param costUsd cost of every step added up
 * @param ttft time until the answer's first token could be sent
 * @param latency total time: parallel steps count the slowest, sequential steps add up
 * @param trace what was done and why
 */
public record Answer(
    String text, String thinking, String model, Usage usage, double costUsd, Duration ttft, Duration latency, Trace trace) {}
