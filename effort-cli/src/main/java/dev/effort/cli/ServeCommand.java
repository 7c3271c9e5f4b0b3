package dev.effort.cli;

import dev.effort.core.Router;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import dev.effort.server.Governance;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the gateway: OpenAI- and Anthropic-compatible HTTP API with the effort dial.",
      "With no provider in the config, it serves the recorded outcomes (replay), no keys needed. Logs go to"
          + " standard error (--log-level, --log-format; or log_level, log_format in the config); every response"
          + " carries its Effort-Request-Id, which its log lines name."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (see the README); default: none.")
  Path config;

  @Option(names = "--port", paramLabel = "N", description = "Listen port (default: the config's port, else 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Recorded data served by replay (default: the config's data, else ../shared/data/routerbench).")
  Path data;

  @Mixin LogOptions logs = new LogOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (config != null && !Files.isRegularFile(config)) {
      throw new CliException("--config " + config + " is not a file");
    }
    GatewayConfig.LogSettings logSettings = config == null ? GatewayConfig.LogSettings.NONE : GatewayConfig.LogSettings.read(config);
    logs.apply(logSettings.level(), logSettings.format(), "info");
    GatewayConfig settings = config == null ? GatewayConfig.defaults() : GatewayConfig.read(config);
    Path dataDir = DataLocation.resolve(data != null ? data : settings.data().orElse(null));
    Fleet fleet = Fleets.fromConfig(settings, dataDir);
    Optional<Router> router = Optional.empty();
    if (settings.router().isPresent()) {
      router = Optional.of(Router.load(settings.router().get()));
    }
    Path folder = config == null ? Path.of("").toAbsolutePath() : config.toAbsolutePath().getParent();
    Governance governance = Governance.open(settings.governance(), folder);
    var refusal = governance.refusalToServe(!settings.providers().isEmpty());
    if (refusal.isPresent()) {
      governance.close();
      throw new CliException("serve: " + refusal.get());
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(settings, fleet, router, governance, port != null ? port : settings.port());
    } catch (Gateway.CannotListenException e) {
      governance.close();
      spec.commandLine().getErr().println("effort: serve: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "effort-serve-shutdown"));
    String host = settings.listener().host();
    out.printf("effort serve: listening on http://%s:%d (%s; auto: %s; ledger and keys: %s)%n",
        host.contains(":") ? "[" + host + "]" : host, gateway.port(),
        fleet.description(), router.map(Router::describe).orElse("no router, falls back to " + settings.defaultEffort()),
        governance.describe());
    String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + gateway.port();
    out.println(governance.adminEnabled()
        ? "effort serve: dashboard at " + base + "/ui (log in with the admin key from $" + settings.governance().adminKeyEnv() + ")"
        : "effort serve: dashboard and admin API off (set $" + settings.governance().adminKeyEnv() + " to turn them on)");
    out.println("effort serve: traces " + gateway.traces());
    out.flush();
    stopped.await();
    return 0;
  }
}
