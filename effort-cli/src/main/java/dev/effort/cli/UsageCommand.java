package dev.effort.cli;

import dev.effort.server.store.GroupBy;
import dev.effort.server.store.Store;
import dev.effort.server.store.UsageRow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code effort usage}: what the ledger recorded, totalled per key, day, effort level or model. */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = {
      "Totals the ledger: requests, errors, tokens, cost and median latency.",
      "Per key (the default), UTC day, effort level applied, or models called (--by)."
    })
final class UsageCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin KeysCommand.Database db;

  @Option(names = "--by", paramLabel = "GROUP", defaultValue = "key",
      description = "key, day, effort or model (default: ${DEFAULT-VALUE}).")
  String by;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    GroupBy groupBy;
    try {
      groupBy = GroupBy.parse(by);
    } catch (IllegalArgumentException e) {
      throw new CliException("--by: " + e.getMessage());
    }
    List<UsageRow> usage;
    try (Store store = db.open(false)) {
      usage = store.ledger().usage(groupBy);
    }
    if (usage.isEmpty()) {
      out.println("no requests recorded yet");
      out.flush();
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    long requests = 0;
    long errors = 0;
    long input = 0;
    long output = 0;
    long thinking = 0;
    double cost = 0;
    for (UsageRow r : usage) {
      rows.add(List.of(r.group(), Long.toString(r.requests()), Long.toString(r.errors()), Long.toString(r.inputTokens()),
          Long.toString(r.outputTokens()), Long.toString(r.thinkingTokens()), usd(r.costUsd()),
          String.format(Locale.ROOT, "%.0f", r.p50LatencyMs())));
      requests += r.requests();
      errors += r.errors();
      input += r.inputTokens();
      output += r.outputTokens();
      thinking += r.thinkingTokens();
      cost += r.costUsd();
    }
    // The median of all requests is not a function of the groups' medians: left blank.
    rows.add(List.of("total", Long.toString(requests), Long.toString(errors), Long.toString(input),
        Long.toString(output), Long.toString(thinking), usd(cost), ""));
    KeysCommand.table(out, List.of(groupBy.name(), "REQUESTS", "ERRORS", "INPUT", "OUTPUT", "THINKING", "COST_USD",
        "P50_MS"), rows);
    out.flush();
    return 0;
  }

  private static String usd(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
