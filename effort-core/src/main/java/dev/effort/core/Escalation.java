package dev.effort.core;

import java.util.List;
import java.util.Objects;

/**
 * The learned part of an escalate plan: how its steps split into stages (cheapest first), and
 * after each stage but the last a gate, a logistic scorer over {@link EscalationSignals} whose
 * estimate of P(the chosen answer is good) must reach the gate's accept threshold for that answer
 * to stand; below its skip threshold the plan goes straight to the last stage (the stages between
 * are not expected to help); else the next stage runs. Thresholds are per {@link EscalationFormat}:
 * choice letters (two options or more), numbers and code differ in how far a cheap answer can be trusted.
 *
 * @param stages number of steps in each stage, in step order
 * @param gates one per stage but the last
 * @param calibratedFor what the thresholds were calibrated for, e.g. "0.98 x max": names the plan
 */
public record Escalation(List<Integer> stages, List<Gate> gates, String calibratedFor) {

  /**
   * @param weights one per signal of {@link EscalationSignals#vector} after this stage
   * @param accept per {@link EscalationFormat} (in its order): the score at which the chosen answer stands
   * @param skip per {@link EscalationFormat}: below this score the plan goes straight to the last stage
   */
  public record Gate(List<Double> weights, List<Double> accept, List<Double> skip) {
    public Gate {
      weights = List.copyOf(weights);
      accept = List.copyOf(accept);
      skip = List.copyOf(skip);
      if (accept.size() != EscalationFormat.values().length || skip.size() != EscalationFormat.values().length) {
        throw new IllegalArgumentException("a gate needs one accept and one skip threshold per format "
            + java.util.Arrays.toString(EscalationFormat.values()));
      }
    }

    /** One accept threshold for every format, never skipping. */
    public static Gate of(List<Double> weights, double accept) {
      int formats = EscalationFormat.values().length;
      return new Gate(weights, java.util.Collections.nCopies(formats, accept), java.util.Collections.nCopies(formats, 0.0));
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

  /**
   * After a stage: whether to stop, which answer stands (-1: none yet), the gate's score (NaN
   * after the last stage), and the stage to run next when not stopping.
   */
  public record Decision(boolean accept, int chosen, double score, int next) {}

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
   * The decision after {@code stage}, from the answers of the steps that ran (in step order, null
   * for failed ones; a skipped stage's steps absent). After the last stage the latest answer that
   * came stands, whatever its score.
   */
  public Decision decide(int stage, String prompt, List<String> answers) {
    if (stage == stages.size() - 1) {
      for (int i = answers.size() - 1; i >= answers.size() - stages.get(stage); i--) {
        if (answers.get(i) != null) {
          return new Decision(true, i, Double.NaN, -1);
        }
      }
      return new Decision(true, EscalationSignals.chosen(prompt, answers), Double.NaN, -1);
    }
    int last = stages.size() - 1;
    int chosen = EscalationSignals.chosen(prompt, answers);
    if (chosen < 0) {
      return new Decision(false, -1, 0, last);
    }
    Gate gate = gates.get(stage);
    int format = EscalationFormat.of(prompt).ordinal();
    double score = gate.score(EscalationSignals.vector(prompt, answers));
    if (score >= gate.accept().get(format)) {
      return new Decision(true, chosen, score, -1);
    }
    return new Decision(false, chosen, score, score < gate.skip().get(format) ? last : stage + 1);
  }
}
