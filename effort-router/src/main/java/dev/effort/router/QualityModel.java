package dev.effort.router;

import java.io.DataOutputStream;
import java.io.IOException;

/** A fitted learner: per prompt, each candidate's chance of a good answer. */
public interface QualityModel {

  /** P(good answer) per candidate, in the training set's candidate order, each in (0,1). */
  double[] predict(PromptFeatures f);

  /** Writes the model so that {@link Learners#read} gives back identical predictions. */
  void write(DataOutputStream out) throws IOException;

  /** The name of the learner that fitted it, as {@link Learners#byName} accepts. */
  String learner();
}
