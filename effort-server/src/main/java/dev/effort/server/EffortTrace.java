package dev.effort.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Json;
import dev.effort.core.PlannedAsk;
import dev.effort.core.StepTrace;
import dev.effort.core.Trace;
import io.helidon.webserver.http.ServerResponse;

/** The {@code effort} object added to response bodies, and the {@code Effort-*} headers. */
final class EffortTrace {
  private EffortTrace() {}

  static ObjectNode json(Answer answer, String source) {
    Trace t = answer.trace();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("asked", t.asked().wireName());
    o.put("source", source);
    o.put("applied", t.applied().wireName());
    o.put("plan", t.plan().describe());
    o.put("model", answer.model());
    o.put("cost_usd", answer.costUsd());
    o.put("latency_ms", answer.latency().toMillis());
    o.put("ttft_ms", answer.ttft().toMillis());
    o.put("input_tokens", answer.usage().inputTokens());
    o.put("output_tokens", answer.usage().outputTokens());
    o.put("thinking_tokens", answer.usage().thinkingTokens());
    t.downgrade().ifPresent(d -> o.put("downgrade_reason", d));
    t.unmet().ifPresent(u -> o.put("constraint_unmet", u));
    ArrayNode steps = o.putArray("steps");
    for (StepTrace s : t.steps()) {
      ObjectNode step = steps.addObject();
      step.put("model", s.completion().model());
      step.put("role", s.role());
      step.put("used", s.used());
      step.put("input_tokens", s.completion().usage().inputTokens());
      step.put("output_tokens", s.completion().usage().outputTokens());
      step.put("thinking_tokens", s.completion().usage().thinkingTokens());
      step.put("cost_usd", s.completion().costUsd());
      step.put("latency_ms", s.completion().latency().toMillis());
    }
    t.fallback().ifPresent(f -> o.put("fallback", f));
    ArrayNode attempts = o.putArray("attempts");
    for (dev.effort.core.Attempt a : t.attempts()) {
      ObjectNode at = attempts.addObject();
      at.put("model", a.model());
      at.put("deployment", a.deployment());
      at.put("outcome", a.outcome());
      if (!a.detail().isEmpty()) {
        at.put("detail", a.detail());
      }
      at.put("ms", a.elapsed().toMillis());
      at.put("cost_usd", a.costUsd());
    }
    ArrayNode notes = o.putArray("notes");
    t.notes().forEach(notes::add);
    return o;
  }

  /** Headers known before the plan runs: sent first on streams too. */
  static void planHeaders(ServerResponse res, PlannedAsk planned) {
    res.header("Effort-Level", planned.ask().effort().wireName());
    res.header("Effort-Applied", planned.applied().wireName());
    res.header("Effort-Plan", headerValue(planned.plan().describe()));
    planned.downgrade().ifPresent(d -> res.header("Effort-Downgrade-Reason", headerValue(d)));
    planned.unmet().ifPresent(u -> res.header("Effort-Constraint-Unmet", headerValue(u)));
  }

  /** Headers of a whole (non-streamed) answer. */
  static void answerHeaders(ServerResponse res, PlannedAsk planned, Answer answer) {
    planHeaders(res, planned);
    Trace t = answer.trace();
    if (t.fallback().isPresent()) { // what ran, not what was planned
      res.header("Effort-Applied", t.applied().wireName());
      res.header("Effort-Plan", headerValue(t.plan().describe()));
      t.downgrade().ifPresent(d -> res.header("Effort-Downgrade-Reason", headerValue(d)));
      res.header("Effort-Fallback", headerValue(t.fallback().get()));
    }
    res.header("Effort-Model", headerValue(answer.model()));
    res.header("Effort-Cost-Usd", java.math.BigDecimal.valueOf(answer.costUsd()).setScale(8, java.math.RoundingMode.HALF_UP).toPlainString());
    res.header("Effort-Latency-Ms", Long.toString(answer.latency().toMillis()));
  }

  /** Header values are one line of visible ASCII. */
  static String headerValue(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? c : ' ');
    }
    return b.toString();
  }
}
