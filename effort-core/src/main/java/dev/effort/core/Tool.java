package dev.effort.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/** A tool the client offers the model. */
public sealed interface Tool {

  String name();

  /**
   * A function the client runs: every format has these.
   *
   * @param parameters JSON Schema of the arguments (an object schema)
   * @param strict OpenAI's {@code strict}, when the client set it
   */
  record Function(String name, String description, ObjectNode parameters, Optional<Boolean> strict,
      ObjectNode passthrough) implements Tool {
    public Function {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      parameters = parameters.deepCopy();
      Objects.requireNonNull(strict, "strict");
      passthrough = Passthrough.copy(passthrough);
    }
  }

  /**
   * A tool the upstream runs (web search, code execution, computer use, …) with no counterpart in
   * another format: forwarded to an upstream of {@code format}, dropped (and named) for any other.
   */
  record Hosted(String format, String type, String name, ObjectNode raw) implements Tool {
    public Hosted {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(name, "name");
      raw = raw.deepCopy();
    }
  }
}
