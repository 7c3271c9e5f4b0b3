package dev.effort.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.effort.core.resilience.Deployment;
import dev.effort.core.resilience.Deployments;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs an ask through one chain of single-purpose links, ending in the plan's strategy: first the
 * links around the whole request ({@link ExchangeLink}: authenticate, rate limit, plan, budget,
 * ledger, settle, …), which may start before there is a plan; then the links around the run of
 * the plan ({@link Link}: fallback); then the strategy, whose every provider call runs through a
 * third chain ({@link CallLink}: deployment choice and circuit breaker, retry, hedge) ending in
 * the provider. The gateway, the CLI, the library and {@code effort bench} all run asks through
 * here; each assembles the links it needs.
 *
 * <p>Every upstream attempt is logged with what it cost ({@link Attempt}): an answer's usage and
 * cost are those of all its attempts, and a failure carries them ({@link ProviderException#attempts()}).
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

  /** One concern around each provider call of a plan's steps; calls {@code next} to go on. */
  @FunctionalInterface
  public interface CallLink {
    Completion call(StepCall call, CallChain next);
  }

  /** The rest of the call chain after a call link. */
  @FunctionalInterface
  public interface CallChain {
    Completion proceed(StepCall call);
  }

  /** What a failed or cancelled attempt cost, from the output it had streamed. */
  public record Spent(Usage usage, double costUsd) {
    public static final Spent NOTHING = new Spent(Usage.ZERO, 0);
  }

  /**
   * Prices an attempt that ended without an answer: the upstream bills the prompt and what it
   * streamed once it began ({@code output}, the text it streamed); a call cancelled after it went
   * out is priced alike, as a bill may count it too.
   */
  @FunctionalInterface
  public interface Spend {
    Spent of(Ask ask, String model, String output);

    Spend NOTHING = (ask, model, output) -> Spent.NOTHING;
  }

  private final Deployments deployments;
  private final List<ExchangeLink> exchangeLinks;
  private final List<Link> links;
  private final List<CallLink> callLinks;
  private final Spend spend;

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
    this(Deployments.single(Objects.requireNonNull(providers, "providers")), exchangeLinks, links, List.of(),
        Spend.NOTHING);
  }

  /**
   * @param callLinks around each provider call, outermost first; without any, a call goes to the
   *     model's first deployment once
   * @param spend prices attempts that ended without an answer
   */
  public Executor(Deployments deployments, List<ExchangeLink> exchangeLinks, List<Link> links, List<CallLink> callLinks,
      Spend spend) {
    this.deployments = Objects.requireNonNull(deployments, "deployments");
    this.exchangeLinks = List.copyOf(exchangeLinks);
    this.links = List.copyOf(links);
    this.callLinks = List.copyOf(callLinks);
    this.spend = Objects.requireNonNull(spend, "spend");
  }

  public Deployments deployments() {
    return deployments;
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
      Deltas deltas = exchange.deltas();
      Run run = new Run(exchange, deltas, planned.ask().deadline());
      return run.finish(proceed(0, planned, deltas == Deltas.NONE ? Deltas.NONE : run.client, run));
    }
    return exchangeLinks.get(index).run(exchange, next -> proceed(index + 1, next));
  }

  private Answer proceed(int index, PlannedAsk planned, Deltas deltas, Run run) {
    if (index == links.size()) {
      try {
        return runStrategy(planned, deltas, run);
      } catch (ProviderException e) {
        // Every attempt so far (those of plans a fallback ran before included): a fallback link
        // reads which models failed, the caller what they cost.
        throw e.withAttempts(run.attempts(), run.client.started);
      }
    }
    return links.get(index).run(planned, next -> proceed(index + 1, next, deltas, run));
  }

  private Answer runStrategy(PlannedAsk planned, Deltas deltas, Run run) {
    deltas.plan(planned);
    return switch (planned.plan().strategy()) {
      case SINGLE -> single(planned, deltas, run);
      case CASCADE -> cascade(planned, deltas, run);
      case VOTE -> whole(vote(planned, run), deltas);
      case ESCALATE -> whole(escalate(planned, run), deltas);
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

  private Answer single(PlannedAsk planned, Deltas deltas, Run run) {
    Step step = planned.plan().steps().get(0);
    deltas.model(step.model());
    Completion c = call(run, planned.ask(), step, deltas);
    return answer(planned, c, c.ttft(), c.latency(), List.of(new StepTrace(step, "answer", c, true)), List.of());
  }

  private Answer cascade(PlannedAsk planned, Deltas deltas, Run run) {
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
      List<Outcome> probes = callAll(run, ask, plan.probes());
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
    Completion c = call(run, ask, plan.escalation(), deltas);
    steps.add(new StepTrace(plan.escalation(), "escalation", c, true));
    return answer(planned, c, waited.plus(c.ttft()), waited.plus(c.latency()), steps, notes);
  }

  /**
   * Runs the stages in turn, each stage's steps in parallel; after each, the plan's gate scores
   * the answers so far and the chosen answer stands or the next stage runs. Every stage that ran
   * is paid for (its attempts).
   */
  private Answer escalate(PlannedAsk planned, Run run) {
    Plan plan = planned.plan();
    Escalation escalation = plan.learned().orElseThrow();
    Ask ask = planned.ask();
    List<Outcome> outcomes = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Duration waited = Duration.ZERO;
    int stage = 0;
    while (true) {
      int from = escalation.firstStep(stage);
      int ranBefore = outcomes.size();
      List<Outcome> ran = callAll(run, ask, plan.steps().subList(from, from + escalation.stages().get(stage)));
      waited = waited.plus(slowest(ran));
      for (Outcome o : ran) {
        outcomes.add(o);
        answers.add(o.completion() == null ? null : o.completion().text());
        if (o.failure() != null) {
          notes.add("escalate: " + o.step().model() + " failed: " + o.failure().getMessage());
        }
      }
      Escalation.Decision d = escalation.decide(stage, ask.prompt(), answers);
      if (!d.accept()) {
        notes.add(String.format(java.util.Locale.ROOT, "escalate: stage %d scored %.3f; escalated to stage %d",
            stage + 1, d.score(), d.next() + 1));
        stage = d.next();
        continue;
      }
      if (stage < escalation.stages().size() - 1) {
        notes.add(String.format(java.util.Locale.ROOT, "escalate: stage %d scored %.3f; accepted", stage + 1, d.score()));
      }
      if (d.chosen() < 0) {
        throw outcomes.get(outcomes.size() - 1).failure();
      }
      List<StepTrace> steps = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome o = outcomes.get(i);
        if (o.completion() != null) {
          steps.add(new StepTrace(o.step(), i < ranBefore ? "escalated from" : "stage " + (stage + 1), o.completion(),
              i == d.chosen()));
        }
      }
      return answer(planned, outcomes.get(d.chosen()).completion(), waited, waited, steps, notes);
    }
  }

  private Answer vote(PlannedAsk planned, Run run) {
    Ask ask = planned.ask();
    AnswerFormat format = AnswerFormat.of(ask.prompt());
    List<Outcome> samples = callAll(run, ask, planned.plan().steps());
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

  /**
   * One step's provider call through the call links. Streams only when someone listens: a whole
   * answer is asked for whole, upstream too.
   */
  private Completion call(Run run, Ask ask, Step step, Deltas deltas) {
    return callChain(0, new StepCall(ask, step, deltas, run, List.of(), null, new java.util.concurrent.atomic.AtomicBoolean()));
  }

  private Completion callChain(int index, StepCall call) {
    if (index == callLinks.size()) {
      return attempt(call);
    }
    return callLinks.get(index).call(call, next -> callChain(index + 1, next));
  }

  /** The provider call itself, on the deployment a link chose (else the model's first), logged with its cost. */
  private Completion attempt(StepCall call) {
    String model = call.step().model();
    Deployment d = call.deployment() != null ? call.deployment() : deployments.of(model).get(0);
    Ask ask = call.ask();
    if (call.run.deadline != Long.MAX_VALUE) {
      // A later step gets what is left, not a new deadline. When nothing is left the call still goes,
      // with the least time: the planner already chose to run the fastest plan against a deadline
      // none could meet, and the provider says when it ran out (a recording answers at once).
      long left = Math.max(call.run.deadline - System.nanoTime(), Duration.ofMillis(1).toNanos());
      ask = ask.withDeadline(Duration.ofNanos(left));
    }
    Streamed streamed = new Streamed(call.deltas());
    long start = System.nanoTime();
    try {
      Completion c = call.deltas() == Deltas.NONE
          ? d.provider().complete(ask, call.step())
          : d.provider().stream(ask, call.step(), streamed);
      call.run.log(new Attempt(model, d.name(), Attempt.ANSWERED, "", Duration.ofNanos(System.nanoTime() - start),
          c.usage(), c.costUsd()));
      return c;
    } catch (RuntimeException e) {
      boolean cancelled = call.cancelled();
      // An upstream bills what it streamed once it began; a cancelled call may have been billed its prompt.
      Spent spent = streamed.began || cancelled ? spend.of(ask, model, streamed.output()) : Spent.NOTHING;
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      call.run.log(new Attempt(model, d.name(), cancelled ? Attempt.CANCELLED : Attempt.FAILED, why,
          Duration.ofNanos(System.nanoTime() - start), spent.usage(), spent.costUsd()));
      throw e;
    }
  }

  /**
   * One provider call of a plan's step, as the call links see it: the ask (its deadline what is
   * left of the run's), the step, where its deltas go, the deployments to try and the one chosen.
   */
  public static final class StepCall {
    private final Ask ask;
    private final Step step;
    private final Deltas deltas;
    private final Run run;
    private final List<Deployment> candidates;
    private final Deployment deployment;
    private final java.util.concurrent.atomic.AtomicBoolean cancelled;

    private StepCall(Ask ask, Step step, Deltas deltas, Run run, List<Deployment> candidates, Deployment deployment,
        java.util.concurrent.atomic.AtomicBoolean cancelled) {
      this.ask = ask;
      this.step = step;
      this.deltas = deltas;
      this.run = run;
      this.candidates = List.copyOf(candidates);
      this.deployment = deployment;
      this.cancelled = cancelled;
    }

    /** This call, cancellable on its own (one of a hedge's racers). */
    public StepCall cancellable() {
      return new StepCall(ask, step, deltas, run, candidates, deployment, new java.util.concurrent.atomic.AtomicBoolean());
    }

    /** Marks the call cancelled: another answered first. Whoever runs it should also interrupt its thread. */
    public void cancel() {
      cancelled.set(true);
    }

    /** Whether the call was cancelled (its thread interrupted, or {@link #cancel()}). */
    public boolean cancelled() {
      return cancelled.get() || Thread.currentThread().isInterrupted();
    }

    public Ask ask() {
      return ask;
    }

    public Step step() {
      return step;
    }

    public String model() {
      return step.model();
    }

    /** Where the call's output goes; {@link Deltas#NONE} when the answer is wanted whole. */
    public Deltas deltas() {
      return deltas;
    }

    /** The deployments a link chose to try, in order; empty until one does. */
    public List<Deployment> candidates() {
      return candidates;
    }

    /** The deployment to call; null until a link chooses (then the model's first). */
    public Deployment deployment() {
      return deployment;
    }

    /**
     * What a link around the request left on its exchange under {@code type} ({@link Exchange#get}):
     * how a call link reaches the request's own state from any thread, a hedge's or a probe's too.
     * The exchange links leave it before the plan runs, so its calls read it safely.
     */
    public <T> Optional<T> get(Class<T> type) {
      return run.exchange.get(type);
    }

    /** Time left of the ask's deadline; empty when it has none. */
    public Optional<Duration> left() {
      return run.deadline == Long.MAX_VALUE ? Optional.empty()
          : Optional.of(Duration.ofNanos(Math.max(0, run.deadline - System.nanoTime())));
    }

    public StepCall withCandidates(List<Deployment> list) {
      return new StepCall(ask, step, deltas, run, list, deployment, cancelled);
    }

    public StepCall on(Deployment d) {
      return new StepCall(ask, step, deltas, run, candidates, d, cancelled);
    }

    public StepCall withDeltas(Deltas d) {
      return new StepCall(ask, step, d, run, candidates, deployment, cancelled);
    }
  }

  /** One run of a plan (fallbacks included): its deadline, its attempts, and whether the client has been sent anything. */
  private static final class Run {
    final long deadline;
    final Started client;
    private final Exchange exchange;

    Run(Exchange exchange, Deltas deltas, Optional<Duration> deadline) {
      this.exchange = exchange;
      this.client = new Started(deltas);
      this.deadline = deadline.map(d -> System.nanoTime() + Math.min(d.toNanos(), Long.MAX_VALUE / 4))
          .orElse(Long.MAX_VALUE);
    }

    void log(Attempt a) {
      exchange.attempted(a);
    }

    List<Attempt> attempts() {
      return exchange.attempts();
    }

    /** The answer with the usage and cost of every attempt made for it, failed ones included. */
    Answer finish(Answer a) {
      List<Attempt> all = attempts();
      Usage usage = Attempt.usage(all);
      double cost = Attempt.costUsd(all);
      Trace t = a.trace();
      Trace trace = new Trace(t.asked(), t.applied(), t.plan(), t.steps(), t.notes(), t.downgrade(), t.unmet(), all,
          t.fallback());
      return new Answer(a.content(), a.model(), a.stopReason(), a.stopSequence(), usage, cost, a.ttft(), a.latency(),
          trace);
    }
  }

  /** The client's deltas, noting whether any of the answer has gone to it (after that, no retry). */
  private static final class Started extends Forwarding {
    volatile boolean started;

    Started(Deltas to) {
      super(to);
    }

    @Override
    protected void began() {
      started = true;
    }
  }

  /** One attempt's deltas, keeping what it streamed: the price of an attempt cut short. */
  private static final class Streamed extends Forwarding {
    volatile boolean began;
    private final StringBuilder output = new StringBuilder();

    Streamed(Deltas to) {
      super(to);
    }

    @Override
    protected void began() {
      began = true;
    }

    @Override
    protected void output(String text) {
      synchronized (output) {
        output.append(text);
      }
    }

    String output() {
      synchronized (output) {
        return output.toString();
      }
    }
  }

  private record Outcome(Step step, Completion completion, RuntimeException failure) {}

  private List<Outcome> callAll(Run run, Ask ask, List<Step> steps) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Completion>> futures = new ArrayList<>();
      for (Step s : steps) {
        futures.add(pool.submit(() -> call(run, ask, s, Deltas.NONE)));
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
    List<String> allNotes = new ArrayList<>(planned.notes());
    allNotes.addAll(notes);
    Trace trace = new Trace(planned.ask().effort(), planned.applied(), planned.plan(), steps, allNotes,
        planned.downgrade(), planned.unmet());
    // Usage and cost are the run's, over all its attempts (Run.finish), not only these steps'.
    return new Answer(used.content(), used.model(), used.stopReason(), used.stopSequence(), Usage.ZERO, 0, ttft,
        latency, trace);
  }
}
