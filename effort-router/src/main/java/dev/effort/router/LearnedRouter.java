package dev.effort.router;

import dev.effort.core.Ask;
import dev.effort.core.Estimate;
import dev.effort.core.Plan;
import dev.effort.core.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A router learned by {@code effort tune}: features of the prompt, a quality model per candidate
 * plan, neighbor-based cost and latency, and the calibration that turns a quality target into a
 * threshold. It sees only the prompt text: never a recorded outcome of the ask it routes.
 */
public final class LearnedRouter implements Router {

  /**
   * Where a router came from.
   *
   * @param learner learner name, e.g. "knn"
   * @param trainedOn data sets it was trained on
   * @param trainingSha256 hash of the training prompts and their outcomes
   * @param prompts number of training prompts
   * @param created ISO-8601 time of training
   */
  public record Provenance(String learner, String trainedOn, String trainingSha256, int prompts, String created) {}

  private final List<Plan> candidates;
  private final int reference;
  private final QualityModel quality;
  private final NeighborCosts costs;
  private final Calibration calibration;
  /** Calibration on the prompts of one answer format alone, for the formats that had enough of them. */
  private final java.util.Map<dev.effort.core.AnswerFormat, Calibration> calibrationByFormat;
  private final Provenance provenance;
  private final Function<String, PromptFeatures> features;
  /** Indices of the candidates this router may choose; all of them unless {@link #restrictedTo}. */
  private final int[] usable;

  public LearnedRouter(
      List<Plan> candidates,
      int reference,
      QualityModel quality,
      NeighborCosts costs,
      Calibration calibration,
      Provenance provenance,
      Function<String, PromptFeatures> features) {
    this(candidates, reference, quality, costs, calibration, java.util.Map.of(), provenance, features);
  }

  public LearnedRouter(
      List<Plan> candidates,
      int reference,
      QualityModel quality,
      NeighborCosts costs,
      Calibration calibration,
      java.util.Map<dev.effort.core.AnswerFormat, Calibration> calibrationByFormat,
      Provenance provenance,
      Function<String, PromptFeatures> features) {
    this(candidates, reference, quality, costs, calibration, calibrationByFormat, provenance, features,
        java.util.stream.IntStream.range(0, candidates.size()).toArray());
  }

  private LearnedRouter(
      List<Plan> candidates,
      int reference,
      QualityModel quality,
      NeighborCosts costs,
      Calibration calibration,
      java.util.Map<dev.effort.core.AnswerFormat, Calibration> calibrationByFormat,
      Provenance provenance,
      Function<String, PromptFeatures> features,
      int[] usable) {
    this.candidates = List.copyOf(candidates);
    if (reference < 0 || reference >= candidates.size()) {
      throw new IllegalArgumentException("reference candidate " + reference + " out of range");
    }
    this.reference = reference;
    this.quality = Objects.requireNonNull(quality, "quality");
    this.costs = Objects.requireNonNull(costs, "costs");
    this.calibration = Objects.requireNonNull(calibration, "calibration");
    this.calibrationByFormat = java.util.Map.copyOf(calibrationByFormat);
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.features = Objects.requireNonNull(features, "features");
    this.usable = usable.clone();
  }

  /** The same router computing features with {@code features} (e.g. a cache shared by many routers). */
  public LearnedRouter withFeatures(Function<String, PromptFeatures> features) {
    return new LearnedRouter(candidates, reference, quality, costs, calibration, calibrationByFormat, provenance, features, usable);
  }

  /**
   * The same router choosing only among candidates whose models are all {@code available}, for a
   * fleet that lacks some of the models it was trained with; the reference must stay available.
   * Its threshold stays the one calibrated over all candidates.
   *
   * @throws IllegalArgumentException naming the missing models if the reference is not available
   */
  @Override
  public LearnedRouter restrictedTo(java.util.Set<String> available) {
    List<String> missing = reference().models().stream().filter(m -> !available.contains(m)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the router's reference plan " + reference().describe()
          + " needs models that are not available: " + String.join(", ", missing));
    }
    int[] kept = java.util.Arrays.stream(usable).filter(i -> available.containsAll(candidates.get(i).models())).toArray();
    return new LearnedRouter(candidates, reference, quality, costs, calibration, calibrationByFormat, provenance, features, kept);
  }

  @Override
  public List<Estimate> estimate(Ask ask) {
    return estimate(features.apply(ask.prompt()));
  }

  /** Estimates from features already computed. */
  public List<Estimate> estimate(PromptFeatures f) {
    double[] q = quality.predict(f);
    double[] c = costs.costUsd(f);
    double[] l = costs.latencyMs(f);
    List<Estimate> estimates = new ArrayList<>(usable.length);
    for (int i : usable) {
      estimates.add(new Estimate(candidates.get(i), q[i], c[i], Duration.ofNanos((long) (l[i] * 1e6))));
    }
    return estimates;
  }

  @Override
  public Plan reference() {
    return candidates.get(reference);
  }

  @Override
  public double threshold(double target) {
    return calibration.threshold(target);
  }

  @Override
  public double threshold(double target, dev.effort.core.AnswerFormat format) {
    Calibration own = calibrationByFormat.get(format);
    return own != null ? own.threshold(target) : calibration.threshold(target);
  }

  @Override
  public String describe() {
    return provenance.learner() + " router trained on " + provenance.prompts() + " prompts of " + provenance.trainedOn()
        + " (sha256 " + provenance.trainingSha256().substring(0, Math.min(12, provenance.trainingSha256().length()))
        + "), " + candidates.size() + " candidate plans"
        + (usable.length < candidates.size() ? " (" + usable.length + " usable with the models available)" : "");
  }

  public List<Plan> candidates() {
    return candidates;
  }

  int referenceIndex() {
    return reference;
  }

  QualityModel quality() {
    return quality;
  }

  NeighborCosts costs() {
    return costs;
  }

  public Calibration calibration() {
    return calibration;
  }

  public java.util.Map<dev.effort.core.AnswerFormat, Calibration> calibrationByFormat() {
    return calibrationByFormat;
  }

  public Provenance provenance() {
    return provenance;
  }
}
