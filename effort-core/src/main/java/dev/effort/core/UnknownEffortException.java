package dev.effort.core;

/** An effort value that no convention knows; the message names the accepted values. */
public final class UnknownEffortException extends IllegalArgumentException {
  private final String value;

  UnknownEffortException(String value, String accepted) {
    super("unknown effort '" + value + "'; accepted: " + accepted);
    this.value = value;
  }

  public String value() {
    return value;
  }
}
