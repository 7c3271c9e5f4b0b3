package dev.effort.core;

/** An upstream could not answer. {@link #kind()} tells the gateway which status to send. */
public class ProviderException extends RuntimeException {

  /** What went wrong, as a client can act on it. */
  public enum Kind {
    /** Nothing to answer with (e.g. a prompt that is not in the recording). */
    NOT_FOUND,
    /** The request cannot be served as asked. */
    INVALID,
    /** The upstream failed or is unreachable. */
    UNAVAILABLE
  }

  private final Kind kind;

  public ProviderException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
