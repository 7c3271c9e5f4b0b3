package dev.effort.core;

import java.util.List;
import java.util.Objects;

/**
 * The learned part of an escalate plan: how its steps split into stages (cheapest first), and
 * after each stage but the last a gate, a logistic scorer over {@link EscalationSignals} whose
 * estimate of P(the chosen answer is good) must reach the gate's threshold for that answer to
 * stand; else the next stage runs.
 *
 * @param stages number of steps in each stage, in step order
 * @param gates one per stage but the last
 * @param calibratedFor what the thresholds were calibrated for, e.g. "0.98 x max": names the plan
 */
public record Escalation(List<Integer> stages, List<Gate> gates, String calibratedFor) {

  /** @param weights one per signal of {@link EscalationSignals#vector} after this stage */
  public record Gate(List<Double> weights, double threshold) {
    public Gate {
      weights = List.copyOf(weights);
    }

    /** P(the chosen answer is good) from the signals. */
    public double score(double[] signals) {
      if (signals.length != weights.size()) {
        throw new IllegalArgumentException("the gate takes " + weights.size() + " signals, got " + signals.length);
      }
      double z = 0;
      for (int i = 0; i < signals.length; i++) {
        z += weights.get(i) * signals[i];
      }
      return 1 / (1 + Math.exp(-z));
    }
  }

  /** After a stage: whether to stop, which answer stands (-1: none yet), the gate's score (NaN after the last stage). */
  public record Decision(boolean accept, int chosen, double score) {}

  public Escalation {
    stages = List.copyOf(stages);
    gates = List.copyOf(gates);
    Objects.requireNonNull(calibratedFor, "calibratedFor");
    if (stages.size() < 2 || stages.stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("an escalation needs at least two stages of at least one step, got " + stages);
    }
    if (gates.size() != stages.size() - 1) {
      throw new IllegalArgumentException("an escalation needs one gate per stage but the last: " + (stages.size() - 1)
          + ", got " + gates.size());
    }
    int answers = 0;
    for (int s = 0; s < gates.size(); s++) {
      answers += stages.get(s);
      if (gates.get(s).weights().size() != EscalationSignals.length(answers)) {
        throw new IllegalArgumentException("gate " + (s + 1) + " needs " + EscalationSignals.length(answers)
            + " weights (signals after " + answers + " answers), got " + gates.get(s).weights().size());
      }
    }
  }

  /** Total steps over all stages. */
  public int steps() {
    return stages.stream().mapToInt(Integer::intValue).sum();
  }

  /** Index of the first step of {@code stage}. */
  public int firstStep(int stage) {
    return stages.subList(0, stage).stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The decision after {@code stage}, from the answers of every step so far (null for failed
   * ones). After the last stage the latest answer that came stands, whatever its score.
   */
  public Decision decide(int stage, String prompt, List<String> answers) {
    if (stage == stages.size() - 1) {
      for (int i = answers.size() - 1; i >= firstStep(stage); i--) {
        if (answers.get(i) != null) {
          return new Decision(true, i, Double.NaN);
        }
      }
      return new Decision(true, EscalationSignals.chosen(prompt, answers), Double.NaN);
    }
    int chosen = EscalationSignals.chosen(prompt, answers);
    if (chosen < 0) {
      return new Decision(false, -1, 0);
    }
    double score = gates.get(stage).score(EscalationSignals.vector(prompt, answers));
    return new Decision(score >= gates.get(stage).threshold(), chosen, score);
  }
}
