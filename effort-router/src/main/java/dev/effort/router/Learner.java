package dev.effort.router;

/** Fits a {@link QualityModel} to recorded outcomes. */
public interface Learner {

  String name();

  QualityModel fit(TrainingSet data);
}
