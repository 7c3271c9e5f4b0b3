package dev.effort.cli.bench;

/**
 * One row of a bench table: a fixed effort level, a single model, the oracle, or auto.
 *
 * <p>Numbers are null when the row could not be measured (then {@code note} says why, e.g.
 * "auto: no router yet").
 *
 * @param name the level name ("low" … "max", "auto") or the model id as in the data, or "oracle"
 * @param kind one of "level", "model", "oracle", "auto"
 * @param plan the plan as a short string, e.g. "single(gpt-4-1106-preview)"
 * @param accuracy correct ÷ graded (prompts whose recorded correctness is unknown are not graded)
 * @param graded prompts with a known grade
 * @param unknown prompts whose grade is unknown (empty correctness cell in the data)
 * @param costPer1kUsd mean USD per 1,000 requests
 * @param latencyP50Ms modeled median latency in milliseconds
 * @param latencyP95Ms modeled 95th percentile latency in milliseconds
 * @param note why the row has no numbers, or null
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
    String note) {

  public boolean measured() {
    return accuracy != null;
  }
}
