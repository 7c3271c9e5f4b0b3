package dev.effort.core;

/**
 * Deltas passed on unchanged to another, with a hook on the first piece of output and on every
 * piece of text (answer, thinking, tool arguments), for wrappers that watch a stream.
 */
public abstract class Forwarding implements Deltas {
  private final Deltas to;

  protected Forwarding(Deltas to) {
    this.to = to;
  }

  /** The stream produced its first piece of output. */
  protected void began() {}

  /** A piece of output text. */
  protected void output(String text) {}

  private void piece(String text) {
    began();
    output(text);
  }

  @Override
  public void plan(PlannedAsk planned) {
    to.plan(planned);
  }

  @Override
  public void model(String model) {
    to.model(model);
  }

  @Override
  public void thinking(String delta) {
    piece(delta);
    to.thinking(delta);
  }

  @Override
  public void thinkingSignature(String signature, String origin) {
    began();
    to.thinkingSignature(signature, origin);
  }

  @Override
  public void redactedThinking(Content.RedactedThinking block) {
    began();
    to.redactedThinking(block);
  }

  @Override
  public void text(String delta) {
    piece(delta);
    to.text(delta);
  }

  @Override
  public void toolCall(String id, String name) {
    piece(name);
    to.toolCall(id, name);
  }

  @Override
  public void toolArguments(String fragment) {
    piece(fragment);
    to.toolArguments(fragment);
  }

  @Override
  public void opaque(Content.Opaque block) {
    began();
    to.opaque(block);
  }
}
