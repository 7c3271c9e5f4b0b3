package dev.effort.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An upstream could not answer. {@link #kind()} tells the gateway which status to send; {@link
 * #retryable()} whether the same call may succeed if made again (or elsewhere).
 */
public class ProviderException extends RuntimeException {

  /** What went wrong, as a client can act on it. */
  public enum Kind {
    /** Nothing to answer with (e.g. a prompt that is not in the recording). */
    NOT_FOUND,
    /** The request cannot be served as asked. */
    INVALID,
    /** The upstream failed or is unreachable. */
    UNAVAILABLE,
    /** The upstream refused for its rate limit; {@link #retryAfter()} says when to come back, if it said. */
    RATE_LIMITED,
    /** The request's deadline passed before the answer was complete. */
    TIMEOUT
  }

  private final Kind kind;
  private final boolean retryable;
  private final Optional<Duration> retryAfter;
  private volatile List<Attempt> attempts = List.of();
  private volatile boolean answerStarted;

  /** A failure that trying again will not mend (the request's fault, or a missing key). */
  public ProviderException(Kind kind, String message) {
    this(kind, message, false, Optional.empty());
  }

  /**
   * @param retryable whether the same call may succeed when made again or at another deployment
   *     (connection errors, 408, 409, 429, 5xx, overloaded)
   * @param retryAfter how long the upstream asked to wait, when it said
   */
  public ProviderException(Kind kind, String message, boolean retryable, Optional<Duration> retryAfter) {
    super(message);
    this.kind = kind;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return retryable;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /** Every upstream attempt the failed ask made, with what each cost: set by the {@link Executor}. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** What the failed ask spent upstream, over all its attempts. */
  public double costUsd() {
    return Attempt.costUsd(attempts);
  }

  /** Whether part of the answer had reached the client when this happened (a stream cut mid-way). */
  public boolean answerStarted() {
    return answerStarted;
  }

  ProviderException withAttempts(List<Attempt> all, boolean started) {
    this.attempts = List.copyOf(all);
    this.answerStarted = started;
    return this;
  }
}
