package dev.effort.server.store;

/**
 * A key just created. The secret exists only here: the store keeps its hash, so show it to the
 * user once and drop it.
 */
public record IssuedKey(String secret, ApiKey key) {

  @Override
  public String toString() {
    return "IssuedKey[secret=(hidden), key=" + key + "]";
  }
}
