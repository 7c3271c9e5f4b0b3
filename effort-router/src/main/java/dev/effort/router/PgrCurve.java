package dev.effort.router;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * RouteLLM's measure of a router between a strong and a weak model (Ong et al., 2024): route
 * the prompts whose score is highest to the strong model, the rest to the weak one, and follow
 * the <b>performance gap recovered</b>, PGR = (quality routed − quality of weak) ÷ (quality of
 * strong − quality of weak), as the share of calls to the strong model grows from 0 to 1.
 *
 * <p>The curve has a point at every threshold between two distinct scores; prompts with equal
 * scores cannot be split by a threshold, so between two points the curve is the straight line a
 * random tie-break gives in expectation. From it:
 *
 * <ul>
 *   <li>{@link #apgr()}: the area under PGR over the strong-call share (0..1), the mean PGR over
 *       all shares; a random router has 0.5 in expectation.
 *   <li>{@link #cpt(double)}: CPT(x), the least share of strong calls at which PGR reaches x; a
 *       random router has x in expectation.
 * </ul>
 *
 * @param strongShare share of calls to the strong model at each point, from 0 to 1, increasing
 * @param pgr performance gap recovered at each point, from 0 to 1
 */
public record PgrCurve(double[] strongShare, double[] pgr) {

  public PgrCurve {
    strongShare = strongShare.clone();
    pgr = pgr.clone();
    if (strongShare.length != pgr.length || strongShare.length < 2) {
      throw new IllegalArgumentException("a curve needs at least two points, as many shares as PGR values");
    }
  }

  /**
   * The curve of a router's scores.
   *
   * @param score the router's score of each prompt (higher: more in need of the strong model)
   * @param strong quality of the strong model's answer to each prompt (1/0 correct, or a judge's score)
   * @param weak quality of the weak model's answer to each prompt
   * @throws IllegalArgumentException if the lengths differ, there are no prompts, or the strong
   *     and weak model have the same mean quality (no gap to recover)
   */
  public static PgrCurve of(double[] score, double[] strong, double[] weak) {
    int n = score.length;
    if (n == 0 || strong.length != n || weak.length != n) {
      throw new IllegalArgumentException("need one score, one strong and one weak quality per prompt, got "
          + n + ", " + strong.length + ", " + weak.length);
    }
    double gap = 0;
    for (int i = 0; i < n; i++) {
      gap += strong[i] - weak[i];
    }
    if (gap == 0) {
      throw new IllegalArgumentException("the strong and the weak model have the same mean quality: no gap to recover");
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());
    double[] share = new double[n + 1];
    double[] recovered = new double[n + 1];
    int points = 1;
    double gained = 0;
    for (int at = 0; at < n; ) {
      int end = at;
      while (end < n && score[order[end]] == score[order[at]]) {
        gained += strong[order[end]] - weak[order[end]];
        end++;
      }
      share[points] = (double) end / n;
      recovered[points] = gained / gap;
      points++;
      at = end;
    }
    return new PgrCurve(Arrays.copyOf(share, points), Arrays.copyOf(recovered, points));
  }

  /** Average PGR: the area under the curve over the strong-call share, by the trapezoid rule. */
  public double apgr() {
    double area = 0;
    for (int i = 1; i < strongShare.length; i++) {
      area += (strongShare[i] - strongShare[i - 1]) * (pgr[i] + pgr[i - 1]) / 2;
    }
    return area;
  }

  /**
   * CPT(target): the least share of strong calls at which PGR first reaches {@code target}
   * (0..1), interpolated along the curve; NaN if it never does.
   */
  public double cpt(double target) {
    if (pgr[0] >= target) {
      return strongShare[0];
    }
    for (int i = 1; i < pgr.length; i++) {
      if (pgr[i] >= target) {
        double t = (target - pgr[i - 1]) / (pgr[i] - pgr[i - 1]);
        return strongShare[i - 1] + t * (strongShare[i] - strongShare[i - 1]);
      }
    }
    return Double.NaN;
  }

  /** PGR at a share of strong calls (0..1), interpolated along the curve. */
  public double pgrAt(double share) {
    for (int i = 1; i < strongShare.length; i++) {
      if (share <= strongShare[i]) {
        double width = strongShare[i] - strongShare[i - 1];
        double t = width == 0 ? 1 : (share - strongShare[i - 1]) / width;
        return pgr[i - 1] + t * (pgr[i] - pgr[i - 1]);
      }
    }
    return pgr[pgr.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PgrCurve c && Arrays.equals(strongShare, c.strongShare) && Arrays.equals(pgr, c.pgr);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(strongShare) + Arrays.hashCode(pgr);
  }

  @Override
  public String toString() {
    return "PgrCurve[" + strongShare.length + " points, APGR " + apgr() + "]";
  }
}
