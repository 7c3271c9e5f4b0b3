package dev.effort.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The plan for each fixed effort level of one fleet. Quality and cost must not fall as the level
 * rises (checked against recorded outcomes by the bench tests, not here: it is a property of data).
 */
public record Ladder(String fleet, Map<Effort, Plan> plans) {

  public Ladder {
    var copy = new EnumMap<Effort, Plan>(Effort.class);
    copy.putAll(plans);
    for (Effort level : Effort.LEVELS) {
      if (!copy.containsKey(level)) {
        throw new IllegalArgumentException("ladder '" + fleet + "' has no plan for level " + level);
      }
    }
    if (copy.containsKey(Effort.AUTO)) {
      throw new IllegalArgumentException("auto is decided per ask by the router; a ladder has no plan for it");
    }
    plans = Map.copyOf(copy);
  }

  /** The shipped ladder of the RouterBench fleet. */
  public static Ladder routerBench() {
    return builtIn("routerbench");
  }

  public static Ladder builtIn(String fleet) {
    String path = "/dev/effort/core/ladders/" + fleet + ".json";
    try (InputStream in = Ladder.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no built-in ladder for fleet '" + fleet + "'");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * Reads a ladder file: {@code {"fleet": "...", "levels": {"low": {"strategy": "single", "steps":
   * [{"model": "...", "effort": "high", "thinking_budget_tokens": 2048, "max_tokens": 4096}]}, ...}}}.
   */
  public static Ladder read(InputStream json) throws IOException {
    JsonNode root = Json.MAPPER.readTree(json);
    String fleet = PlanJson.text(root, "fleet", "ladder");
    JsonNode levels = root.path("levels");
    if (!levels.isObject()) {
      throw new IllegalArgumentException("ladder '" + fleet + "': 'levels' must be an object of level -> plan");
    }
    var plans = new EnumMap<Effort, Plan>(Effort.class);
    for (Map.Entry<String, JsonNode> e : levels.properties()) {
      String where = "ladder '" + fleet + "' level " + e.getKey();
      plans.put(Effort.parse(e.getKey()), PlanJson.read(e.getValue(), where));
    }
    return new Ladder(fleet, plans);
  }

  public Plan plan(Effort level) {
    if (!level.isFixed()) {
      throw new IllegalArgumentException("auto has no ladder plan; the planner resolves it first");
    }
    return plans.get(level);
  }

  /** Every model some level may call. */
  public List<String> models() {
    return Effort.LEVELS.stream().flatMap(l -> plans.get(l).models().stream()).distinct().toList();
  }
}
