package dev.effort.core;

import java.util.List;
import java.util.Objects;

/**
 * One chat message: {@code role} is {@code system}, {@code user} or {@code assistant}, and its
 * content a list of blocks. Tool results travel in user messages (as in Anthropic's format; an
 * OpenAI {@code tool} message parses into one), tool calls in assistant messages.
 */
public record Message(String role, List<Content> content) {
  public Message {
    Objects.requireNonNull(role, "role");
    content = List.copyOf(content);
  }

  /** A message of plain text. */
  public Message(String role, String text) {
    this(role, List.of(new Content.Text(text)));
  }

  public static Message user(String text) {
    return new Message("user", text);
  }

  /** The message's text blocks, joined by new lines (what a prompt-only reader sees). */
  public String text() {
    return textOf(content);
  }

  /** The message's blocks of one kind, in order. */
  public <T extends Content> List<T> blocks(Class<T> type) {
    return content.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static String textOf(List<Content> content) {
    StringBuilder s = new StringBuilder();
    for (Content c : content) {
      if (c instanceof Content.Text t) {
        if (!s.isEmpty()) {
          s.append('\n');
        }
        s.append(t.text());
      }
    }
    return s.toString();
  }
}
