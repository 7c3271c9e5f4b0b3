package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Content;
import java.util.Optional;

/**
 * What a stream passed to the client before it was cut (the client closed it, or the upstream
 * broke off): the output it carried, so that the call is charged for the tokens the upstream
 * produced, which it bills, rather than for nothing.
 *
 * <p>It sees the deltas through {@link Watched}, which forwards every call of the client's {@link
 * WireFormat.Stream} unchanged; the text of text, thinking and tool-call deltas is counted.
 */
final class StreamedSoFar {
  /** What the cut call cost, as far as the gateway can tell. */
  record Charge(String model, Usage usage, double costUsd) {}

  private final StringBuilder output = new StringBuilder();
  private volatile String model;
  private volatile boolean any;

  /** {@code stream}, with every delta seen here first. */
  WireFormat.Stream watch(WireFormat.Stream stream) {
    return new Watched(stream, p -> { });
  }

  /** {@code stream}, watched, and {@code onPlan} told of the plan about to run (before any of its output). */
  WireFormat.Stream watch(WireFormat.Stream stream, java.util.function.Consumer<dev.effort.core.PlannedAsk> onPlan) {
    return new Watched(stream, onPlan);
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
  final class Watched implements WireFormat.Stream {
    private final WireFormat.Stream stream;
    private final java.util.function.Consumer<dev.effort.core.PlannedAsk> onPlan;

    Watched(WireFormat.Stream stream, java.util.function.Consumer<dev.effort.core.PlannedAsk> onPlan) {
      this.stream = stream;
      this.onPlan = onPlan;
    }

    @Override
    public void plan(dev.effort.core.PlannedAsk planned) {
      onPlan.accept(planned);
      stream.plan(planned);
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

    @Override
    public void finish(Answer answer, ObjectNode effort) {
      stream.finish(answer, effort);
    }

    @Override
    public void fail(WireError error) {
      stream.fail(error);
    }
  }

  /**
   * The charge of a cut stream: the prompt's tokens and those of the output streamed so far, at
   * the streamed model's prices; empty when nothing streamed.
   */
  Optional<Charge> charge(String plannedModel, long inputTokens, Catalog catalog) {
    if (!any) {
      return Optional.empty();
    }
    String m = model != null && catalog.find(model).isPresent() ? model : plannedModel;
    String out;
    synchronized (output) {
      out = output.toString();
    }
    dev.effort.core.Executor.Spent spent = price(m, inputTokens, out, catalog);
    return Optional.of(new Charge(m, spent.usage(), spent.costUsd()));
  }

  /**
   * What an upstream bills for an answer cut short: the prompt, and the output it streamed (at
   * least one token), at the model's prices. The one rule for a cut stream and for a failed or
   * cancelled attempt ({@link dev.effort.core.Executor.Spend}).
   */
  static dev.effort.core.Executor.Spent price(String model, long inputTokens, String output, Catalog catalog) {
    Usage usage = new Usage(inputTokens, Math.max(1, TokenCounter.count(output)), 0);
    return new dev.effort.core.Executor.Spent(usage, catalog.find(model).map(m -> m.costUsd(usage)).orElse(0.0));
  }
}
