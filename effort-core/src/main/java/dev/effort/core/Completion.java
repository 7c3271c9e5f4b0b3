package dev.effort.core;

import java.time.Duration;

/**
 * What one provider call returned.
 *
 * @param model the model that answered
 * @param text the answer text
 * @param thinking the model's visible thinking (reasoning summary), empty when it gave none
 * @param usage tokens in, out and thinking
 * @param costUsd what the call cost
 * @param ttft time to first token (measured live, modeled on replay)
 * @param latency total time of the call (measured live, modeled on replay)
 */
public record Completion(
    String model, String text, String thinking, Usage usage, double costUsd, Duration ttft, Duration latency) {

  public Completion {
    java.util.Objects.requireNonNull(thinking, "thinking");
  }

  /** A completion without visible thinking. */
  public Completion(String model, String text, Usage usage, double costUsd, Duration ttft, Duration latency) {
    this(model, text, "", usage, costUsd, ttft, latency);
  }
}
