package dev.effort.server.traces;

import static dev.effort.server.traces.SpanNames.*;

import dev.effort.core.Answer;
import dev.effort.core.Attempt;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.PlannedAsk;
import dev.effort.core.ProviderException;
import dev.effort.core.Trace;
import dev.effort.core.Usage;
import dev.effort.server.RequestIds;
import dev.effort.server.WireError;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A span around each request, the first link of the chain: {@code chat {model}} (the model field
 * as sent), a server span (in the client's trace when it sent one, {@code traceparent}), with what
 * the request asked and what the dial did (GenAI conventions and {@code effort.*}), its usage and
 * cost over all its attempts, and how it failed if it did. A client error (a 4xx) names its {@code
 * error.type} but leaves the span's status unset, as for HTTP servers.
 */
final class RequestSpanLink implements Executor.ExchangeLink {
  private final Tracer tracer;
  private final Function<String, String> providerOf;

  /** @param providerOf the provider name ({@code gen_ai.provider.name}) of a model */
  RequestSpanLink(Tracer tracer, Function<String, String> providerOf) {
    this.tracer = tracer;
    this.providerOf = providerOf;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Context parent = exchange.get(ClientTrace.class).map(ClientTrace::context).orElseGet(Context::current);
    Span span = tracer.spanBuilder(CHAT).setParent(parent).setSpanKind(SpanKind.SERVER).setAttribute(OPERATION, CHAT)
        .startSpan();
    exchange.put(RequestSpan.class, new RequestSpan(parent.with(span)));
    RequestIds.current().ifPresent(id -> span.setAttribute(REQUEST_ID, id));
    Answer answer = null;
    try (Scope ignored = span.makeCurrent()) {
      answer = next.proceed(exchange);
      return answer;
    } catch (RuntimeException | Error e) {
      failed(span, e);
      throw e;
    } finally {
      describe(span, exchange, answer);
      span.end();
    }
  }

  private void describe(Span span, Exchange exchange, Answer answer) {
    exchange.get(RequestedModel.class).ifPresent(m -> {
      span.updateName(CHAT + " " + m.name());
      span.setAttribute(REQUEST_MODEL, m.name());
    });
    Optional<PlannedAsk> planned = exchange.planned();
    planned.flatMap(p -> p.ask().maxTokens().isPresent()
        ? Optional.of((long) p.ask().maxTokens().getAsInt()) : Optional.empty())
        .ifPresent(n -> span.setAttribute(REQUEST_MAX_TOKENS, n));
    List<Attempt> attempts = exchange.attempts();
    Usage usage;
    double cost;
    if (answer != null) {
      Trace t = answer.trace();
      dial(span, t.asked().wireName(), t.applied().wireName(), t.plan().describe(), t.downgrade());
      t.fallback().ifPresent(f -> span.setAttribute(FALLBACK, f));
      span.setAttribute(RESPONSE_MODEL, answer.model());
      provider(answer.model()).ifPresent(p -> {
        span.setAttribute(PROVIDER, p);
        span.setAttribute(SYSTEM, p);
      });
      span.setAttribute(FINISH_REASONS, List.of(answer.stopReason().openAi()));
      span.setAttribute(TTFT_MS, answer.ttft().toMillis());
      usage = answer.usage();
      cost = answer.costUsd();
    } else {
      planned.ifPresent(p -> dial(span, p.ask().effort().wireName(), p.applied().wireName(), p.plan().describe(),
          p.downgrade()));
      usage = Attempt.usage(attempts);
      cost = Attempt.costUsd(attempts);
    }
    span.setAttribute(INPUT_TOKENS, usage.inputTokens());
    span.setAttribute(OUTPUT_TOKENS, usage.outputTokens() + usage.thinkingTokens());
    span.setAttribute(THINKING_TOKENS, usage.thinkingTokens());
    span.setAttribute(COST_USD, cost);
    span.setAttribute(ATTEMPTS, (long) attempts.size());
  }

  private static void dial(Span span, String asked, String applied, String plan, Optional<String> downgrade) {
    span.setAttribute(ASKED, asked);
    span.setAttribute(APPLIED, applied);
    span.setAttribute(PLAN, plan);
    downgrade.ifPresent(d -> span.setAttribute(DOWNGRADE_REASON, d));
  }

  private Optional<String> provider(String model) {
    try {
      return Optional.ofNullable(providerOf.apply(model));
    } catch (RuntimeException e) {
      return Optional.empty(); // a model the fleet does not serve by that name: say nothing
    }
  }

  private static void failed(Span span, Throwable e) {
    span.setAttribute(ERROR_TYPE, errorType(e));
    span.recordException(e);
    if (!(e instanceof WireError w && w.status() < 500)) {
      span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /** A short, low-cardinality name of a failure: the kind of an error the client is told, else the class. */
  static String errorType(Throwable e) {
    if (e instanceof WireError w) {
      return w.kind().name().toLowerCase(Locale.ROOT);
    }
    if (e instanceof ProviderException p) {
      return p.kind().name().toLowerCase(Locale.ROOT);
    }
    return e.getClass().getName();
  }
}
