package dev.effort.core.resilience;

import dev.effort.core.Answer;
import dev.effort.core.Attempt;
import dev.effort.core.Executor;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.core.ProviderException;
import dev.effort.core.Trace;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a plan cannot run (every deployment of one of its models failed, or has its circuit open),
 * falls back along the dial: the same plan with stand-in models, then a lower level ({@link
 * Planner#fallback}). Plans around open circuits before calling at all. Not once any of the answer
 * has reached the client, and not for failures of the request's own making.
 */
public final class Fallback implements Executor.Link {
  /** What a request gets when its plan cannot run. */
  public enum OnFailure {
    /** Stand-ins at the same level first, then lower levels (the default). */
    FALLBACK,
    /** Straight to lower levels. */
    LOWER,
    /** The failure itself. */
    ERROR;

    public static OnFailure parse(String value) {
      return switch (value) {
        case "fallback" -> FALLBACK;
        case "lower" -> LOWER;
        case "error" -> ERROR;
        default -> throw new IllegalArgumentException("on_failure: '" + value + "' is not one of fallback, lower, error");
      };
    }
  }

  private final Planner planner;
  private final Deployments deployments;
  private final OnFailure onFailure;
  private final Map<String, List<String>> standIns;

  /** @param standIns per model, the models that may answer in its place, in order */
  public Fallback(Planner planner, Deployments deployments, OnFailure onFailure, Map<String, List<String>> standIns) {
    this.planner = planner;
    this.deployments = deployments;
    this.onFailure = onFailure;
    this.standIns = Map.copyOf(standIns);
  }

  @Override
  public Answer run(PlannedAsk planned, Executor.Chain next) {
    if (onFailure == OnFailure.ERROR) {
      return next.proceed(planned);
    }
    Set<String> down = new LinkedHashSet<>();
    for (String model : planned.plan().models()) {
      if (!deployments.available(model)) {
        down.add(model);
      }
    }
    PlannedAsk current = planned;
    if (!down.isEmpty()) {
      current = planner.fallback(planned, down, onFailure == OnFailure.FALLBACK, standIns).orElse(planned);
    }
    while (true) {
      try {
        Answer a = next.proceed(current);
        return current == planned ? a : fellBack(a, planned, current, down);
      } catch (ProviderException e) {
        boolean upstream = e.kind() == ProviderException.Kind.UNAVAILABLE || e.kind() == ProviderException.Kind.RATE_LIMITED;
        if (!upstream || e.answerStarted()) {
          throw e;
        }
        Set<String> failedNow = failedModels(e.attempts());
        failedNow.retainAll(current.plan().models());
        current.plan().models().stream().filter(m -> !deployments.available(m)).forEach(failedNow::add);
        if (failedNow.isEmpty() || !down.addAll(failedNow)) {
          throw e; // nothing new is known to be down: another plan would fail alike
        }
        Optional<PlannedAsk> instead = planner.fallback(planned, down, onFailure == OnFailure.FALLBACK, standIns);
        if (instead.isEmpty()) {
          throw e;
        }
        current = instead.get();
      }
    }
  }

  /** Models that failed and never answered in these attempts. */
  private static Set<String> failedModels(List<Attempt> attempts) {
    Set<String> answered = new HashSet<>();
    Set<String> failed = new LinkedHashSet<>();
    for (Attempt a : attempts) {
      if (a.outcome().equals(Attempt.ANSWERED)) {
        answered.add(a.model());
      } else if (a.outcome().equals(Attempt.FAILED)) {
        failed.add(a.model());
      }
    }
    failed.removeAll(answered);
    return failed;
  }

  private static Answer fellBack(Answer a, PlannedAsk asked, PlannedAsk ran, Set<String> down) {
    Trace t = a.trace();
    String what = "plan " + asked.plan() + " could not run (down: " + String.join(", ", down) + "); answered by "
        + (ran.applied() == asked.applied() ? "" : "level " + ran.applied() + "'s ") + "plan " + ran.plan();
    Trace trace = new Trace(t.asked(), t.applied(), t.plan(), t.steps(), t.notes(), ran.downgrade(), t.unmet(),
        t.attempts(), Optional.of(what));
    return new Answer(a.content(), a.model(), a.stopReason(), a.stopSequence(), a.usage(), a.costUsd(), a.ttft(),
        a.latency(), trace);
  }
}
