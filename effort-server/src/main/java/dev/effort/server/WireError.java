package dev.effort.server;

/**
 * A request the gateway refuses or cannot serve, rendered in the client's own error format.
 *
 * @see WireFormat#error(WireError)
 */
public final class WireError extends RuntimeException {
  /** What kind of error, mapped to each wire format's own type names. */
  public enum Kind {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    PERMISSION(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TOO_LARGE(413),
    RATE_LIMITED(429),
    INTERNAL(500),
    UPSTREAM(502),
    UNAVAILABLE(503),
    TIMEOUT(504);

    final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  private final Kind kind;
  private final String param;
  private long retryAfterSeconds = -1;
  private boolean closesConnection;

  public WireError(Kind kind, String message) {
    this(kind, message, null);
  }

  /** @param param the request field at fault (OpenAI's {@code param}), or null */
  public WireError(Kind kind, String message, String param) {
    super(message);
    this.kind = kind;
    this.param = param;
  }

  public static WireError invalid(String message, String param) {
    return new WireError(Kind.INVALID_REQUEST, message, param);
  }

  /** A 429 with the seconds after which the client may try again ({@code retry-after}). */
  public static WireError rateLimited(String message, long retryAfterSeconds) {
    WireError e = new WireError(Kind.RATE_LIMITED, message);
    e.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    return e;
  }

  /** A 503 with the seconds after which the service may take calls again ({@code retry-after}). */
  public static WireError unavailable(String message, long retryAfterSeconds) {
    WireError e = new WireError(Kind.UNAVAILABLE, message);
    e.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    return e;
  }

  /**
   * What the client is told of a failure: the one place where an exception of the chain (a
   * refusal, a plan that cannot be served, an upstream's failure, a bug) becomes a status and a
   * message. The ledger records the same.
   */
  static WireError of(RuntimeException failure) {
    return switch (failure) {
      case WireError e -> e;
      case dev.effort.core.UnservableAskException e -> invalid(e.getMessage(), null);
      case dev.effort.core.ProviderException e -> upstream(e);
      default -> new WireError(Kind.INTERNAL, "the gateway failed to answer (" + failure.getClass().getSimpleName()
          + "); see its log");
    };
  }

  /**
   * An upstream failure in the client's terms: a 429 with the upstream's {@code retry-after} when
   * its rate limit outlasted the retries, a 503 with {@code retry-after} when every circuit is open,
   * a 504 when the deadline passed, a 502 when every deployment and fallback failed.
   */
  private static WireError upstream(dev.effort.core.ProviderException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> new WireError(Kind.NOT_FOUND, e.getMessage());
      case INVALID -> new WireError(Kind.INVALID_REQUEST, e.getMessage());
      case UNAVAILABLE -> e.retryAfter().isPresent() && !e.retryable()
          ? unavailable(e.getMessage(), seconds(e.retryAfter().get()))
          : new WireError(Kind.UPSTREAM, e.getMessage());
      case RATE_LIMITED -> rateLimited(e.getMessage(), e.retryAfter().map(WireError::seconds).orElse(1L));
      case TIMEOUT -> new WireError(Kind.TIMEOUT, e.getMessage());
    };
  }

  private static long seconds(java.time.Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /** Whether {@code failure} is the client going away mid-answer: no error can reach it (499 in the ledger and metrics). */
  static boolean clientGone(RuntimeException failure) {
    return failure instanceof java.io.UncheckedIOException || failure instanceof io.helidon.webserver.CloseConnectionException;
  }

  /**
   * This error with {@code Connection: close}: the request body could not be read to its end, so
   * nothing after it on the connection can be trusted to be a next request.
   */
  public WireError closing() {
    closesConnection = true;
    return this;
  }

  public boolean closesConnection() {
    return closesConnection;
  }

  /** Seconds for a {@code retry-after} header, or -1 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return kind.status;
  }

  public String param() {
    return param;
  }
}
