package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code model} field asks for: {@code effort} lets the dial choose the plan,
 * {@code effort-low} … {@code effort-max} and {@code effort-auto} choose a level by name, and a
 * model id of the fleet pins that model.
 *
 * @param level the level chosen by name, if the name chose one
 * @param pinned the pinned model id, if the name is a model of the fleet
 */
public record ModelField(Optional<Effort> level, Optional<String> pinned) {
  public static final String DIAL = "effort";

  /**
   * A snapshot or alias suffix on a model id, as clients send them ({@code claude-sonnet-4-5-20250929},
   * {@code gpt-4o-2024-08-06}, {@code claude-3-5-haiku-latest}): the name then pins the served id it extends.
   */
  private static final java.util.regex.Pattern SNAPSHOT = java.util.regex.Pattern.compile("-(?:\\d{8}|\\d{4}-\\d{2}-\\d{2}|latest)$");

  /** Every name the gateway accepts, effort names first. */
  public static List<String> acceptedNames(List<String> fleet) {
    List<String> names = new ArrayList<>();
    names.add(DIAL);
    for (Effort e : Effort.LEVELS) {
      names.add(DIAL + "-" + e.wireName());
    }
    names.add(DIAL + "-auto");
    names.addAll(fleet);
    return names;
  }

  /** @throws WireError (404) naming the accepted names, for a model the gateway does not serve */
  public static ModelField parse(String model, Catalog catalog, List<String> fleet) {
    if (model.equals(DIAL)) {
      return new ModelField(Optional.empty(), Optional.empty());
    }
    if (model.startsWith(DIAL + "-")) {
      String level = model.substring(DIAL.length() + 1);
      for (Effort e : Effort.values()) {
        if (e.wireName().equals(level)) {
          return new ModelField(Optional.of(e), Optional.empty());
        }
      }
    }
    if (fleet.contains(model) && catalog.contains(model)) {
      return new ModelField(Optional.empty(), Optional.of(model));
    }
    String base = SNAPSHOT.matcher(model).replaceFirst("");
    if (!base.equals(model) && fleet.contains(base) && catalog.contains(base)) {
      return new ModelField(Optional.empty(), Optional.of(base));
    }
    throw notServed(model, fleet);
  }

  /** The 404 for a model the gateway does not serve, naming the accepted names. */
  static WireError notServed(String model, List<String> fleet) {
    return new WireError(WireError.Kind.NOT_FOUND, "model '" + model + "' is not served here; accepted: "
        + String.join(", ", acceptedNames(fleet)), "model");
  }
}
