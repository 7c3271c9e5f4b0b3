package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * What a stream passed to the client before it was cut (the client closed it, or the upstream
 * broke off): the output it carried, so that the call is charged for the tokens the upstream
 * produced, which it bills, rather than for nothing.
 *
 * <p>It sees the deltas through a proxy of the client's {@link WireFormat.Stream} that forwards
 * every call unchanged, so that delta kinds added later pass through without an edit here; the
 * text of text, thinking and tool-call deltas is counted.
 */
final class StreamedSoFar {
  /** What the cut call cost, as far as the gateway can tell. */
  record Charge(String model, Usage usage, double costUsd) {}

  private final StringBuilder output = new StringBuilder();
  private volatile String model;
  private volatile boolean any;

  /** {@code stream}, with every delta seen here first. */
  WireFormat.Stream watch(WireFormat.Stream stream) {
    InvocationHandler forward = (proxy, method, args) -> {
      see(method, args);
      try {
        return method.invoke(stream, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (WireFormat.Stream) Proxy.newProxyInstance(WireFormat.Stream.class.getClassLoader(),
        new Class<?>[] {WireFormat.Stream.class}, forward);
  }

  private void see(Method method, Object[] args) {
    if (args == null || args.length == 0 || !(args[args.length - 1] instanceof String text)) {
      return;
    }
    switch (method.getName()) {
      case "model" -> model = text;
      case "text", "thinking", "toolArguments" -> {
        synchronized (output) {
          output.append(text);
        }
        any = true;
      }
      case "toolCall" -> {
        synchronized (output) {
          output.append((String) args[1]);
        }
        any = true;
      }
      default -> { } // signatures, finish and fail carry no billed output
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
    long out;
    synchronized (output) {
      out = TokenCounter.count(output.toString());
    }
    Usage usage = new Usage(inputTokens, Math.max(1, out), 0);
    return Optional.of(new Charge(m, usage, catalog.model(m).costUsd(usage)));
  }
}
