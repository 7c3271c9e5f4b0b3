package dev.effort.server.store;

/**
 * The database failed or could not be reached. Unchecked: the gateway's handlers cannot recover
 * from it either, and it turns into a 5xx there; the message never contains a password.
 */
public final class StoreException extends RuntimeException {
  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
