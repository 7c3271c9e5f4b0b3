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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures quality, cost and modeled latency of every effort level, every single model and the",
      "oracle on recorded outcomes of real models, and draws the quality/cost frontier."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder of RouterBench-format CSV files (default: ../shared/data/routerbench).")
  Path data;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON (default: REPORT/bench.json).")
  Path json;

  @Option(names = "--report", paramLabel = "DIR", defaultValue = "bench-report",
      description = "Folder for the HTML report and PNG plots (default: ${DEFAULT-VALUE}).")
  Path report;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
        .setInitialMax(Bench.workOf(datasets))
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" asks", 1)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .build()) {
      result = bench.run(dataDir.toString(), datasets, bar::stepBy);
    }

    for (DatasetResult d : result.datasets()) {
      BenchTable.print(d, out);
      out.println();
    }
    Path jsonFile = json != null ? json : report.resolve("bench.json");
    BenchJson.write(result, jsonFile);
    Path index = BenchHtml.write(result, report);
    out.println("wrote " + jsonFile + " and " + index);
    out.flush();
    return 0;
  }
}
