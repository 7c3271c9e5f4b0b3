package dev.effort.benchmarks.bound;

import dev.effort.core.AnswerFormat;
import dev.effort.core.FinalAnswer;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * How far vote cascades among the recorded models can go on a choice data set: every rule of one
 * family, tried on the recorded answers, and for each cost cap the most accurate. The rules are
 * picked with hindsight on the very prompts they are scored on, so the figures bound what a rule
 * chosen without it can reach; a learned gate has more to go on only where the prompt's text says
 * which answers to trust.
 *
 * <p>A rule: ask the {@code first} models (two or three of those cheaper than the strongest); an
 * answer stands once {@code votes} of the answers so far give it; until then ask the
 * {@code extras} one at a time; when none stands, the strongest model answers. With a
 * {@code trusted} model, only its answer can stand after the first stage (a tie-breaker asked to
 * side with it). Accuracy and cost are the recorded labels and prices of the calls made, over the
 * prompts every model answered and has a label for; both are given as shares of the strongest
 * model's.
 */
public final class VoteCascadeBound {

  /** Caps on the cost, as shares of the strongest model's, that {@link #main} reports. */
  static final double[] CAPS = {0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.60};

  private static final int MAX_EXTRAS = 2;

  /** One rule, as model indexes into {@link Answers#models}; {@code trusted} is -1 for none. */
  record Rule(int[] first, int votes, int[] extras, int trusted) {}

  /** A rule with its accuracy and cost, as shares of the strongest model's. */
  record Scored(Rule rule, double accuracy, double cost) {}

  /** The recorded answers as arrays: per model and prompt, the letter (0 for none), label and price. */
  record Answers(List<String> models, int strongest, int[][] letters, boolean[][] correct, double[][] costs) {
    int prompts() {
      return letters[0].length;
    }

    static Answers of(RecordedDataset set) {
      List<String> models = set.models();
      List<RecordedPrompt> usable = set.prompts().stream()
          .filter(p -> models.stream().allMatch(m -> p.outcome(m)
              .filter(o -> o.correct().isPresent() && o.costUsd().isPresent()).isPresent()))
          .toList();
      if (usable.isEmpty()) {
        throw new IllegalArgumentException("no prompt has every model's label and price");
      }
      int n = models.size();
      int[][] letters = new int[n][usable.size()];
      boolean[][] correct = new boolean[n][usable.size()];
      double[][] costs = new double[n][usable.size()];
      for (int m = 0; m < n; m++) {
        for (int p = 0; p < usable.size(); p++) {
          RecordedOutcome o = usable.get(p).outcomes().get(models.get(m));
          letters[m][p] = FinalAnswer.choiceLetter(o.response()).map(l -> l.charAt(0) - 'A' + 1).orElse(0);
          correct[m][p] = o.correct().orElseThrow();
          costs[m][p] = o.costUsd().orElseThrow();
        }
      }
      int strongest = IntStream.range(0, n)
          .boxed()
          .max(Comparator.comparingInt(m -> count(correct[m])))
          .orElseThrow();
      return new Answers(models, strongest, letters, correct, costs);
    }

    private static int count(boolean[] values) {
      int c = 0;
      for (boolean v : values) {
        c += v ? 1 : 0;
      }
      return c;
    }
  }

  private VoteCascadeBound() {}

  /** Every rule of the family over the models cheaper than the strongest, scored. */
  static List<Scored> scoreAll(Answers answers) {
    double strongestCost = total(answers.costs[answers.strongest]);
    List<Integer> cheaper = IntStream.range(0, answers.models.size())
        .filter(m -> m != answers.strongest && total(answers.costs[m]) < strongestCost)
        .boxed()
        .toList();
    List<Scored> scored = new ArrayList<>();
    for (int[] first : subsets(cheaper, 2, 3)) {
      List<Integer> rest = cheaper.stream().filter(m -> IntStream.of(first).noneMatch(f -> f == m)).toList();
      for (int votes = 2; votes <= first.length; votes++) {
        for (int[] extras : sequences(rest, MAX_EXTRAS)) {
          scored.add(score(answers, new Rule(first, votes, extras, -1)));
          if (extras.length > 0) {
            for (int trusted : first) {
              scored.add(score(answers, new Rule(first, votes, extras, trusted)));
            }
          }
        }
      }
    }
    return scored;
  }

  /** The most accurate rule whose cost is at most {@code cap} of the strongest's (cheaper on a tie). */
  static Optional<Scored> best(List<Scored> scored, double cap) {
    return scored.stream()
        .filter(s -> s.cost() <= cap)
        .max(Comparator.comparingDouble(Scored::accuracy).thenComparing(Comparator.comparingDouble(Scored::cost).reversed()));
  }

  static Scored score(Answers a, Rule rule) {
    int right = 0;
    double cost = 0;
    int strongestRight = 0;
    double strongestCost = 0;
    for (int p = 0; p < a.prompts(); p++) {
      strongestRight += a.correct[a.strongest][p] ? 1 : 0;
      strongestCost += a.costs[a.strongest][p];
      int[] tally = new int[6];
      int standing = -1;
      for (int m : rule.first) {
        cost += a.costs[m][p];
        if (a.letters[m][p] > 0 && ++tally[a.letters[m][p]] >= rule.votes) {
          standing = m;
        }
      }
      for (int i = 0; standing < 0 && i < rule.extras.length; i++) {
        int m = rule.extras[i];
        cost += a.costs[m][p];
        int letter = a.letters[m][p];
        if (letter > 0 && ++tally[letter] >= rule.votes
            && (rule.trusted < 0 || letter == a.letters[rule.trusted][p])) {
          standing = rule.trusted >= 0 ? rule.trusted : m;
        }
      }
      if (standing < 0) {
        standing = a.strongest;
        cost += a.costs[a.strongest][p];
      }
      right += a.correct[standing][p] ? 1 : 0;
    }
    return new Scored(rule, (double) right / strongestRight, cost / strongestCost);
  }

  static String describe(Answers a, Rule rule) {
    StringBuilder s = new StringBuilder(names(a, rule.first, " + "));
    s.append(rule.first.length == 2 && rule.votes == 2 ? " agree" : ", " + rule.votes + " agree");
    if (rule.extras.length > 0) {
      s.append("; else ").append(names(a, rule.extras, ", then "));
      s.append(rule.trusted >= 0 ? " siding with " + shortName(a.models.get(rule.trusted)) : " until " + rule.votes + " agree");
    }
    return s.append("; else ").append(shortName(a.models.get(a.strongest))).toString();
  }

  public static void main(String[] args) {
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      System.err.println("usage: cascade-bound [DATA_DIR]   (DATA_DIR: ../shared/data/routerbench)");
      System.exit(args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
    }
    Path dir = Path.of(args.length == 1 ? args[0] : "../shared/data/routerbench");
    List<RecordedDataset> sets;
    try {
      sets = RouterBenchCsv.loadFolder(dir);
    } catch (RuntimeException e) {
      // Not a folder, no CSV files in it, or one that does not parse: the loader's message says which.
      System.err.println("cascade-bound: " + e.getMessage());
      System.exit(2);
      return;
    }
    for (RecordedDataset set : sets) {
      if (set.prompts().isEmpty() || AnswerFormat.of(set.prompts().getFirst().prompt()) != AnswerFormat.CHOICE) {
        System.out.printf("%s: skipped (not a choice data set)%n%n", set.name());
        continue;
      }
      try {
        report(set);
      } catch (IllegalArgumentException e) {
        System.out.printf("%s: skipped (%s)%n%n", set.name(), e.getMessage());
      }
    }
  }

  private static void report(RecordedDataset set) {
    long started = System.nanoTime();
    Answers answers = Answers.of(set);
    List<Scored> scored = scoreAll(answers);
    System.out.printf("%s: %,d rules on %,d prompts every model answered; shares of %s's accuracy and cost (%.0f ms)%n",
        set.name(), scored.size(), answers.prompts(), shortName(answers.models.get(answers.strongest)),
        (System.nanoTime() - started) / 1e6);
    System.out.printf("  %-9s %-9s %-9s %s%n", "cost cap", "accuracy", "cost", "best rule within the cap");
    for (double cap : CAPS) {
      best(scored, cap).ifPresentOrElse(
          b -> System.out.printf(Locale.ROOT, "  %-9s %-9s %-9s %s%n", percent(cap), percent(b.accuracy()), percent(b.cost()),
              describe(answers, b.rule())),
          () -> System.out.printf("  %-9s none%n", percent(cap)));
    }
    System.out.println();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String names(Answers a, int[] models, String joiner) {
    return String.join(joiner, IntStream.of(models).mapToObj(m -> shortName(a.models.get(m))).toList());
  }

  private static String shortName(String model) {
    return model.substring(model.lastIndexOf('/') + 1);
  }

  private static double total(double[] values) {
    double t = 0;
    for (double v : values) {
      t += v;
    }
    return t;
  }

  /** Every subset of {@code from} of size {@code min} to {@code max}, members in {@code from}'s order. */
  private static List<int[]> subsets(List<Integer> from, int min, int max) {
    List<int[]> out = new ArrayList<>();
    for (int mask = 1; mask < 1 << from.size(); mask++) {
      int size = Integer.bitCount(mask);
      if (size >= min && size <= max) {
        int[] s = new int[size];
        int k = 0;
        for (int i = 0; i < from.size(); i++) {
          if ((mask & 1 << i) != 0) {
            s[k++] = from.get(i);
          }
        }
        out.add(s);
      }
    }
    return out;
  }

  /** Every ordered sequence of distinct members of {@code from}, of length 0 to {@code max}. */
  private static List<int[]> sequences(List<Integer> from, int max) {
    List<int[]> out = new ArrayList<>();
    out.add(new int[0]);
    for (int length = 1; length <= max; length++) {
      List<int[]> longer = new ArrayList<>();
      for (int[] s : out) {
        if (s.length == length - 1) {
          for (int m : from) {
            if (IntStream.of(s).noneMatch(x -> x == m)) {
              int[] t = java.util.Arrays.copyOf(s, length);
              t[length - 1] = m;
              longer.add(t);
            }
          }
        }
      }
      out.addAll(longer);
    }
    return out;
  }
}
