package dev.effort.cli;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Planner;
import dev.effort.core.ProviderException;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.providers.replay.ReplayProvider;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    description = {
      "Answers one prompt at an effort level and says what it cost.",
      "The prompt goes through the planner and executor; the answer is printed on standard output, the plan,"
          + " model, cost and latency on standard error. With --config, the configured providers answer any prompt;"
          + " without it the replay provider answers, and only prompts in the recorded data can be answered (PROMPT"
          + " must match one exactly; \"$(cat FILE)\" passes a file's, --sample ID a recorded one)."
    })
final class AskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPT",
      description = "The prompt (must match a recorded prompt exactly on replay); or use --sample.")
  String prompt;

  @Option(names = "--sample", paramLabel = "ID",
      description = "Ask the recorded prompt whose sample_id (second column of the data's CSV files) is ID, instead of PROMPT.")
  String sample;

  @Option(names = "--effort", paramLabel = "LEVEL", defaultValue = "high",
      description = "low, medium, high, xhigh, max or auto (none/minimal read as low). Default: ${DEFAULT-VALUE}.")
  String effort;

  @Option(names = "--model", paramLabel = "ID", description = "Pin a catalog model instead of letting the dial choose.")
  String model;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder of RouterBench-format CSV files to replay (default: ../shared/data/routerbench).")
  Path data;

  @Option(names = "--router", paramLabel = "FILE", description = "Router file (from effort tune) that routes --effort auto"
      + " (default: the config's router, if any).")
  Path router;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The gateway's YAML config: answer through its providers, ladder and resilience settings.")
  Path config;

  @Mixin LogOptions logs = new LogOptions();

  @Override
  public Integer call() throws Exception {
    logs.apply(java.util.Optional.empty(), java.util.Optional.empty(), "warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Effort level = Effort.parse(effort);
    Catalog catalog = Catalog.builtIn();
    if ((prompt == null) == (sample == null)) {
      throw new CliException("ask: give either PROMPT or --sample ID (a sample_id of the recorded data), not "
          + (prompt == null ? "neither" : "both"));
    }
    GatewayConfig settings = GatewayConfig.defaults();
    if (config != null) {
      if (!java.nio.file.Files.isRegularFile(config)) {
        throw new CliException("--config " + config + " is not a file");
      }
      settings = GatewayConfig.read(config);
    }
    boolean live = !settings.providers().isEmpty();
    // Live, the data is only read for --sample; replaying, it is what answers.
    Path dataDir = live && sample == null ? null : DataLocation.resolve(data != null ? data : settings.data().orElse(null));
    var datasets = dataDir == null ? java.util.List.<RecordedDataset>of() : RouterBenchCsv.loadFolder(dataDir);
    String text = sample == null ? prompt : recorded(datasets, sample);
    Ask ask = Ask.of(text, level);
    if (model != null) {
      ask = ask.withModel(model);
    }
    Fleet fleet = config == null ? everyModelReplayed(catalog, datasets) : Fleets.fromConfig(settings, dataDir);
    Path routerFile = router != null ? router : settings.router().orElse(null);
    if (routerFile != null && !java.nio.file.Files.isRegularFile(routerFile)) {
      throw new CliException("--router " + routerFile + " is not a file; write one with: effort tune --data DIR --out FILE");
    }
    java.util.Optional<dev.effort.core.Router> auto = routerFile == null ? java.util.Optional.empty()
        : java.util.Optional.of(dev.effort.core.Router.load(routerFile));
    var planner = config == null ? new Planner(Ladder.routerBench(), catalog, Effort.HIGH, auto, Planner.DEFAULT_TARGET)
        : fleet.planner(settings.defaultEffort(), auto, settings.target());
    Answer answer;
    try {
      // The same links as the gateway's (retries, circuits, fallback along the dial), without governance.
      Executor executor = Fleets.executor(fleet, planner, settings.resilience(), java.util.List.of(), (m, d) -> { });
      answer = executor.execute(planner.plan(ask));
    } catch (ProviderException e) {
      err.println("effort: " + e.getMessage());
      return 3;
    }
    out.println(answer.text());
    out.flush();
    var t = answer.trace();
    err.printf(Locale.ROOT, "effort %s -> %s | plan %s | model %s | $%.6f | %d ms (%s)%n",
        t.asked(), t.applied(), t.plan().describe(), answer.model(), answer.costUsd(), answer.latency().toMillis(),
        live ? "measured" : "modeled");
    t.notes().forEach(n -> err.println("  " + n));
    err.flush();
    return 0;
  }

  /** Every catalog model answered by the replay of the recorded data: a prompt it has no answer for is a clear "not recorded". */
  private static Fleet everyModelReplayed(Catalog catalog, java.util.List<RecordedDataset> datasets) {
    var replay = new ReplayProvider(datasets, catalog);
    java.util.Map<String, dev.effort.core.Provider> everyModel = new java.util.LinkedHashMap<>();
    catalog.ids().forEach(id -> everyModel.put(id, replay));
    return Fleet.of(catalog, Ladder.routerBench(), everyModel, "replay");
  }

  /** The text of the recorded prompt with this sample id. */
  private static String recorded(java.util.List<RecordedDataset> datasets, String id) {
    for (var d : datasets) {
      for (var p : d.prompts()) {
        if (p.id().equals(id)) {
          return p.prompt();
        }
      }
    }
    String examples = String.join(", ", datasets.stream().filter(d -> !d.prompts().isEmpty())
        .map(d -> d.prompts().get(0).id() + " (" + d.name() + ")").toList());
    throw new CliException("ask: no recorded prompt has the sample_id '" + id + "'; ids are the sample_id column of the"
        + " data's CSV files, e.g. " + examples);
  }
}
