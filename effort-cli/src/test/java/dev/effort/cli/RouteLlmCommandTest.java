package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RouteLlmCommandTest {

  private static final Pattern OURS = Pattern.compile(
      "^(mf|knn|logistic) \\(ours, cross-fitted\\)\\s+\\| (\\d\\.\\d{3})\\s+\\| (\\d+\\.\\d)%\\s+\\| (\\d+\\.\\d)%\\s*$",
      Pattern.MULTILINE);

  private static String[] run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }

  @Test
  void printsApgrAndCptOfEachRouterOnEachBenchmarkBesideRandomAndThePaper() {
    // A sample of 150 prompts of each benchmark and few epochs keep this test to seconds.
    String[] r = run("routellm", "--data", TestData.routeLlm().toString(), "--limit", "150", "--epochs", "3",
        "--folds", "3");

    assertThat(r[0]).as(r[2]).isEqualTo("0");
    String out = r[1];
    assertThat(out).contains("mmlu: 150 prompts (a sample of 14042)", "gsm8k: 150 prompts (a sample of 1319)",
        "mt-bench: 80 prompts;");
    assertThat(out).contains("random (mean of 200 draws)", "paper: mf, Arena + GPT-4-judge data", "arXiv 2406.18665");
    Matcher m = OURS.matcher(out);
    int rows = 0;
    while (m.find()) {
      rows++;
      double apgr = Double.parseDouble(m.group(2));
      double cpt50 = Double.parseDouble(m.group(3));
      double cpt80 = Double.parseDouble(m.group(4));
      assertThat(apgr).isBetween(0.0, 1.0);
      assertThat(cpt50).isBetween(0.0, 100.0).isLessThanOrEqualTo(cpt80);
    }
    assertThat(rows).as(out).isEqualTo(9);
  }

  @Test
  void anUnknownLearnerIsRefusedWithTheAcceptedOnes() {
    String[] r = run("routellm", "--data", TestData.routeLlm().toString(), "--learner", "bert");

    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("unknown --learner 'bert'; accepted: mf, knn, logistic");
  }

  @Test
  void theCommandIsListedInTheHelp() {
    String[] r = run("--help");

    assertThat(Arrays.asList(r[1].split("\n"))).anyMatch(line -> line.strip().startsWith("routellm"));
    assertThat(List.of(r[1])).isNotEmpty();
  }
}
