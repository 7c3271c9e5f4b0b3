package dev.effort.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs an ask through one chain of single-purpose links, ending in the plan's strategy: first the
 * links around the whole request ({@link ExchangeLink}: authenticate, rate limit, plan, budget,
 * ledger, settle, …), which may start before there is a plan; then the links around the run of
 * the plan ({@link Link}); then the strategy. The gateway, the CLI, the library and {@code effort
 * bench} all run asks through here; each assembles the links it needs.
 */
public final class Executor {

  /** One concern around the run of a plan; calls {@code next} to go on. */
  @FunctionalInterface
  public interface Link {
    Answer run(PlannedAsk planned, Chain next);
  }

  /** The rest of the chain after a link. */
  @FunctionalInterface
  public interface Chain {
    Answer proceed(PlannedAsk planned);
  }

  /**
   * One concern around a whole request, from before it is planned to its answer: reads and fills
   * the exchange, calls {@code next} to go on, and sees the answer or the failure come back.
   */
  @FunctionalInterface
  public interface ExchangeLink {
    Answer run(Exchange exchange, ExchangeChain next);
  }

  /** The rest of the chain after an exchange link. */
  @FunctionalInterface
  public interface ExchangeChain {
    Answer proceed(Exchange exchange);
  }

  private final Function<String, Provider> providers;
  private final List<ExchangeLink> exchangeLinks;
  private final List<Link> links;

  /** @param providers the provider that serves each model id */
  public Executor(Function<String, Provider> providers) {
    this(providers, List.of());
  }

  public Executor(Function<String, Provider> providers, List<Link> links) {
    this(providers, List.of(), links);
  }

  /**
   * @param exchangeLinks the links around each request, in order; one of them plans the ask
   *     ({@link #planning}) unless it comes planned
   * @param links the links around the run of each plan, in order, after all exchange links
   */
  public Executor(Function<String, Provider> providers, List<ExchangeLink> exchangeLinks, List<Link> links) {
    this.providers = Objects.requireNonNull(providers, "providers");
    this.exchangeLinks = List.copyOf(exchangeLinks);
    this.links = List.copyOf(links);
  }

  /** Planning as a link of the chain: plans the exchange's ask within its ceiling, unless it came planned. */
  public static ExchangeLink planning(Planner planner) {
    Objects.requireNonNull(planner, "planner");
    return (exchange, next) -> {
      if (exchange.planned().isEmpty()) {
        exchange.plan(planner.plan(exchange.ask(), exchange.ceiling()));
      }
      return next.proceed(exchange);
    };
  }

  public Answer execute(PlannedAsk planned) {
    return execute(planned, Deltas.NONE);
  }

  /**
   * Runs the plan and streams the answer to {@code deltas}: a single call streams as the model
   * writes; a cascade or vote can only pass on its answer once it is chosen (probes and samples
   * are never streamed: their text may not become the answer).
   */
  public Answer execute(PlannedAsk planned, Deltas deltas) {
    Exchange exchange = new Exchange(planned.ask());
    exchange.plan(planned);
    exchange.deltas(deltas);
    return execute(exchange);
  }

  /**
   * Runs a request through the whole chain, streaming the answer to the exchange's deltas.
   *
   * @throws IllegalStateException when no link planned the ask
   */
  public Answer execute(Exchange exchange) {
    return proceed(0, exchange);
  }

  private Answer proceed(int index, Exchange exchange) {
    if (index == exchangeLinks.size()) {
      PlannedAsk planned = exchange.planned().orElseThrow(() -> new IllegalStateException(
          "the ask was never planned: put Executor.planning(planner) in the chain, or execute a planned ask"));
      return proceed(0, planned, exchange.deltas());
    }
    return exchangeLinks.get(index).run(exchange, next -> proceed(index + 1, next));
  }

  private Answer proceed(int index, PlannedAsk planned, Deltas deltas) {
    if (index == links.size()) {
      return runStrategy(planned, deltas);
    }
    return links.get(index).run(planned, next -> proceed(index + 1, next, deltas));
  }

  private Answer runStrategy(PlannedAsk planned, Deltas deltas) {
    return switch (planned.plan().strategy()) {
      case SINGLE -> single(planned, deltas);
      case CASCADE -> cascade(planned, deltas);
      case VOTE -> whole(vote(planned), deltas);
    };
  }

  /** Passes on an answer that was chosen before any of it could be streamed. */
  private static Answer whole(Answer a, Deltas deltas) {
    deltas.model(a.model());
    for (Content c : a.content()) {
      switch (c) {
        case Content.Thinking t -> {
          if (!t.text().isEmpty()) {
            deltas.thinking(t.text());
          }
          if (!t.signature().isEmpty()) {
            deltas.thinkingSignature(t.signature(), t.origin());
          }
        }
        case Content.RedactedThinking r -> deltas.redactedThinking(r);
        case Content.Text t -> deltas.text(t.text());
        case Content.ToolCall call -> {
          deltas.toolCall(call.id(), call.name());
          deltas.toolArguments(call.arguments());
        }
        case Content.Opaque o -> deltas.opaque(o);
        default -> { } // an answer holds no other blocks
      }
    }
    return a;
  }

  private Answer single(PlannedAsk planned, Deltas deltas) {
    Step step = planned.plan().steps().get(0);
    deltas.model(step.model());
    Completion c = call(planned.ask(), step, deltas);
    return answer(planned, c, c.ttft(), c.latency(), List.of(new StepTrace(step, "answer", c, true)), List.of());
  }

  private Answer cascade(PlannedAsk planned, Deltas deltas) {
    Plan plan = planned.plan();
    Ask ask = planned.ask();
    AnswerFormat format = AnswerFormat.of(ask.prompt());
    List<StepTrace> steps = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Duration waited = Duration.ZERO;
    if (!format.comparable() && ask.tools().isEmpty()) {
      notes.add("cascade: the prompt asks for free-form text, where agreement cannot be checked; "
          + "the escalation step answered alone");
    } else {
      List<Outcome> probes = callAll(ask, plan.probes());
      waited = slowest(probes);
      List<String> keys = new ArrayList<>();
      for (Outcome o : probes) {
        keys.add(o.failure() == null ? answerKey(format, o.completion()) : null);
      }
      boolean agreed = keys.get(0) != null && keys.stream().allMatch(keys.get(0)::equals);
      for (int i = 0; i < probes.size(); i++) {
        Outcome o = probes.get(i);
        if (o.completion() != null) {
          steps.add(new StepTrace(o.step(), "probe", o.completion(), agreed && i == 0));
        } else {
          notes.add("cascade: probe " + o.step().model() + " failed: " + o.failure().getMessage());
        }
      }
      if (agreed) {
        notes.add("cascade: probes agreed on " + keys.get(0) + "; accepted");
        Completion first = probes.get(0).completion();
        return whole(answer(planned, first, waited, waited, steps, notes), deltas);
      }
      notes.add("cascade: probes did not agree " + keys + "; escalated to " + plan.escalation().model());
    }
    deltas.model(plan.escalation().model());
    Completion c = call(ask, plan.escalation(), deltas);
    steps.add(new StepTrace(plan.escalation(), "escalation", c, true));
    return answer(planned, c, waited.plus(c.ttft()), waited.plus(c.latency()), steps, notes);
  }

  private Answer vote(PlannedAsk planned) {
    Ask ask = planned.ask();
    AnswerFormat format = AnswerFormat.of(ask.prompt());
    List<Outcome> samples = callAll(ask, planned.plan().steps());
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (Outcome o : samples) {
      if (o.completion() != null) {
        String key = answerKey(format, o.completion());
        if (key != null) {
          votes.merge(key, 1, Integer::sum);
        }
      }
    }
    // LinkedHashMap keeps first-seen order, so on a tie the step listed first wins.
    String winner = votes.entrySet().stream()
        .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
        .map(Map.Entry::getKey)
        .orElse(null);
    List<StepTrace> steps = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Completion chosen = null;
    for (Outcome o : samples) {
      if (o.completion() == null) {
        notes.add("vote: sample " + o.step().model() + " failed: " + o.failure().getMessage());
        continue;
      }
      boolean used = chosen == null
          && (winner == null || winner.equals(answerKey(format, o.completion())));
      if (used) {
        chosen = o.completion();
      }
      steps.add(new StepTrace(o.step(), "sample", o.completion(), used));
    }
    if (chosen == null) {
      throw samples.get(0).failure();
    }
    notes.add("vote: " + votes + (winner == null ? "; no comparable answer, took the first" : "; chose " + winner));
    Duration waited = slowest(samples);
    return answer(planned, chosen, waited, waited, steps, notes);
  }

  /**
   * The part of an answer that must match for two answers to agree; null when there is none. An
   * answer that calls tools agrees with one that makes the same calls: same names, same arguments
   * as canonical JSON, in any order.
   */
  static String answerKey(AnswerFormat format, Completion c) {
    if (!c.toolCalls().isEmpty()) {
      return "tools" + c.toolCalls().stream().map(Content.ToolCall::key).sorted().toList();
    }
    return answerKey(format, c.text());
  }

  static String answerKey(AnswerFormat format, String text) {
    return switch (format) {
      case CHOICE -> FinalAnswer.choiceLetter(text).orElse(null);
      case NUMBER -> FinalAnswer.finalNumber(text).orElse(null);
      case FREE -> FinalAnswer.signature(text);
    };
  }

  private Completion call(Ask ask, Step step) {
    return providers.apply(step.model()).complete(ask, step);
  }

  /** Streams only when someone listens: a whole answer is asked for whole, upstream too. */
  private Completion call(Ask ask, Step step, Deltas deltas) {
    return deltas == Deltas.NONE ? call(ask, step) : providers.apply(step.model()).stream(ask, step, deltas);
  }

  private record Outcome(Step step, Completion completion, RuntimeException failure) {}

  private List<Outcome> callAll(Ask ask, List<Step> steps) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Completion>> futures = new ArrayList<>();
      for (Step s : steps) {
        futures.add(pool.submit(() -> call(ask, s)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        try {
          outcomes.add(new Outcome(steps.get(i), futures.get(i).get(), null));
        } catch (ExecutionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
          outcomes.add(new Outcome(steps.get(i), null, cause));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + steps.get(i).model(), e);
        }
      }
      return outcomes;
    }
  }

  private static Duration slowest(List<Outcome> outcomes) {
    return outcomes.stream()
        .filter(o -> o.completion() != null)
        .map(o -> o.completion().latency())
        .max(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  private static Answer answer(
      PlannedAsk planned, Completion used, Duration ttft, Duration latency, List<StepTrace> steps, List<String> notes) {
    Usage usage = Usage.ZERO;
    double cost = 0;
    for (StepTrace s : steps) {
      usage = usage.plus(s.completion().usage());
      cost += s.completion().costUsd();
    }
    List<String> allNotes = new ArrayList<>(planned.notes());
    allNotes.addAll(notes);
    Trace trace = new Trace(planned.ask().effort(), planned.applied(), planned.plan(), steps, allNotes,
        planned.downgrade(), planned.unmet());
    return new Answer(used.content(), used.model(), used.stopReason(), used.stopSequence(), usage, cost, ttft, latency,
        trace);
  }
}
