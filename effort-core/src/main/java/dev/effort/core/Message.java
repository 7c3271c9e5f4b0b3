package dev.effort.core;

import java.util.Objects;

/** One chat message; {@code role} is {@code system}, {@code user} or {@code assistant}. */
public record Message(String role, String content) {
  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static Message user(String content) {
    return new Message("user", content);
  }
}
