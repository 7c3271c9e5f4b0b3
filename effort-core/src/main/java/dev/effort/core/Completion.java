package dev.effort.core;

import java.time.Duration;

/**
 * What one provider call returned.
 *
 * @param model the model that answered
 * @param text the answer text
 * @param usage tokens in, out and thinking
 * @param costUsd what the call cost
 * @param ttft time to first token (measured live, modeled on replay)
 * @param latency total time of the call (measured live, modeled on replay)
 */
public record Completion(String model, String text, Usage usage, double costUsd, Duration ttft, Duration latency) {}
