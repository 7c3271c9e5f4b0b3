package dev.effort.cli;

import dev.effort.cli.bench.Bench;
import dev.effort.cli.bench.BenchHtml;
import dev.effort.cli.bench.BenchJson;
import dev.effort.cli.bench.BenchReport;
import dev.effort.cli.bench.BenchTable;
import dev.effort.cli.bench.DatasetResult;
import dev.effort.cli.bench.LiveBench;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Planner;
import dev.effort.core.Router;
import java.util.Optional;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.GatewayConfig;
import java.util.ArrayList;
import java.util.Locale;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.router.Learners;
import dev.effort.router.RouterFile;
import dev.effort.router.RouterTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures what each effort level buys: quality, cost and latency, on recorded outcomes or live.",
      "Runs every effort level, every single model, the oracle and auto (cross-fitted, or with --router) over"
          + " recorded outcomes of real models, prints a table per data set and writes JSON, an HTML report and"
          + " PNG plots of the quality/cost frontier. With --config, asks the configured providers instead: each"
          + " prompt at each level, graded by its text, with real latency and tokens; it prints the expected cost"
          + " first, needs --max-cost-usd, and caches every answer so a stopped run resumes."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder of RouterBench-format CSV files (default: ../shared/data/routerbench).")
  Path data;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON (default: REPORT/bench.json, or NAME.json beside a REPORT.html).")
  Path json;

  @Option(names = "--report", paramLabel = "DIR|FILE.html", defaultValue = "bench-report",
      description = "Folder for the HTML report (index.html) and PNG plots (default: ${DEFAULT-VALUE}); or an .html file"
          + " name: the page there, its plots beside it as NAME-<data set>.png, the JSON as NAME.json.")
  Path report;

  @Option(names = "--router", paramLabel = "FILE",
      description = "Route auto with this router file (from effort tune) instead of cross-fitting one on --data.")
  Path router;

  @Option(names = "--train-also", paramLabel = "DIR|none",
      description = "Cross-fitted auto also learns from this folder's recorded outcomes, minus every prompt benched"
          + " (default: ../shared/data/routerbench when --data is another folder).")
  String trainAlso;

  @Option(names = "--learner", paramLabel = "NAME", defaultValue = RouterTraining.DEFAULT_LEARNER,
      description = "Learner cross-fitted for the auto rows when no --router is given (default: ${DEFAULT-VALUE}).")
  String learner;

  @Option(names = "--no-auto", description = "Skip the auto rows (no embeddings, no training).")
  boolean noAuto;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Run live: ask the providers of this gateway config (YAML) at each level, instead of replaying.")
  Path config;

  @Option(names = "--limit", paramLabel = "N", description = "Only the first N prompts of each data set.")
  Integer limit;

  @Option(names = "--sample", paramLabel = "SHARE",
      description = "Only a random SHARE (0 to 1) of each data set's prompts, drawn with --sample-seed: how figures hold"
          + " on less data.")
  Double sample;

  @Option(names = "--sample-seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the --sample draw (default: ${DEFAULT-VALUE}).")
  long sampleSeed;

  @Option(names = "--levels", paramLabel = "LEVEL", split = ",",
      description = "With --config: the levels to ask, e.g. low,high,auto (default: low,medium,high,xhigh,max, and auto"
          + " when the config names a router).")
  List<String> levels;

  @Option(names = "--max-cost-usd", paramLabel = "USD",
      description = "With --config: required; no new ask starts once this run has spent this much (cached answers are free).")
  Double maxCostUsd;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "With --config: where answers are kept, one file per prompt and plan, so a rerun resumes"
          + " (default: ~/.cache/effort/bench).")
  Path cache;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
      description = "With --config: asks in flight at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Mixin LogOptions logs = new LogOptions();

  @Override
  public Integer call() throws Exception {
    logs.apply(java.util.Optional.empty(), java.util.Optional.empty(), "warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (limit != null && limit < 1) {
      throw new CliException("--limit " + limit + ": give at least 1 prompt per data set");
    }
    if (sample != null && !(sample > 0 && sample <= 1)) {
      throw new CliException("--sample " + sample + ": give a share of each data set's prompts above 0 and at most 1, e.g. 0.5");
    }
    if (sample == null && spec.commandLine().getParseResult().hasMatchedOption("--sample-seed")) {
      throw new CliException("--sample-seed applies with --sample SHARE");
    }
    if (config != null) {
      refuseAny(List.of("--router", "--learner", "--no-auto", "--train-also"), " applies to recorded runs; a live bench"
          + " measures auto with the config's router (router: FILE) when it names one, else the fixed levels only");
      return live(out, err);
    }
    refuseAny(List.of("--levels", "--max-cost-usd", "--cache"), " applies to live runs (with --config FILE); recorded runs"
        + " cost nothing");
    if (trainAlso != null && (noAuto || router != null)) {
      throw new CliException("--train-also applies to cross-fitted auto rows, not with " + (noAuto ? "--no-auto" : "--router"));
    }
    Bench.Auto auto;
    if (noAuto) {
      auto = new Bench.Auto.Off();
    } else if (router != null) {
      if (!Files.isRegularFile(router)) {
        throw new CliException("--router " + router + " is not a file; write one with: effort tune --data DIR --out FILE");
      }
      auto = new Bench.Auto.FromFile(RouterFile.load(router), router.toString());
    } else {
      auto = new Bench.Auto.CrossFitted(Learners.byName(learner));
    }
    Path dataDir = DataLocation.resolve(data);
    List<RecordedDataset> datasets = limited(RouterBenchCsv.loadFolder(dataDir));
    if (auto instanceof Bench.Auto.CrossFitted cf) {
      auto = Bench.Auto.CrossFitted.alsoLearningFrom(cf.learner(),
          alsoTrainOn(dataDir).map(RouterBenchCsv::loadFolder).orElse(List.of()), datasets);
    }
    Bench bench = new Bench(Ladder.routerBench(), Catalog.builtIn());
    List<String> noPrior = bench.modelsWithoutPrior(datasets);
    if (!noPrior.isEmpty()) {
      err.println("note: no catalog entry for " + String.join(", ", noPrior)
          + "; their latency uses a default prior (500 ms to first token, 50 tokens/s)");
    }

    BenchReport result;
    try (ProgressBar bar = new ProgressBarBuilder()
        .setTaskName("bench")
        .setInitialMax(Bench.workOf(datasets, auto))
        .setStyle(ProgressBarStyle.ASCII)
        // Units weighted by their time (Bench.workOf), so the estimate holds from the start; not asks.
        .setUnit("", 1)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build()) {
      result = bench.run(dataDir.toString(), datasets, auto, bar::stepBy);
    }

    write(result, out);
    return 0;
  }

  /** Says that the figures below are of a sample, and which. */
  private void sampleNote(PrintWriter out) {
    if (sample != null) {
      out.printf(java.util.Locale.ROOT, "sample: %.0f%% of each data set's prompts, drawn with --sample-seed %d%n%n",
          sample * 100, sampleSeed);
    }
  }

  private Integer live(PrintWriter out, PrintWriter err) throws java.io.IOException {
    if (!Files.isRegularFile(config)) {
      throw new CliException("--config " + config + " is not a file");
    }
    if (parallel < 1) {
      throw new CliException("--parallel " + parallel + ": give at least 1");
    }
    GatewayConfig settings = GatewayConfig.read(config);
    if (settings.providers().isEmpty()) {
      throw new CliException("--config " + config + " configures no providers, so there is nothing live to ask;"
          + " add providers to it, or drop --config to bench the recorded data");
    }
    // Auto is measured as the gateway runs it: with the config's router and target.
    Optional<Router> autoRouter = settings.router().isPresent() ? Optional.of(Router.load(settings.router().get())) : Optional.empty();
    List<String> names = new ArrayList<>(Effort.LEVELS.stream().map(Effort::wireName).toList());
    autoRouter.ifPresent(r -> names.add(Effort.AUTO.wireName()));
    List<Effort> chosen = new ArrayList<>();
    for (String name : levels == null ? names : levels) {
      Effort level = Effort.parse(name);
      if (level == Effort.AUTO && autoRouter.isEmpty()) {
        throw new CliException("--levels: auto is measured live with the config's router (router: FILE, from effort tune),"
            + " and " + config + " names none; the fixed levels are low, medium, high, xhigh, max");
      }
      if (!chosen.contains(level)) {
        chosen.add(level);
      }
    }
    Path dataDir = DataLocation.resolve(data);
    List<RecordedDataset> datasets = limited(RouterBenchCsv.loadFolder(dataDir));
    Fleet fleet = Fleets.fromConfig(settings, dataDir);
    Planner planner = fleet.planner(settings.defaultEffort(), autoRouter, settings.target());
    Executor executor = Fleets.executor(fleet, planner, settings.resilience(), List.of(), (m, d) -> { });
    Path cacheDir = cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "effort", "bench");
    LiveBench bench = new LiveBench(fleet.ladder(), fleet.catalog(), planner, executor, chosen, cacheDir, parallel,
        settings.target());

    LiveBench.Forecast forecast = bench.forecast(datasets);
    String expected = String.format(Locale.ROOT, "expected cost: about $%.4f for %d asks (%d data sets x %d levels"
        + " x up to %d prompts; %d answers already in the cache %s are free), from catalog prices, a cascade's worst case",
        forecast.costUsd(), forecast.toAsk(), datasets.size(), chosen.size(),
        datasets.stream().mapToInt(d -> d.prompts().size()).max().orElse(0), forecast.cached(), cacheDir);
    err.println(expected);
    err.flush();
    if (maxCostUsd == null) {
      throw new CliException(String.format(Locale.ROOT, "a live bench needs --max-cost-usd: this run is expected to"
          + " cost about $%.4f (%d asks); give e.g. --max-cost-usd %.2f to allow it (it stops when the spend reaches it)",
          forecast.costUsd(), forecast.toAsk(), Math.max(0.01, Math.ceil(forecast.costUsd() * 150) / 100)));
    }
    if (!(maxCostUsd > 0)) {
      throw new CliException("--max-cost-usd " + maxCostUsd + ": give a positive amount in USD");
    }

    LiveBench.Outcome outcome;
    if (forecast.toAsk() == 0) {
      outcome = bench.run(dataDir.toString(), datasets, maxCostUsd, n -> { }); // all cached: nothing to wait for
    } else {
      try (ProgressBar bar = new ProgressBarBuilder()
          .setTaskName("bench")
          .setInitialMax(forecast.toAsk())
          .setStyle(ProgressBarStyle.ASCII)
          // One unit per ask made of a provider: cached answers take no time, so the pace is the providers'.
          .setUnit(" asks", 1)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .build()) {
        outcome = bench.run(dataDir.toString(), datasets, maxCostUsd, bar::stepBy);
      }
    }
    write(outcome.report(), out);
    out.println(String.format(Locale.ROOT, "live: %d answers from the cache (%s), %d asked, $%.4f spent of the"
        + " $%.4f cap", outcome.fromCache(), cacheDir, outcome.asked(), outcome.spentUsd(), maxCostUsd));
    if (outcome.failed() > 0) {
      out.println("failed: " + outcome.failed() + " asks ended in an error (not cached; a rerun asks them again): "
          + outcome.firstError().orElse(""));
    }
    if (outcome.stoppedAtCap()) {
      out.println(String.format(Locale.ROOT, "stopped: the spend reached --max-cost-usd %.4f with %d asks not run;"
          + " the results above are partial. Run again (a higher cap, or the same to spend it again) to resume from"
          + " the cache.", maxCostUsd, outcome.notRun()));
    }
    out.flush();
    return 0;
  }

  /** Refuses the first of {@code options} given on the command line, saying {@code why} after its name. */
  private void refuseAny(List<String> options, String why) {
    for (String option : options) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new CliException(option + why);
      }
    }
  }

  /**
   * The folder cross-fitted auto also learns from: --train-also, else the shipped recorded data
   * when it is not the benched folder itself.
   */
  private java.util.Optional<Path> alsoTrainOn(Path dataDir) throws java.io.IOException {
    if ("none".equals(trainAlso)) {
      return java.util.Optional.empty();
    }
    if (trainAlso != null) {
      Path given = Path.of(trainAlso);
      if (!Files.isDirectory(given)) {
        throw new CliException("--train-also " + trainAlso + " is not a folder; give a folder of RouterBench-format CSV files,"
            + " or none");
      }
      return java.util.Optional.of(given);
    }
    java.util.Optional<Path> shipped = DataLocation.defaultRouterBench();
    return shipped.isPresent() && Files.isSameFile(shipped.get(), dataDir) ? java.util.Optional.empty() : shipped;
  }

  /** The data sets as --sample, then --limit, cut them. */
  private List<RecordedDataset> limited(List<RecordedDataset> datasets) {
    return datasets.stream().map(this::sampled).map(d -> limit == null || d.prompts().size() <= limit ? d
        : new RecordedDataset(d.name(), d.task(), d.models(), d.prompts().subList(0, limit))).toList();
  }

  /** A seeded random share of the prompts (at least one), kept in the file's order. */
  private RecordedDataset sampled(RecordedDataset d) {
    if (sample == null) {
      return d;
    }
    List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, d.prompts().size()).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(sampleSeed));
    int keep = Math.max(1, (int) Math.round(sample * order.size()));
    List<RecordedPrompt> kept = order.subList(0, keep).stream().sorted().map(d.prompts()::get).toList();
    return new RecordedDataset(d.name(), d.task(), d.models(), kept);
  }

  private void write(BenchReport result, PrintWriter out) {
    sampleNote(out);
    for (DatasetResult d : result.datasets()) {
      BenchTable.print(d, out);
      out.println();
    }
    Path jsonFile = json != null ? json
        : BenchHtml.isFile(report) ? report.resolveSibling(stem(report) + ".json") : report.resolve("bench.json");
    BenchJson.write(result, jsonFile);
    BenchHtml.Written written = BenchHtml.writeTo(result, report);
    out.println("wrote " + jsonFile + ", " + written.html() + " and " + written.pngs().size()
        + (written.pngs().size() == 1 ? " plot: " : " plots: ")
        + String.join(", ", written.pngs().stream().map(p -> p.getFileName().toString()).toList())
        + (written.pngs().isEmpty() ? "" : " (in " + written.html().toAbsolutePath().getParent() + ")"));
    out.flush();
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }
}
