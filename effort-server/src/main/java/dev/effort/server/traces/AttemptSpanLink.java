package dev.effort.server.traces;

import static dev.effort.server.traces.SpanNames.*;

import dev.effort.core.Attempt;
import dev.effort.core.Completion;
import dev.effort.core.Executor;
import dev.effort.core.Provider;
import dev.effort.core.resilience.Deployment;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;

/**
 * A span around each upstream attempt, the innermost call link: {@code chat {model}}, a client
 * span, child of the request's span (taken from the exchange, not the thread: a hedge's racers and
 * a cascade's probes run on threads of their own), with the deployment, the step's knobs, what
 * came of it ({@code answered}, {@code failed}, {@code cancelled}) and, when it answered, its usage
 * and cost. Each retry, failover and hedge racer is an attempt, so a span of its own.
 */
final class AttemptSpanLink implements Executor.CallLink {
  private final Tracer tracer;

  AttemptSpanLink(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public Completion call(Executor.StepCall call, Executor.CallChain next) {
    Context parent = call.get(RequestSpan.class).map(RequestSpan::context).orElseGet(Context::current);
    SpanBuilder builder = tracer.spanBuilder(CHAT + " " + call.model())
        .setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(OPERATION, CHAT)
        .setAttribute(REQUEST_MODEL, call.model());
    Deployment d = call.deployment();
    if (d != null) {
      String provider = providerName(d.provider());
      builder.setAttribute(PROVIDER, provider).setAttribute(SYSTEM, provider).setAttribute(DEPLOYMENT, d.name());
    }
    call.step().maxTokens().ifPresent(n -> builder.setAttribute(REQUEST_MAX_TOKENS, (long) n));
    call.step().nativeEffort().ifPresent(e -> builder.setAttribute(STEP_EFFORT, e.wireName()));
    call.step().thinkingBudgetTokens().ifPresent(n -> builder.setAttribute(STEP_THINKING_BUDGET, (long) n));
    Span span = builder.startSpan();
    try (Scope ignored = span.makeCurrent()) {
      Completion c = next.proceed(call);
      span.setAttribute(OUTCOME, Attempt.ANSWERED);
      span.setAttribute(RESPONSE_MODEL, c.model());
      span.setAttribute(FINISH_REASONS, List.of(c.stopReason().openAi()));
      span.setAttribute(INPUT_TOKENS, c.usage().inputTokens());
      span.setAttribute(OUTPUT_TOKENS, c.usage().outputTokens() + c.usage().thinkingTokens());
      span.setAttribute(THINKING_TOKENS, c.usage().thinkingTokens());
      span.setAttribute(COST_USD, c.costUsd());
      span.setAttribute(TTFT_MS, c.ttft().toMillis());
      return c;
    } catch (RuntimeException | Error e) {
      boolean cancelled = call.cancelled();
      span.setAttribute(OUTCOME, cancelled ? Attempt.CANCELLED : Attempt.FAILED);
      span.setAttribute(ERROR_TYPE, RequestSpanLink.errorType(e));
      span.recordException(e);
      if (!cancelled) { // a hedge's loser did nothing wrong
        span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
      throw e;
    } finally {
      span.end();
    }
  }

  /** The upstream's API ({@code anthropic}, {@code openai}) where it speaks one, else its own name ({@code replay}). */
  static String providerName(Provider provider) {
    return "none".equals(provider.wireFormat()) ? provider.name() : provider.wireFormat();
  }
}
