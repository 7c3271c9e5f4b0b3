package dev.effort.cli;

import dev.effort.cli.bench.Bench;
import dev.effort.cli.bench.BenchHtml;
import dev.effort.cli.bench.BenchJson;
import dev.effort.cli.bench.BenchReport;
import dev.effort.cli.bench.BenchTable;
import dev.effort.cli.bench.DatasetResult;
import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedDataset;
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
      "Measures what each effort level buys: quality, cost and latency on recorded outcomes.",
      "Runs every effort level, every single model, the oracle and auto (cross-fitted, or with --router) over"
          + " recorded outcomes of real models, prints a table per data set and writes JSON, an HTML report and"
          + " PNG plots of the quality/cost frontier."
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

  @Option(names = "--learner", paramLabel = "NAME", defaultValue = RouterTraining.DEFAULT_LEARNER,
      description = "Learner cross-fitted for the auto rows when no --router is given (default: ${DEFAULT-VALUE}).")
  String learner;

  @Option(names = "--no-auto", description = "Skip the auto rows (no embeddings, no training).")
  boolean noAuto;

  @Mixin LogOptions logs = new LogOptions();

  @Override
  public Integer call() throws Exception {
    logs.apply(java.util.Optional.empty(), java.util.Optional.empty(), "warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
    List<RecordedDataset> datasets = RouterBenchCsv.loadFolder(dataDir);
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
    return 0;
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }
}
