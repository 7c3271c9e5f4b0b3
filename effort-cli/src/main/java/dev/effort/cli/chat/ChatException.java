package dev.effort.cli.chat;

/** An answer that could not be had; the message says why, for the user, without a stack trace. */
final class ChatException extends RuntimeException {
  ChatException(String message) {
    super(message);
  }
}
