package dev.effort.core;

/**
 * Receives an answer's text as it is produced, for streaming responses. Thinking (reasoning) text
 * comes apart from answer text. Called from one thread at a time, in order.
 */
public interface Deltas {
  Deltas NONE = new Deltas() {
    @Override
    public void thinking(String delta) {}

    @Override
    public void text(String delta) {}
  };

  /** The model whose output follows; called before its first delta (a cascade knows it late). */
  default void model(String model) {}

  void thinking(String delta);

  void text(String delta);
}
