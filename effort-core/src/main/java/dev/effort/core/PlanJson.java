package dev.effort.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Plans as JSON, the form ladders and router files use: {@code {"strategy": "cascade", "steps":
 * [{"model": "...", "effort": "high", "thinking_budget_tokens": 2048, "max_tokens": 4096}, ...]}}.
 */
public final class PlanJson {
  private PlanJson() {}

  /** @param where names the place in the file for error messages, e.g. "ladder 'x' level low" */
  public static Plan read(JsonNode node, String where) {
    Strategy strategy = Strategy.parse(text(node, "strategy", where));
    JsonNode stepsNode = node.path("steps");
    if (!stepsNode.isArray()) {
      throw new IllegalArgumentException(where + ": 'steps' must be a list of {\"model\": ...}");
    }
    List<Step> steps = new ArrayList<>();
    for (JsonNode s : stepsNode) {
      steps.add(new Step(
          text(s, "model", where),
          s.hasNonNull("effort") ? Optional.of(Effort.parse(s.get("effort").asText())) : Optional.empty(),
          optionalInt(s, "thinking_budget_tokens"),
          optionalInt(s, "max_tokens")));
    }
    if (strategy != Strategy.ESCALATE) {
      return new Plan(strategy, steps);
    }
    return new Plan(strategy, steps, Optional.of(escalation(node, where)));
  }

  /**
   * {@code "stages": [2, 1, 1], "gates": [{"weights": [...], "accept": {"two_choice": 0.9, "choice": 0.8, "number": 1.01,
   * "free": 0.7}, "skip": {"choice": 0.3, ...}}, ...], "calibrated_for": "..."}.
   */
  private static Escalation escalation(JsonNode node, String where) {
    JsonNode stagesNode = node.path("stages");
    JsonNode gatesNode = node.path("gates");
    if (!stagesNode.isArray() || !gatesNode.isArray()) {
      throw new IllegalArgumentException(where + ": an escalate plan needs 'stages' (steps per stage) and 'gates'"
          + " (one {\"weights\": [...], \"accept\": {...}, \"skip\": {...}} per stage but the last)");
    }
    List<Integer> stages = new ArrayList<>();
    stagesNode.forEach(s -> stages.add(s.asInt()));
    List<Escalation.Gate> gates = new ArrayList<>();
    for (JsonNode g : gatesNode) {
      List<Double> weights = new ArrayList<>();
      g.path("weights").forEach(w -> weights.add(w.asDouble()));
      gates.add(new Escalation.Gate(weights, perFormat(g, "accept", where), perFormat(g, "skip", where)));
    }
    try {
      return new Escalation(stages, gates, node.path("calibrated_for").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  public static ObjectNode write(Plan plan) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("strategy", plan.strategy().wireName());
    var steps = node.putArray("steps");
    for (Step step : plan.steps()) {
      ObjectNode s = steps.addObject();
      s.put("model", step.model());
      step.nativeEffort().ifPresent(e -> s.put("effort", e.wireName()));
      step.thinkingBudgetTokens().ifPresent(t -> s.put("thinking_budget_tokens", t));
      step.maxTokens().ifPresent(t -> s.put("max_tokens", t));
    }
    plan.learned().ifPresent(e -> {
      var stages = node.putArray("stages");
      e.stages().forEach(stages::add);
      var gates = node.putArray("gates");
      for (Escalation.Gate g : e.gates()) {
        ObjectNode gate = gates.addObject();
        var weights = gate.putArray("weights");
        g.weights().forEach(weights::add);
        ObjectNode accept = gate.putObject("accept");
        ObjectNode skip = gate.putObject("skip");
        for (EscalationFormat f : EscalationFormat.values()) {
          accept.put(f.wireName(), g.accept().get(f.ordinal()));
          skip.put(f.wireName(), g.skip().get(f.ordinal()));
        }
      }
      node.put("calibrated_for", e.calibratedFor());
    });
    return node;
  }

  private static List<Double> perFormat(JsonNode gate, String field, String where) {
    List<Double> values = new ArrayList<>();
    for (EscalationFormat f : EscalationFormat.values()) {
      JsonNode v = gate.path(field).path(f.wireName());
      if (!v.isNumber()) {
        throw new IllegalArgumentException(where + ": every gate needs a numeric '" + field + "." + f.wireName() + "'");
      }
      values.add(v.asDouble());
    }
    return values;
  }

  static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  private static OptionalInt optionalInt(JsonNode node, String field) {
    return node.hasNonNull(field) ? OptionalInt.of(node.get(field).asInt()) : OptionalInt.empty();
  }
}
