package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Content;
import dev.effort.core.Deltas;
import dev.effort.core.Exchange;
import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;
import java.util.Optional;

/**
 * What a stream passed to the client before it was cut (the client closed it, or the upstream
 * broke off): the output it carried, so that the call is charged for the tokens the upstream
 * produced, which it bills, rather than for nothing.
 *
 * <p>It sees the deltas through {@link Watched}, which forwards every call to the client's stream
 * unchanged; the text of text, thinking and tool-call deltas is counted.
 */
final class StreamedSoFar {

  private final StringBuilder output = new StringBuilder();
  private volatile String model;
  private volatile boolean any;

  /** {@code stream}, with every delta seen here first. */
  Deltas watch(Deltas stream) {
    return new Watched(stream);
  }

  private void output(String text) {
    synchronized (output) {
      output.append(text);
    }
    any = true;
  }

  /**
   * Forwards every call of a stream unchanged and notes the billed output on the way: a plain
   * class rather than a reflective proxy, as this runs for every delta of every stream (a test
   * checks that it overrides every method, so that none falls to a no-op default).
   */
  final class Watched implements Deltas {
    private final Deltas stream;

    Watched(Deltas stream) {
      this.stream = stream;
    }

    @Override
    public void model(String answering) {
      model = answering;
      stream.model(answering);
    }

    @Override
    public void thinking(String delta) {
      output(delta);
      stream.thinking(delta);
    }

    @Override
    public void thinkingSignature(String signature, String origin) {
      stream.thinkingSignature(signature, origin);
    }

    @Override
    public void redactedThinking(Content.RedactedThinking block) {
      stream.redactedThinking(block);
    }

    @Override
    public void text(String delta) {
      output(delta);
      stream.text(delta);
    }

    @Override
    public void toolCall(String id, String name) {
      output(name);
      stream.toolCall(id, name);
    }

    @Override
    public void toolArguments(String fragment) {
      output(fragment);
      stream.toolArguments(fragment);
    }

    @Override
    public void opaque(Content.Opaque block) {
      stream.opaque(block);
    }
  }

  /**
   * The charge of a cut stream: the prompt's tokens and those of the output streamed so far, at
   * the streamed model's prices; empty when nothing streamed.
   */
  Optional<Exchange.Charge> charge(String plannedModel, long inputTokens, Catalog catalog) {
    if (!any) {
      return Optional.empty();
    }
    String m = model != null && catalog.find(model).isPresent() ? model : plannedModel;
    long out;
    synchronized (output) {
      out = TokenCounter.count(output.toString());
    }
    Usage usage = new Usage(inputTokens, Math.max(1, out), 0);
    return Optional.of(new Exchange.Charge(m, usage, catalog.model(m).costUsd(usage)));
  }
}
