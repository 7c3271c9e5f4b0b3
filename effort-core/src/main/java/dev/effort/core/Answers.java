package dev.effort.core;

import java.util.List;

/** Reads of an answer's blocks, shared by {@link Completion} and {@link Answer}. */
final class Answers {
  private Answers() {}

  static String text(List<Content> content) {
    StringBuilder s = new StringBuilder();
    for (Content c : content) {
      if (c instanceof Content.Text t) {
        s.append(t.text());
      }
    }
    return s.toString();
  }

  static String thinking(List<Content> content) {
    StringBuilder s = new StringBuilder();
    for (Content c : content) {
      if (c instanceof Content.Thinking t) {
        s.append(t.text());
      }
    }
    return s.toString();
  }

  static List<Content.ToolCall> toolCalls(List<Content> content) {
    return content.stream().filter(Content.ToolCall.class::isInstance).map(Content.ToolCall.class::cast).toList();
  }
}
