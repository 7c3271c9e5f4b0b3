package dev.effort.server.store;

/**
 * The database failed or could not be reached. Unchecked: the gateway's handlers cannot recover
 * from it either, and it turns into a 5xx there; the message never contains a password.
 */
public class StoreException extends RuntimeException {
  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The commit itself failed, so whether the rows were written is unknown (the connection may have
   * died after the database committed). Not retried: a retry could write a row twice.
   */
  static final class CommitOutcomeUnknown extends StoreException {
    CommitOutcomeUnknown(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
