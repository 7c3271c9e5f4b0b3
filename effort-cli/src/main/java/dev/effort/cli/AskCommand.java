package dev.effort.cli;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Planner;
import dev.effort.core.ProviderException;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.providers.replay.ReplayProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    description = {
      "Answers one prompt through the planner and executor. Until live providers are configured,",
      "answers come from the replay provider: only prompts in the recorded data can be answered."
    })
final class AskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PROMPT", description = "The prompt (must match a recorded prompt exactly on replay).")
  String prompt;

  @Option(names = "--effort", paramLabel = "LEVEL", defaultValue = "high",
      description = "low, medium, high, xhigh, max or auto (none/minimal read as low). Default: ${DEFAULT-VALUE}.")
  String effort;

  @Option(names = "--model", paramLabel = "ID", description = "Pin a catalog model instead of letting the dial choose.")
  String model;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder of RouterBench-format CSV files to replay (default: ../shared/data/routerbench).")
  Path data;

  @Option(names = "--router", paramLabel = "FILE", description = "Router file (from effort tune) that routes --effort auto.")
  Path router;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Effort level = Effort.parse(effort);
    Catalog catalog = Catalog.builtIn();
    Ask ask = Ask.of(prompt, level);
    if (model != null) {
      ask = ask.withModel(model);
    }
    var replay = new ReplayProvider(RouterBenchCsv.loadFolder(DataLocation.resolve(data)), catalog);
    // Every model is the replay's to answer: a prompt it has no answer for is a clear "not recorded".
    java.util.Map<String, dev.effort.core.Provider> everyModel = new java.util.LinkedHashMap<>();
    catalog.ids().forEach(id -> everyModel.put(id, replay));
    var fleet = dev.effort.server.Fleet.of(catalog, Ladder.routerBench(), everyModel, "replay");
    if (router != null && !java.nio.file.Files.isRegularFile(router)) {
      throw new CliException("--router " + router + " is not a file; write one with: effort tune --data DIR --out FILE");
    }
    java.util.Optional<dev.effort.core.Router> auto = router == null ? java.util.Optional.empty()
        : java.util.Optional.of(dev.effort.core.Router.load(router));
    var planner = new Planner(Ladder.routerBench(), catalog, Effort.HIGH, auto, Planner.DEFAULT_TARGET);
    Answer answer;
    try {
      // The same links as the gateway's (retries, circuits, fallback along the dial), without governance.
      Executor executor = dev.effort.server.Fleets.executor(fleet, planner,
          dev.effort.server.GatewayConfig.ResilienceConfig.DEFAULTS, java.util.List.of(), (m, d) -> { });
      answer = executor.execute(planner.plan(ask));
    } catch (ProviderException e) {
      err.println("effort: " + e.getMessage());
      return 3;
    }
    out.println(answer.text());
    out.flush();
    var t = answer.trace();
    err.printf(Locale.ROOT, "effort %s -> %s | plan %s | model %s | $%.6f | %d ms (modeled)%n",
        t.asked(), t.applied(), t.plan().describe(), answer.model(), answer.costUsd(), answer.latency().toMillis());
    t.notes().forEach(n -> err.println("  " + n));
    err.flush();
    return 0;
  }
}
