package dev.effort.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tools of an ask and how the model may use them.
 *
 * @param offered the tools, in the client's order
 * @param choice the client's tool choice, when it sent one
 * @param parallel whether several calls may come in one answer, when the client said (OpenAI
 *     {@code parallel_tool_calls}; Anthropic {@code disable_parallel_tool_use} negated)
 */
public record Tools(List<Tool> offered, Optional<ToolChoice> choice, Optional<Boolean> parallel) {
  public static final Tools NONE = new Tools(List.of(), Optional.empty(), Optional.empty());

  public Tools {
    offered = List.copyOf(offered);
    Objects.requireNonNull(choice, "choice");
    Objects.requireNonNull(parallel, "parallel");
  }

  public boolean isEmpty() {
    return offered.isEmpty();
  }

  public Optional<Tool> named(String name) {
    return offered.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
