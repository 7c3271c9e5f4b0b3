package dev.effort.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Key secrets: made from {@link SecureRandom}, stored as a hash.
 *
 * <p>The hash is a plain, unsalted SHA-256, on purpose. A request brings only the secret, so the
 * key must be found by a deterministic function of it: a per-key salt would force hashing against
 * every key. Salts and slow hashes exist to protect guessable passwords; a secret here carries
 * 192 random bits, which no dictionary or brute force reaches through SHA-256. A server-side
 * pepper (HMAC) would add a second secret that every node must share and that, once lost, voids
 * every key, for no gain at this entropy.
 */
final class Secrets {
  static final String PREFIX = "ek_";
  /** {@code ek_} plus 6 characters: enough to tell keys apart, far too little to guess the rest. */
  static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 6;

  private static final int RANDOM_BYTES = 24; // 24 bytes = 32 base64url characters, 192 bits
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  static String newSecret() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, secret.length()));
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
