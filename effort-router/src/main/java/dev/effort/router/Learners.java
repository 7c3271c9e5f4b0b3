package dev.effort.router;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** Every learner the router can use, by name, with their default settings. */
public final class Learners {
  private Learners() {}

  public static List<Learner> all() {
    return List.of(new KnnLearner(), new LogisticLearner(), new MatrixFactorizationLearner());
  }

  public static Learner byName(String name) {
    return all().stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown learner '" + name + "'; accepted: " + names()));
  }

  /** Reads a model written by {@link QualityModel#write}; the inverse of it. */
  public static QualityModel read(String learnerName, DataInputStream in) throws IOException {
    return switch (learnerName) {
      case KnnLearner.NAME -> KnnLearner.read(in);
      case LogisticLearner.NAME -> LogisticLearner.read(in);
      case MatrixFactorizationLearner.NAME -> MatrixFactorizationLearner.read(in);
      default -> throw new IOException("the model was fitted by learner '" + learnerName
          + "', which this build does not know; accepted: " + names());
    };
  }

  private static String names() {
    return all().stream().map(Learner::name).collect(Collectors.joining(", "));
  }
}
