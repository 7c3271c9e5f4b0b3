package dev.effort.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What of an ask an upstream of a given wire format cannot be sent: the one place that decides,
 * so that providers leave out exactly what the gateway names ({@code Effort-Dropped-Tools}, trace).
 */
public final class CrossFormat {
  private CrossFormat() {}

  /** Whether {@code block} can be sent to an upstream speaking {@code format}. */
  public static boolean sendable(Content block, String format) {
    return switch (block) {
      case Content.Opaque o -> o.format().equals(format);
      // A signature is valid only where it was made; thinking signed by the gateway goes nowhere.
      case Content.Thinking t -> t.origin().equals(format) && !t.signature().isEmpty();
      case Content.RedactedThinking r -> format.equals("anthropic");
      default -> true;
    };
  }

  /** Whether {@code tool} can be offered to an upstream speaking {@code format}. */
  public static boolean sendable(Tool tool, String format) {
    return !(tool instanceof Tool.Hosted h) || h.format().equals(format);
  }

  /** Names of the offered tools an upstream of {@code format} will not see. */
  public static List<String> droppedTools(Ask ask, String format) {
    return ask.tools().offered().stream().filter(t -> !sendable(t, format)).map(Tool::name).toList();
  }

  /**
   * Kinds of blocks an upstream of {@code format} will not see, e.g. {@code [document, thinking]};
   * unsigned thinking is not named (it was never meant to go back).
   */
  public static List<String> droppedBlocks(Ask ask, String format) {
    Set<String> kinds = new LinkedHashSet<>();
    for (Message m : ask.messages()) {
      for (Content c : m.content()) {
        if (!sendable(c, format) && !(c instanceof Content.Thinking t && t.origin().equals(Content.Thinking.GATEWAY))) {
          kinds.add(c.kind());
        }
      }
    }
    return new ArrayList<>(kinds);
  }
}
