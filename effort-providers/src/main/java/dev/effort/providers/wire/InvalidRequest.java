package dev.effort.providers.wire;

/**
 * A request that is not valid in its wire format: the gateway answers it with a 400 in the
 * client's own error format, naming {@code param}, the field at fault.
 */
public final class InvalidRequest extends IllegalArgumentException {
  private final String param;

  public InvalidRequest(String message, String param) {
    super(message);
    this.param = param;
  }

  /** The request field at fault, as the formats' errors name it ({@code error.param}); may be null. */
  public String param() {
    return param;
  }
}
