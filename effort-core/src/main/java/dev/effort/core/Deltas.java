package dev.effort.core;

/**
 * Receives an answer's blocks as they are produced, for streaming responses. Called from one
 * thread at a time, in order: a block's deltas follow its start; a new kind of delta starts a new
 * block. Thinking comes apart from answer text; a tool call starts with {@link #toolCall} and its
 * arguments follow in {@link #toolArguments} pieces.
 */
public interface Deltas {
  Deltas NONE = new Deltas() {
    @Override
    public void thinking(String delta) {}

    @Override
    public void text(String delta) {}
  };

  /**
   * The plan about to run, before any of its output: the one planned, or one a fallback chose
   * instead when that one could not run.
   */
  default void plan(PlannedAsk planned) {}

  /** The model whose output follows; called before its first delta (a cascade knows it late). */
  default void model(String model) {}

  void thinking(String delta);

  /**
   * The upstream's signature of the thinking just streamed (Anthropic's {@code signature_delta}),
   * with its origin ({@link Content.Thinking#ANTHROPIC}, …).
   */
  default void thinkingSignature(String signature, String origin) {}

  /** A whole redacted thinking block. */
  default void redactedThinking(Content.RedactedThinking block) {}

  void text(String delta);

  /** A tool call begins; its arguments follow. */
  default void toolCall(String id, String name) {}

  /** A piece of the current tool call's JSON arguments. */
  default void toolArguments(String fragment) {}

  /**
   * A whole block only its own format knows (a server tool's use or result), passed on once it is
   * complete; a stream of another format leaves it out.
   */
  default void opaque(Content.Opaque block) {}
}
