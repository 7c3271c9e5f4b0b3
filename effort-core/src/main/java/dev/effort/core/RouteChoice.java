package dev.effort.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The auto decision: among the candidates that fit the ask's deadline and cost cap, the cheapest
 * whose expected quality meets the target. If none meets it, the best expected one that fits; if
 * none fits, the fastest (deadline) or cheapest (cost cap) — and the notes say so.
 */
public final class RouteChoice {
  private RouteChoice() {}

  /** The chosen estimate and the reasons, for the trace. */
  public record Choice(Estimate chosen, List<String> notes, Optional<String> unmet) {
    Choice(Estimate chosen, List<String> notes) {
      this(chosen, notes, Optional.empty());
    }
  }

  public static Choice choose(
      List<Estimate> candidates, Plan reference, double threshold, Optional<Duration> deadline, Optional<Double> maxCostUsd) {
    double referenceQuality = candidates.stream()
        .filter(e -> e.plan().equals(reference))
        .mapToDouble(Estimate::quality)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the reference plan " + reference + " is not a candidate"));
    return choose(candidates, referenceQuality, threshold, deadline, maxCostUsd);
  }

  /**
   * The same choice where the reference itself may not be among the candidates (a key's budget
   * cannot hold it): the quality bar is still {@code threshold} times its expected quality.
   */
  public static Choice choose(
      List<Estimate> candidates, double referenceQuality, double threshold, Optional<Duration> deadline,
      Optional<Double> maxCostUsd) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("the router has no candidate plans");
    }
    double bar = threshold * referenceQuality;
    List<String> notes = new ArrayList<>();

    List<Estimate> fitting = candidates.stream()
        .filter(e -> deadline.map(d -> e.latency().compareTo(d) <= 0).orElse(true))
        .filter(e -> maxCostUsd.map(c -> e.costUsd() <= c).orElse(true))
        .toList();
    if (fitting.isEmpty()) {
      Estimate fallback = deadline.isPresent()
          ? candidates.stream().min(Comparator.comparing(Estimate::latency)).orElseThrow()
          : candidates.stream().min(Comparator.comparingDouble(Estimate::costUsd)).orElseThrow();
      String unmet = "no candidate is expected to fit " + constraints(deadline, maxCostUsd) + "; took the "
          + (deadline.isPresent() ? "fastest" : "cheapest");
      notes.add("auto: " + unmet + ", " + describe(fallback));
      return new Choice(fallback, notes, Optional.of(unmet));
    }
    Optional<Estimate> good = fitting.stream()
        .filter(e -> e.quality() >= bar)
        .min(Comparator.comparingDouble(Estimate::costUsd).thenComparing(Comparator.comparingDouble(Estimate::quality).reversed()));
    if (good.isPresent()) {
      notes.add(String.format(Locale.ROOT, "auto: cheapest plan expected to reach %.3f (%.3f x max's %.3f)%s: %s",
          bar, threshold, referenceQuality, fitting.size() < candidates.size() ? " within " + constraints(deadline, maxCostUsd) : "",
          describe(good.get())));
      return new Choice(good.get(), notes);
    }
    Estimate best = fitting.stream().max(Comparator.comparingDouble(Estimate::quality)).orElseThrow();
    String within = deadline.isEmpty() && maxCostUsd.isEmpty() ? "" : " within " + constraints(deadline, maxCostUsd);
    notes.add(String.format(Locale.ROOT, "auto: no plan%s is expected to reach %.3f (%.3f x max's %.3f); took the best"
        + " expected, %s", within, bar, threshold, referenceQuality, describe(best)));
    return new Choice(best, notes);
  }

  /** "the deadline of 2000 ms and the cost cap of $0.010000", for traces. */
  static String constraints(Optional<Duration> deadline, Optional<Double> maxCostUsd) {
    List<String> parts = new ArrayList<>();
    deadline.ifPresent(d -> parts.add("the deadline of " + d.toMillis() + " ms"));
    maxCostUsd.ifPresent(c -> parts.add(String.format(Locale.ROOT, "the cost cap of $%.6f", c)));
    return parts.isEmpty() ? "the constraints" : String.join(" and ", parts);
  }

  private static String describe(Estimate e) {
    return String.format(Locale.ROOT, "%s (expected quality %.3f, $%.6f, %d ms)",
        e.plan().describe(), e.quality(), e.costUsd(), e.latency().toMillis());
  }
}
