package dev.effort.cli;

/** A problem the user can fix; printed as one line, without a stack trace. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
