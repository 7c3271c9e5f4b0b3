package dev.effort.server.limits;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of {@link RatePermit}'s contract every limiter shares: a negative count is refused, only
 * the first settle counts, and the bucket is corrected by the difference from the estimate.
 */
abstract class SettledOncePermit implements RatePermit {
  private final long charged;
  private final AtomicBoolean settled = new AtomicBoolean();

  SettledOncePermit(long charged) {
    this.charged = charged;
  }

  @Override
  public final long chargedTokens() {
    return charged;
  }

  @Override
  public final void settle(long actualTokens) {
    if (actualTokens < 0) {
      throw new IllegalArgumentException("actual tokens must not be negative, not " + actualTokens);
    }
    long extra = actualTokens - charged;
    if (settled.compareAndSet(false, true) && extra != 0) {
      correct(extra);
    }
  }

  /** Takes {@code extra} more tokens from the bucket, or gives {@code -extra} back. */
  abstract void correct(long extra);
}
