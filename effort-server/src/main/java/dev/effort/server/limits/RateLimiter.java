package dev.effort.server.limits;

/**
 * Per-key requests-per-minute and tokens-per-minute limits.
 *
 * <p>A request's tokens are known only after it ran, so the gateway charges an estimate before
 * the call (prompt tokens plus {@code max_tokens}) and corrects it after with {@link
 * RatePermit#settle}: unused tokens go back, extra tokens are taken as debt that later requests
 * wait out. An estimate above the whole per-minute allowance is charged as the whole allowance,
 * so a generous {@code max_tokens} does not lock a key out for good; the settle corrects it.
 */
public interface RateLimiter {

  /**
   * Takes one request and {@code tokens} estimated tokens from the key's allowances, or refuses
   * with how long to wait. A limit of 0 (or less) means none on that dimension.
   */
  RateDecision tryAcquire(String keyId, long requestsPerMinute, long tokensPerMinute, long tokens);
}
