package dev.effort.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Predicts, per ask, each candidate plan's chance of a good answer, its cost and latency. The
 * choice among candidates is {@link RouteChoice}'s; a router only estimates and carries its
 * calibration.
 */
public interface Router {

  /** One estimate per candidate plan, in the router's candidate order. */
  List<Estimate> estimate(Ask ask);

  /** The candidate that quality targets are relative to: the plan of level {@code max}. */
  Plan reference();

  /**
   * The per-ask threshold for a quality target: a candidate is good enough when its predicted
   * quality is at least {@code threshold(target)} times the reference's. Calibrated on data so
   * that routing reaches {@code target} times the reference's accuracy.
   *
   * @param target share of the reference's accuracy to reach, e.g. 1.0 or 0.95
   */
  double threshold(double target);

  /**
   * The threshold for prompts of one answer format, where the router calibrated one for it (so
   * that prompts of that format reach the target on their own); else {@link #threshold(double)}.
   */
  default double threshold(double target, AnswerFormat format) {
    return threshold(target);
  }

  /** One line: learner, training data, candidates. */
  String describe();

  /**
   * The same router choosing only among candidates whose models are all {@code available}, for a
   * fleet that lacks some of the models it was trained with. This default keeps every candidate:
   * a router that cannot tell its candidates' models apart has nothing to drop.
   *
   * @throws IllegalArgumentException naming the missing models when the reference plan needs one
   */
  default Router restrictedTo(java.util.Set<String> available) {
    return this;
  }

  /** Reads a router file written by {@code effort tune}. */
  static Router load(Path file) throws IOException {
    for (RouterFormat format : ServiceLoader.load(RouterFormat.class)) {
      if (format.canRead(file)) {
        return format.read(file);
      }
    }
    throw new IOException(file + " is not a router file that this build can read (write one with effort tune)");
  }

  /** A router file format; implementations are found with {@link ServiceLoader}. */
  interface RouterFormat {
    boolean canRead(Path file) throws IOException;

    Router read(Path file) throws IOException;
  }
}
