package dev.effort.core;

import java.time.Duration;

/**
 * One upstream call made for an ask, whatever came of it: an answer, a failure, or a call cancelled
 * because another won (a hedge). Every attempt that cost money is charged.
 *
 * @param model the model called
 * @param deployment which deployment of it (provider name)
 * @param outcome {@code answered}, {@code failed}, {@code cancelled}
 * @param detail why it failed or was cancelled; empty when it answered
 * @param elapsed from the call's start to its end
 * @param usage what the upstream used (for a failed or cancelled call, what it had streamed)
 * @param costUsd what it cost
 */
public record Attempt(
    String model, String deployment, String outcome, String detail, Duration elapsed, Usage usage, double costUsd) {
  public static final String ANSWERED = "answered";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  /** The tokens of all {@code attempts}. */
  public static Usage usage(java.util.List<Attempt> attempts) {
    Usage sum = Usage.ZERO;
    for (Attempt a : attempts) {
      sum = sum.plus(a.usage());
    }
    return sum;
  }

  /** What all {@code attempts} cost. */
  public static double costUsd(java.util.List<Attempt> attempts) {
    return attempts.stream().mapToDouble(Attempt::costUsd).sum();
  }
}
