package dev.effort.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Answer;
import dev.effort.core.StepTrace;
import dev.effort.core.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One answer of the chat and what was done for it, from the executor in process or from the
 * gateway's {@code effort} object: what {@code /cost} adds up and {@code /plan} prints.
 *
 * @param latency measured over a gateway; modeled from catalog priors on replay
 */
public record ChatReply(
    String text, String model, double costUsd, Duration latency, String asked, String applied, String plan,
    List<StepLine> steps, List<String> notes, Optional<String> downgrade, Optional<String> unmet) {

  public ChatReply {
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
  }

  /** One call of the plan. */
  public record StepLine(String model, String role, boolean used, long inputTokens, long outputTokens,
      long thinkingTokens, double costUsd, long latencyMs) {}

  static ChatReply of(Answer answer) {
    Trace t = answer.trace();
    List<StepLine> steps = new ArrayList<>();
    for (StepTrace s : t.steps()) {
      var c = s.completion();
      steps.add(new StepLine(c.model(), s.role(), s.used(), c.usage().inputTokens(), c.usage().outputTokens(),
          c.usage().thinkingTokens(), c.costUsd(), c.latency().toMillis()));
    }
    return new ChatReply(answer.text(), answer.model(), answer.costUsd(), answer.latency(), t.asked().wireName(),
        t.applied().wireName(), t.plan().describe(), steps, t.notes(), t.downgrade(), t.unmet());
  }

  /** From the {@code effort} object the gateway puts on a response's last event. */
  static ChatReply of(String text, JsonNode effort) {
    List<StepLine> steps = new ArrayList<>();
    for (JsonNode s : effort.path("steps")) {
      steps.add(new StepLine(s.path("model").asText(), s.path("role").asText(), s.path("used").asBoolean(),
          s.path("input_tokens").asLong(), s.path("output_tokens").asLong(), s.path("thinking_tokens").asLong(),
          s.path("cost_usd").asDouble(), s.path("latency_ms").asLong()));
    }
    List<String> notes = new ArrayList<>();
    effort.path("notes").forEach(n -> notes.add(n.asText()));
    return new ChatReply(text, effort.path("model").asText(), effort.path("cost_usd").asDouble(),
        Duration.ofMillis(effort.path("latency_ms").asLong()), effort.path("asked").asText(),
        effort.path("applied").asText(), effort.path("plan").asText(), steps, notes,
        optionalText(effort, "downgrade_reason"), optionalText(effort, "constraint_unmet"));
  }

  private static Optional<String> optionalText(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
