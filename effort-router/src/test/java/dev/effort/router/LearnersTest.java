package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LearnersTest {

  static List<Learner> learners() {
    return Learners.all();
  }

  @ParameterizedTest
  @MethodSource("learners")
  void learnsThatACandidateIsGoodOnOneKindOfPromptOnly(Learner learner) {
    QualityModel model = learner.fit(Synthetic.twoClusters(100, 1));
    Random random = new Random(99);

    double[] onFirst = model.predict(Synthetic.prompt(0, random));
    double[] onSecond = model.predict(Synthetic.prompt(1, random));

    assertThat(onFirst[0]).as("a, where it is good").isGreaterThan(0.8);
    assertThat(onSecond[0]).as("a, where it is not").isLessThan(0.2);
    assertThat(onFirst[1]).as("b, good everywhere").isGreaterThan(0.8);
    assertThat(onSecond[1]).as("b, good everywhere").isGreaterThan(0.8);
  }

  @ParameterizedTest
  @MethodSource("learners")
  void unknownLabelsAreLeftOutNotCountedAsWrong(Learner learner) {
    TrainingSet data = Synthetic.twoClusters(100, 2);
    double[][] correct = data.correct();
    for (int i = 0; i < correct.length; i++) {
      if (i % 10 != 0) {
        correct[i][1] = Double.NaN; // b: 1.0 on a tenth of the prompts, unknown on the rest
      }
    }

    QualityModel model = learner.fit(Synthetic.withLabels(data.candidates(), data.features(), correct));

    assertThat(model.predict(Synthetic.prompt(0, new Random(3)))[1]).isGreaterThan(0.8);
  }

  @ParameterizedTest
  @MethodSource("learners")
  void predictionsStayStrictlyBetweenZeroAndOne(Learner learner) {
    QualityModel model = learner.fit(Synthetic.twoClusters(200, 4));
    Random random = new Random(5);

    for (int i = 0; i < 20; i++) {
      for (double p : model.predict(Synthetic.prompt(i % 2, random))) {
        assertThat(p).isStrictlyBetween(0.0, 1.0);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("learners")
  void writtenAndReadBackPredictsBitForBitTheSame(Learner learner) throws IOException {
    QualityModel model = learner.fit(Synthetic.twoClusters(60, 6));

    QualityModel read = roundTrip(model);

    assertThat(read.learner()).isEqualTo(learner.name()).isEqualTo(model.learner());
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      PromptFeatures f = Synthetic.prompt(i % 2, random);
      assertThat(read.predict(f)).containsExactly(model.predict(f));
    }
  }

  @ParameterizedTest
  @MethodSource("learners")
  void fittingIsDeterministic(Learner learner) {
    TrainingSet data = Synthetic.twoClusters(60, 8);
    PromptFeatures f = Synthetic.prompt(0, new Random(9));

    assertThat(learner.fit(data).predict(f)).containsExactly(learner.fit(data).predict(f));
  }

  @Test
  void learnersAreFoundByName() {
    assertThat(Learners.all()).extracting(Learner::name).containsExactly("knn", "logistic", "mf");
    assertThat(Learners.byName("logistic")).isInstanceOf(LogisticLearner.class);
    assertThatThrownBy(() -> Learners.byName("forest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'forest'").hasMessageContaining("accepted: knn, logistic, mf");
    assertThatThrownBy(() -> Learners.read("forest", new DataInputStream(new ByteArrayInputStream(new byte[0]))))
        .isInstanceOf(IOException.class).hasMessageContaining("accepted: knn, logistic, mf");
  }

  @Test
  void aModelOfOneLearnerIsNotReadAsAnother() throws IOException {
    var bytes = new ByteArrayOutputStream();
    new KnnLearner().fit(Synthetic.twoClusters(10, 10)).write(new DataOutputStream(bytes));

    assertThatThrownBy(() -> Learners.read("logistic", new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
        .isInstanceOf(IOException.class).hasMessageContaining("expected a logistic model");
  }

  @Test
  void logisticFitsFourteenCandidatesOnTwoThousandPrompts() {
    Random random = new Random(11);
    List<PromptFeatures> features = new ArrayList<>();
    double[][] correct = new double[2000][14];
    for (int i = 0; i < 2000; i++) {
      float[] e = new float[384];
      for (int d = 0; d < e.length; d++) {
        e[d] = (float) random.nextGaussian();
      }
      features.add(new PromptFeatures(e, 50 + random.nextInt(1000), dev.effort.core.AnswerFormat.values()[i % 3]));
      for (int j = 0; j < 14; j++) {
        correct[i][j] = random.nextDouble() < 0.3 + 0.6 * j / 14.0 + 0.1 * Math.signum(e[j]) ? 1 : 0;
      }
    }
    List<String> candidates = IntStream.range(0, 14).mapToObj(j -> "c" + j).toList();
    TrainingSet data = Synthetic.withLabels(candidates, features, correct);

    // How long fitting takes is not asserted here (shared, noisy machines): that it learns is.
    QualityModel model = new LogisticLearner().fit(data);

    double[] mean = new double[14];
    for (PromptFeatures f : features) {
      double[] p = model.predict(f);
      for (int j = 0; j < 14; j++) {
        mean[j] += p[j] / features.size();
      }
    }
    // Candidate j is right about 0.3 + 0.6 j / 14 of the time: the fit recovers the order of the extremes.
    assertThat(mean[13]).isGreaterThan(mean[0] + 0.4);
    assertThat(mean[0]).isBetween(0.2, 0.45);
  }

  static QualityModel roundTrip(QualityModel model) throws IOException {
    var bytes = new ByteArrayOutputStream();
    model.write(new DataOutputStream(bytes));
    return Learners.read(model.learner(), new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
