package dev.effort.benchmarks.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.util.List;
import java.util.Optional;

/**
 * The script the agent upstream plays, the same in every wire format: a turn that offers a shell
 * tool and carries no tool result gets a call of that tool running {@code ls}; a turn that carries
 * a tool result gets a final answer quoting it (so the agent's output proves the tool ran and its
 * output crossed the gateway twice); anything else (side requests such as titles) gets a short text.
 */
final class ToolLoop {
  /** Starts every final answer, so that a check can find it in the agent's output. */
  static final String FINAL = "Tool loop complete. The tool printed:";

  /**
   * What the upstream read from one request, whatever its format.
   *
   * @param thinking the request asks for thinking (Anthropic {@code thinking.type} enabled or
   *     adaptive): the answer then starts with a signed thinking block, as the real API's does
   * @param thinkingOmitted Anthropic {@code thinking.display: "omitted"}: the block's text is empty
   */
  record Turn(List<String> toolsOffered, Optional<String> toolResult, boolean thinking, boolean thinkingOmitted) {
    Turn(List<String> toolsOffered, Optional<String> toolResult) {
      this(toolsOffered, toolResult, false, false);
    }
  }

  /** The reasoning the upstream shows when asked to think. */
  static final String THINKING = "The user wants the folder listed; the shell tool with ls does that.";

  /** What the upstream answers. */
  sealed interface Action {
    String describe();
  }

  record CallTool(String id, String name, String argumentsJson) implements Action {
    @Override
    public String describe() {
      return "tool_call " + name + " " + argumentsJson;
    }
  }

  record Answer(String text, boolean finalAnswer) implements Action {
    @Override
    public String describe() {
      return finalAnswer ? "final_answer" : "text";
    }
  }

  /**
   * Shell tools the agents offer, best first, with arguments valid for each one's schema: Claude
   * Code's {@code Bash} (command), Codex's {@code exec_command} (cmd) and its older {@code shell}
   * (argv array) and {@code shell_command} (command).
   */
  private static final List<String> SHELL_TOOLS = List.of("Bash", "exec_command", "shell_command", "shell");

  private ToolLoop() {}

  static Action next(Turn turn, String callId) {
    if (turn.toolResult().isPresent()) {
      String printed = turn.toolResult().get().strip();
      if (printed.length() > 600) {
        printed = printed.substring(0, 600) + "…";
      }
      return new Answer(FINAL + "\n" + printed, true);
    }
    for (String tool : SHELL_TOOLS) {
      if (turn.toolsOffered().contains(tool)) {
        return new CallTool(callId, tool, Json.string(arguments(tool)));
      }
    }
    return new Answer("OK.", false);
  }

  private static ObjectNode arguments(String tool) {
    ObjectNode a = Json.MAPPER.createObjectNode();
    switch (tool) {
      case "Bash" -> a.put("command", "ls").put("description", "List the files in this folder");
      case "exec_command" -> a.put("cmd", "ls");
      case "shell_command" -> a.put("command", "ls");
      case "shell" -> a.putArray("command").add("ls");
      default -> throw new IllegalArgumentException("no arguments known for " + tool);
    }
    return a;
  }
}
