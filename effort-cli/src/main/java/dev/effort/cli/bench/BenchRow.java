package dev.effort.cli.bench;

/**
 * One row of a bench table: a fixed effort level, a single model, the oracle, or auto.
 *
 * <p>Numbers are null when the row could not be measured (then {@code note} says why, e.g.
 * "not measured: the data has no recorded answers of ...").
 *
 * @param name the level name ("low" … "max"), the model id as in the data, "oracle",
 *     "auto" / "auto@0.95" (auto at a target) or "random" / "random@0.95" (its random baseline)
 * @param kind one of "level", "model", "oracle", "auto", "random"
 * @param plan the plan as a short string, e.g. "single(gpt-4-1106-preview)"
 * @param accuracy correct ÷ graded (prompts whose recorded correctness is unknown are not graded)
 * @param graded prompts with a known grade
 * @param unknown prompts whose grade is unknown (empty correctness cell in the data)
 * @param costPer1kUsd mean USD per 1,000 requests
 * @param latencyP50Ms modeled median latency in milliseconds
 * @param latencyP95Ms modeled 95th percentile latency in milliseconds
 * @param note why the row has no numbers, or null
 * @param target for auto rows, the quality target as a share of max's accuracy; else null
 */
public record BenchRow(
    String name,
    String kind,
    String plan,
    Double accuracy,
    int graded,
    int unknown,
    Double costPer1kUsd,
    Double latencyP50Ms,
    Double latencyP95Ms,
    String note,
    Double target) {

  public BenchRow(String name, String kind, String plan, Double accuracy, int graded, int unknown,
      Double costPer1kUsd, Double latencyP50Ms, Double latencyP95Ms, String note) {
    this(name, kind, plan, accuracy, graded, unknown, costPer1kUsd, latencyP50Ms, latencyP95Ms, note, null);
  }

  public boolean measured() {
    return accuracy != null;
  }
}
