package dev.effort.core;

import java.time.Duration;

/**
 * What a plan is expected to cost and how long it is expected to take for an ask, before it
 * runs, from catalog priors: the worst case, in which a cascade escalates. Prompt tokens are
 * estimated at four characters a token; output tokens are the step's or client's cap, else
 * {@link #DEFAULT_OUTPUT_TOKENS}.
 */
public final class PlanForecast {
  /** Output expected when nothing caps it: a typical chat answer. */
  static final int DEFAULT_OUTPUT_TOKENS = 300;

  private PlanForecast() {}

  public static Estimate of(Plan plan, Ask ask, Catalog catalog) {
    long promptTokens = 0;
    for (Message m : ask.messages()) {
      promptTokens += m.text().length() / 4 + 4;
    }
    return of(plan, ask, catalog, promptTokens, step -> java.util.OptionalInt.empty());
  }

  /**
   * As {@link #of(Plan, Ask, Catalog)}, with the prompt's tokens as the caller counts them and the
   * output cap each step's provider sends upstream ({@link Provider#outputCap}), thinking included,
   * in place of the estimate: what a budget must reserve so that no answer can cost more.
   */
  public static Estimate of(Plan plan, Ask ask, Catalog catalog, long promptTokens,
      java.util.function.Function<Step, java.util.OptionalInt> sentCap) {
    double cost = 0;
    Duration slowestProbe = Duration.ZERO;
    Duration total = Duration.ZERO;
    Duration earlierStages = Duration.ZERO;
    for (int i = 0; i < plan.steps().size(); i++) {
      Step step = plan.steps().get(i);
      ModelInfo model = catalog.model(step.model());
      java.util.OptionalInt sent = sentCap.apply(step);
      long output = sent.isPresent() ? sent.getAsInt()
          : step.maxTokens().orElse(ask.maxTokens().orElse(DEFAULT_OUTPUT_TOKENS)) + step.thinkingBudgetTokens().orElse(0);
      cost += model.costUsd(new Usage(promptTokens, output, 0));
      Duration latency = model.latency(output);
      boolean sequentialLast = plan.strategy() == Strategy.CASCADE && i == plan.steps().size() - 1;
      if (plan.learned().isPresent()) {
        // Stages run one after another, the steps of a stage in parallel.
        Escalation e = plan.learned().get();
        int stage = stageOf(e, i);
        if (i == e.firstStep(stage) && stage > 0) {
          earlierStages = total;
          slowestProbe = Duration.ZERO;
        }
        slowestProbe = latency.compareTo(slowestProbe) > 0 ? latency : slowestProbe;
        total = earlierStages.plus(slowestProbe);
      } else if (sequentialLast) {
        total = slowestProbe.plus(latency);
      } else {
        slowestProbe = latency.compareTo(slowestProbe) > 0 ? latency : slowestProbe;
        total = slowestProbe;
      }
    }
    return new Estimate(plan, Double.NaN, cost, total);
  }

  private static int stageOf(Escalation e, int step) {
    int stage = 0;
    while (stage < e.stages().size() - 1 && step >= e.firstStep(stage + 1)) {
      stage++;
    }
    return stage;
  }
}
