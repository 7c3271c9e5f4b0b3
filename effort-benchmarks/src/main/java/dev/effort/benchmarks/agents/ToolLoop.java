package dev.effort.benchmarks.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The script the agent upstream plays, the same in every wire format: a turn that offers a shell
 * tool and carries no tool result gets a call of that tool running {@code ls}; a turn that carries
 * tool results gets a final answer quoting them (so the agent's output proves the tool ran and its
 * output crossed the gateway twice); anything else (side requests such as titles, a compaction
 * summary) gets a short text. Markers in the user's prompt vary the play: {@link #PARALLEL} (two
 * calls at once), {@link #TWO_ROUNDS} ({@code ls}, then {@code cat} of the probe file it showed),
 * an absolute {@code .png} path (the agent's image tool reads it), {@link #OVERLOADED_ONCE} and
 * {@link #FULL_CONTEXT} (read by {@link AgentUpstream}).
 */
final class ToolLoop {
  /** Starts every final answer, so that a check can find it in the agent's output. */
  static final String FINAL = "Tool loop complete. The tool printed:";

  /** In the user's prompt: answer with two parallel tool calls. */
  static final String PARALLEL = "[two parallel calls]";

  /**
   * In the user's prompt: two rounds of tool calls, {@code ls} then {@code cat} of the first
   * {@code probe-*.txt} file the listing shows, so that the final answer quotes that file's text.
   */
  static final String TWO_ROUNDS = "[two rounds]";

  private static final java.util.regex.Pattern PROBE = java.util.regex.Pattern.compile("probe-[A-Za-z0-9_-]+\\.txt");

  /** An absolute path of a PNG image in the user's prompt: the upstream asks the agent to read it. */
  private static final java.util.regex.Pattern IMAGE = java.util.regex.Pattern.compile("(/[^\\s\"'<>]+\\.png)");

  /** In the user's prompt: the loop's first request fails as an overloaded API fails (once). */
  static final String OVERLOADED_ONCE = "[overloaded once]";

  /** In the user's prompt: report usage of a context nearly full (950,000 input tokens). */
  static final String FULL_CONTEXT = "[full context]";

  /** The reasoning the upstream shows when asked to think. */
  static final String THINKING = "The user wants the folder listed; the shell tool with ls does that.";

  /**
   * What the upstream read from one request, whatever its format.
   *
   * @param toolsOffered the tools the model may call: none when {@code tool_choice} is none (tools
   *     declared only because the history holds their calls, as an Anthropic request must)
   * @param toolResults the tool results answering the previous assistant turn's calls, in order
   * @param prompt the text of the last user message that is not a tool result
   * @param thinking the request asks for thinking (Anthropic {@code thinking.type} enabled or
   *     adaptive): the answer then starts with a signed thinking block, as the real API's does
   * @param thinkingOmitted Anthropic {@code thinking.display: "omitted"}: the block's text is empty
   * @param rounds how many assistant turns of the conversation called tools
   */
  record Turn(List<String> toolsOffered, List<String> toolResults, String prompt, boolean thinking,
      boolean thinkingOmitted, int rounds) {
    Turn(List<String> toolsOffered, List<String> toolResults, String prompt, int rounds) {
      this(toolsOffered, toolResults, prompt, false, false, rounds);
    }
  }

  /** What the upstream answers. */
  sealed interface Action {
    String describe();
  }

  record Call(String id, String name, String argumentsJson) {}

  record CallTools(List<Call> calls) implements Action {
    @Override
    public String describe() {
      return "tool_call " + calls.stream().map(c -> c.name() + " " + c.argumentsJson()).toList();
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

  /** The next answer; call ids are {@code idPrefix} and the call's number. */
  static Action next(Turn turn, String idPrefix) {
    if (!turn.toolResults().isEmpty() && turn.prompt().contains(TWO_ROUNDS) && turn.rounds() == 1) {
      var probe = PROBE.matcher(String.join("\n", turn.toolResults()));
      boolean listed = probe.find();
      for (String tool : SHELL_TOOLS) {
        if (listed && turn.toolsOffered().contains(tool)) {
          return new CallTools(List.of(new Call(idPrefix + 1, tool, Json.string(arguments(tool, "cat " + probe.group())))));
        }
      }
    }
    if (!turn.toolResults().isEmpty()) {
      String printed = String.join("\n", turn.toolResults()).strip();
      if (printed.length() > 1200) {
        printed = printed.substring(0, 1200) + "…";
      }
      return new Answer(FINAL + "\n" + printed, true);
    }
    var image = IMAGE.matcher(turn.prompt());
    if (image.find()) {
      // Claude Code's Read and Codex's view_image return the image itself as the tool's result.
      String path = image.group(1);
      if (turn.toolsOffered().contains("Read")) {
        return new CallTools(List.of(new Call(idPrefix + 1, "Read",
            Json.string(Json.MAPPER.createObjectNode().put("file_path", path)))));
      }
      if (turn.toolsOffered().contains("view_image")) {
        return new CallTools(List.of(new Call(idPrefix + 1, "view_image",
            Json.string(Json.MAPPER.createObjectNode().put("path", path)))));
      }
    }
    for (String tool : SHELL_TOOLS) {
      if (turn.toolsOffered().contains(tool)) {
        List<String> commands = turn.prompt().contains(PARALLEL) ? List.of("ls", "ls -a") : List.of("ls");
        List<Call> calls = new ArrayList<>();
        for (String command : commands) {
          calls.add(new Call(idPrefix + (calls.size() + 1), tool, Json.string(arguments(tool, command))));
        }
        return new CallTools(calls);
      }
    }
    return new Answer("OK.", false);
  }

  private static ObjectNode arguments(String tool, String command) {
    ObjectNode a = Json.MAPPER.createObjectNode();
    switch (tool) {
      case "Bash" -> a.put("command", command).put("description", "List the files in this folder");
      case "exec_command" -> a.put("cmd", command);
      case "shell_command" -> a.put("command", command);
      case "shell" -> {
        var argv = a.putArray("command");
        for (String word : command.split(" ")) {
          argv.add(word);
        }
      }
      default -> throw new IllegalArgumentException("no arguments known for " + tool);
    }
    return a;
  }
}
