package dev.effort.core;

/** One upstream API. It knows its models' knobs and clamps a step to what the model accepts. */
public interface Provider {

  /** {@code anthropic}, {@code openai}, {@code openai-compatible} or {@code replay}. */
  String name();

  /**
   * Runs one step of a plan for an ask.
   *
   * @throws ProviderException when the upstream cannot answer; the message says what to do
   */
  Completion complete(Ask ask, Step step);
}
