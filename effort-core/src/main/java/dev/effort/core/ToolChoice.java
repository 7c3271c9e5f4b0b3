package dev.effort.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether and which tool the model must call.
 *
 * @param mode {@code AUTO} (the model decides), {@code NONE} (no call), {@code REQUIRED} (some call:
 *     OpenAI {@code required}, Anthropic {@code any}), {@code NAMED} (this one)
 * @param name the tool, for {@code NAMED}
 */
public record ToolChoice(Mode mode, Optional<String> name) {
  public enum Mode { AUTO, NONE, REQUIRED, NAMED }

  public ToolChoice {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(name, "name");
    if ((mode == Mode.NAMED) != name.isPresent()) {
      throw new IllegalArgumentException("a tool choice names a tool exactly when its mode is NAMED");
    }
  }

  public static ToolChoice of(Mode mode) {
    return new ToolChoice(mode, Optional.empty());
  }

  public static ToolChoice named(String tool) {
    return new ToolChoice(Mode.NAMED, Optional.of(tool));
  }
}
