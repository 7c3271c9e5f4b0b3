package dev.effort.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What will be done for an ask: steps and the strategy that combines them. Plans are data:
 * printable, comparable, testable.
 *
 * @param learned for an escalate plan, its stages and learned gates; empty for every other strategy
 */
public record Plan(Strategy strategy, List<Step> steps, Optional<Escalation> learned) {

  public Plan(Strategy strategy, List<Step> steps) {
    this(strategy, steps, Optional.empty());
  }

  public Plan {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(learned, "learned");
    steps = List.copyOf(steps);
    require(learned.isPresent() == (strategy == Strategy.ESCALATE),
        "stages and gates belong to escalate plans, and every escalate plan has them");
    switch (strategy) {
      case SINGLE -> require(steps.size() == 1, "a single plan has exactly one step, got " + steps.size());
      case CASCADE -> require(steps.size() >= 3,
          "a cascade needs at least two cheap steps that can agree and one step to escalate to, got "
              + steps.size());
      case VOTE -> require(steps.size() >= 2, "a vote needs at least two steps, got " + steps.size());
      case ESCALATE -> require(learned.get().steps() == steps.size(), "the escalation's stages hold "
          + learned.get().steps() + " steps, the plan " + steps.size());
    }
  }

  public static Plan single(String model) {
    return new Plan(Strategy.SINGLE, List.of(Step.of(model)));
  }

  /** Cheap models answer in parallel; if they all agree their answer stands, else {@code fallback} answers. */
  public static Plan cascade(List<String> cheapModels, String fallback) {
    var steps = new java.util.ArrayList<Step>();
    cheapModels.forEach(m -> steps.add(Step.of(m)));
    steps.add(Step.of(fallback));
    return new Plan(Strategy.CASCADE, steps);
  }

  /** Stages of models, cheapest first, with the gates that decide after each stage but the last. */
  public static Plan escalate(List<List<String>> stages, List<Escalation.Gate> gates, String calibratedFor) {
    List<Step> steps = stages.stream().flatMap(List::stream).map(Step::of).toList();
    return new Plan(Strategy.ESCALATE, steps,
        Optional.of(new Escalation(stages.stream().map(List::size).toList(), gates, calibratedFor)));
  }

  public static Plan vote(List<String> models) {
    return new Plan(Strategy.VOTE, models.stream().map(Step::of).toList());
  }

  /** For a cascade: the cheap steps that must agree. */
  public List<Step> probes() {
    return strategy == Strategy.CASCADE ? steps.subList(0, steps.size() - 1) : List.of();
  }

  /** For a cascade: the step that answers when the probes disagree. */
  public Step escalation() {
    if (strategy != Strategy.CASCADE) {
      throw new IllegalStateException(strategy.wireName() + " plans do not escalate");
    }
    return steps.get(steps.size() - 1);
  }

  /** Every model the plan may call, in step order. */
  public List<String> models() {
    return steps.stream().map(Step::model).toList();
  }

  /**
   * Short plan string, e.g. {@code single(gpt-4)}, {@code cascade(agree(a, b) -> c)},
   * {@code vote(a, b, c)}.
   */
  public String describe() {
    return switch (strategy) {
      case SINGLE -> "single(" + steps.get(0).describe() + ")";
      case CASCADE -> "cascade(agree(" + join(probes()) + ") -> " + escalation().describe() + ")";
      case VOTE -> "vote(" + join(steps) + ")";
      case ESCALATE -> "escalate(" + stagesDescribed() + "; learned for " + learned.get().calibratedFor() + ")";
    };
  }

  @Override
  public String toString() {
    return describe();
  }

  private String stagesDescribed() {
    Escalation e = learned.get();
    List<String> stages = new java.util.ArrayList<>();
    for (int s = 0; s < e.stages().size(); s++) {
      int from = e.firstStep(s);
      stages.add(join(steps.subList(from, from + e.stages().get(s))));
    }
    return String.join(" -> ", stages);
  }

  private static String join(List<Step> steps) {
    return steps.stream().map(Step::describe).collect(Collectors.joining(", "));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
