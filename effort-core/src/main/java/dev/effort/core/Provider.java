package dev.effort.core;

/** One upstream API. It knows its models' knobs and clamps a step to what the model accepts. */
public interface Provider {

  /** {@code anthropic}, {@code openai}, {@code openai-compatible} or {@code replay}. */
  String name();

  /**
   * The wire format this provider speaks upstream: {@code anthropic}, {@code openai}, or {@code
   * none} (replay). Hosted tools, opaque blocks and passthrough fields of an ask go only to a
   * provider of their own format ({@link CrossFormat}).
   */
  default String wireFormat() {
    return "none";
  }

  /**
   * The output cap (thinking included) this provider sends upstream for one step of an ask: what a
   * budget must reserve for. Empty when it sends none and the model's limit is unknown (replay, or
   * a provider that cannot say).
   */
  default java.util.OptionalInt outputCap(Ask ask, Step step) {
    return java.util.OptionalInt.empty();
  }

  /**
   * Runs one step of a plan for an ask.
   *
   * @throws ProviderException when the upstream cannot answer; the message says what to do
   */
  Completion complete(Ask ask, Step step);

  /**
   * Runs one step and passes its thinking and text to {@code deltas} as they arrive. Providers
   * that cannot stream inherit this: the whole completion, then its text as one delta.
   *
   * @throws ProviderException when the upstream cannot answer; nothing was passed to deltas then
   */
  default Completion stream(Ask ask, Step step, Deltas deltas) {
    Completion c = complete(ask, step);
    if (!c.thinking().isEmpty()) {
      deltas.thinking(c.thinking());
    }
    deltas.text(c.text());
    return c;
  }
}
