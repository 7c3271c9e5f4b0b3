package dev.effort.cli.bench;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.PlanForecast;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.core.ProviderException;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.grading.Grade;
import dev.effort.providers.grading.Grader;
import dev.effort.providers.grading.TextGraders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Measures effort levels against real providers ({@code auto} too, with the config's router): each
 * prompt of each data set asked at each level through the {@link Planner} and the {@link Executor}
 * every entry point uses (retries,
 * circuit breakers, fallback), graded by the text graders, with the latency and usage the answers
 * report. Answers are kept in an {@link AnswerCache}, so a rerun asks only what is missing; no new
 * ask starts once this run's spend has reached the cap.
 */
public final class LiveBench {

  /** What a run will ask: {@code asks} in all, {@code cached} of them already on disk, the rest costing about {@code costUsd}. */
  public record Forecast(int asks, int cached, double costUsd) {
    public int toAsk() {
      return asks - cached;
    }
  }

  /**
   * What a run did.
   *
   * @param fromCache answers read from the cache
   * @param asked answers asked of the providers in this run
   * @param failed asks that ended in an error (not cached: a rerun asks them again)
   * @param notRun asks not started because the spend reached the cap
   * @param spentUsd what this run's asks cost
   */
  public record Outcome(BenchReport report, int fromCache, int asked, int failed, int notRun, double spentUsd,
      Optional<String> firstError) {
    public boolean stoppedAtCap() {
      return notRun > 0;
    }
  }

  private final Ladder ladder;
  private final Catalog catalog;
  private final Planner planner;
  private final Executor executor;
  private final List<Effort> levels;
  private final AnswerCache cache;
  private final int parallel;
  /** The planner's quality target for auto, recorded on the auto row. */
  private final double target;

  /**
   * @param executor built by {@code Fleets.executor} over the live fleet
   * @param parallel how many asks run at once
   * @param target the quality target {@code planner} routes auto with
   */
  public LiveBench(Ladder ladder, Catalog catalog, Planner planner, Executor executor, List<Effort> levels,
      java.nio.file.Path cacheDir, int parallel, double target) {
    this.ladder = ladder;
    this.catalog = catalog;
    this.planner = planner;
    this.executor = executor;
    this.levels = List.copyOf(levels);
    this.cache = new AnswerCache(cacheDir);
    this.parallel = parallel;
    this.target = target;
  }

  /** The expected cost of the asks not in the cache, from catalog prices (a cascade's worst case). */
  public Forecast forecast(List<RecordedDataset> datasets) {
    int asks = 0;
    int cached = 0;
    double cost = 0;
    for (RecordedDataset d : datasets) {
      for (Effort level : levels) {
        for (RecordedPrompt p : d.prompts()) {
          asks++;
          PlannedAsk planned = planner.plan(ask(p, level));
          if (cache.has(AnswerCache.key(p, planned.plan()))) {
            cached++;
          } else {
            cost += PlanForecast.of(planned.plan(), planned.ask(), catalog).costUsd();
          }
        }
      }
    }
    return new Forecast(asks, cached, cost);
  }

  /**
   * Runs every data set at every level. {@code progress} is told of each ask made of a provider
   * (answers from the cache take no time and are not counted), so the bar's pace is the providers'.
   */
  public Outcome run(String dataDir, List<RecordedDataset> datasets, double maxCostUsd, Consumer<Integer> progress) {
    var spent = new DoubleAdder();
    var fromCache = new AtomicInteger();
    var asked = new AtomicInteger();
    var failed = new AtomicInteger();
    var notRun = new AtomicInteger();
    var capReached = new AtomicBoolean();
    var firstError = new AtomicReference<String>();
    List<DatasetResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, Thread.ofVirtual().name("bench-", 0).factory());
    try {
      for (RecordedDataset d : datasets) {
        Optional<Grader> grader = TextGraders.forTask(d.task());
        List<BenchRow> rows = new ArrayList<>();
        for (Effort level : levels) {
          List<Future<AnswerCache.Measured>> answers = new ArrayList<>();
          for (RecordedPrompt p : d.prompts()) {
            answers.add(pool.submit(() -> {
              PlannedAsk planned = planner.plan(ask(p, level));
              String key = AnswerCache.key(p, planned.plan());
              Optional<AnswerCache.Measured> hit = cache.get(key);
              if (hit.isPresent()) {
                fromCache.incrementAndGet();
                return hit.get();
              }
              if (capReached.get() || spent.sum() >= maxCostUsd) {
                capReached.set(true);
                notRun.incrementAndGet();
                return null;
              }
              try {
                Answer a = executor.execute(planned);
                spent.add(a.costUsd());
                asked.incrementAndGet();
                var m = new AnswerCache.Measured(p.dataset(), p.id(), planned.plan().describe(), a.model(), a.text(),
                    a.usage().inputTokens(), a.usage().outputTokens(), a.usage().thinkingTokens(), a.costUsd(),
                    a.latency().toNanos() / 1e6);
                cache.put(key, m);
                return m;
              } catch (ProviderException e) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, e.getMessage());
                return null;
              } finally {
                progress.accept(1);
              }
            }));
          }
          List<AnswerCache.Measured> measured = new ArrayList<>();
          for (Future<AnswerCache.Measured> f : answers) {
            AnswerCache.Measured m = join(f);
            if (m != null) {
              measured.add(m);
            }
          }
          rows.add(row(level, d, grader, measured));
        }
        results.add(new DatasetResult(d.name(), d.prompts().size(), rows));
      }
    } finally {
      pool.shutdownNow();
    }
    String method = String.format(Locale.ROOT, "Live: each prompt was asked at each level through the Planner and"
        + " Executor over the configured providers (retries, circuit breakers and fallback as the gateway runs them);"
        + " answers are graded by their text (the choice letter for multiple choice, the final number for GSM8K; the"
        + " gold from the recorded labels), tasks without a text grader are not graded; cost is the providers'"
        + " reported usage at catalog prices; latency is measured wall-clock. %d answers from the cache (%s), %d asked,"
        + " $%.4f spent in this run%s.", fromCache.get(), cache.dir(), asked.get(), spent.sum(),
        notRun.get() > 0 ? "; stopped at the cost cap with " + notRun.get() + " asks not run (partial)" : "");
    return new Outcome(new BenchReport(dataDir, ladder.fleet(), method, results), fromCache.get(), asked.get(),
        failed.get(), notRun.get(), spent.sum(), Optional.ofNullable(firstError.get()));
  }

  private static AnswerCache.Measured join(Future<AnswerCache.Measured> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("bench interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private BenchRow row(Effort level, RecordedDataset data, Optional<Grader> grader, List<AnswerCache.Measured> answers) {
    // Auto's plan is the router's per prompt: the row says which it chose how often.
    boolean auto = level == Effort.AUTO;
    String kind = auto ? "auto" : "level";
    String plan = auto ? "auto: " + Bench.plansChosen(answers.stream().map(AnswerCache.Measured::plan).toList())
        : ladder.plan(level).describe();
    int total = data.prompts().size();
    if (answers.isEmpty()) {
      return new BenchRow(level.wireName(), kind, auto ? "auto" : plan, null, 0, 0, null, null, null,
          "not measured: no prompt was answered (cost cap reached or every ask failed)", auto ? target : null);
    }
    var byId = new java.util.HashMap<String, RecordedPrompt>();
    data.prompts().forEach(p -> byId.put(p.id(), p));
    int graded = 0;
    int correct = 0;
    double cost = 0;
    double[] latencies = new double[answers.size()];
    for (int i = 0; i < answers.size(); i++) {
      AnswerCache.Measured a = answers.get(i);
      Grade g = grader.map(gr -> gr.grade(byId.get(a.promptId()), a.model(), a.text())).orElse(Grade.UNKNOWN);
      if (g != Grade.UNKNOWN) {
        graded++;
        correct += g == Grade.CORRECT ? 1 : 0;
      }
      cost += a.costUsd();
      latencies[i] = a.latencyMs();
    }
    Arrays.sort(latencies);
    List<String> notes = new ArrayList<>();
    if (answers.size() < total) {
      notes.add("partial: " + answers.size() + " of " + total + " prompts answered");
    }
    if (grader.isEmpty()) {
      notes.add("not graded: no text grader for task " + data.task());
    } else if (graded == 0) {
      notes.add("no answer has a known grade");
    }
    return new BenchRow(level.wireName(), kind, plan, graded == 0 ? null : (double) correct / graded, graded,
        answers.size() - graded, cost / answers.size() * 1000, Bench.percentile(latencies, 0.50),
        Bench.percentile(latencies, 0.95), notes.isEmpty() ? null : String.join("; ", notes), auto ? target : null);
  }

  private static Ask ask(RecordedPrompt prompt, Effort level) {
    return Ask.of(prompt.prompt(), level);
  }
}
