package dev.effort.cli;

import dev.effort.cli.chat.ChatBackend;
import dev.effort.cli.chat.ChatRepl;
import dev.effort.cli.chat.GatewayChat;
import dev.effort.cli.chat.InProcessChat;
import dev.effort.cli.chat.RecordedPrompts;
import dev.effort.core.Effort;
import dev.effort.core.Router;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.providers.live.LiveProviders;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "A chat in the terminal with the effort dial, in process or through a gateway.",
      "Answers stream; /help lists the commands (/effort, /model, /deadline,",
      "/budget, /cost, /plan). In process from --config, through a running gateway",
      "with --url, or, without either, on the recorded data: the replay provider",
      "answers only recorded prompts, which /sample shows and /ask N asks.",
      "Ctrl-C stops an answer; Ctrl-D or /exit ends the chat."
    })
final class ChatCommand implements Callable<Integer> {
  static final String API_KEY_VARIABLE = "EFFORT_API_KEY";

  @Option(names = "--config", paramLabel = "FILE", description = "The gateway's YAML config: providers, ladder, catalog, router.")
  Path config;

  @Option(names = "--url", paramLabel = "URL",
      description = "A running gateway, e.g. http://localhost:8080; its key comes from $" + API_KEY_VARIABLE + ".")
  URI url;

  @Option(names = "--data", paramLabel = "DIR", description = "Recorded data to replay without --config or --url"
      + " (default: ../shared/data/routerbench); with --url, where /sample and /ask N find the prompts of a replaying gateway.")
  Path data;

  @Option(names = "--effort", paramLabel = "LEVEL",
      description = "The session's level at start (default: the config's default_effort, or the gateway's).")
  String effort;

  @Option(names = "--model", paramLabel = "ID", description = "Pin a model from the start instead of letting the dial choose.")
  String model;

  /** Tests give a terminal over piped streams. */
  Terminal terminal;

  /** Tests give their own environment. */
  Function<String, String> environment = System::getenv;

  @Override
  public Integer call() throws IOException {
    if (config != null && url != null) {
      throw new CliException("chat: give --config (answers in process) or --url (a running gateway), not both");
    }
    Optional<Effort> level = Optional.ofNullable(effort).map(Effort::parse);
    ChatBackend backend = url != null ? gateway() : inProcess();
    boolean ownTerminal = terminal == null;
    Terminal term = ownTerminal ? TerminalBuilder.builder().name("effort").system(true).dumb(true).build() : terminal;
    try {
      ChatRepl repl = new ChatRepl(term, backend, level, historyFile(term));
      if (model != null) {
        try {
          repl.model(model);
        } catch (RuntimeException e) {
          throw new CliException("--model: " + e.getMessage());
        }
      }
      return repl.run();
    } finally {
      if (ownTerminal) {
        term.close();
      }
    }
  }

  private ChatBackend gateway() {
    if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
      throw new CliException("--url " + url + " is not an http(s) URL; give the gateway's, e.g. http://localhost:8080");
    }
    Optional<String> key = Optional.ofNullable(environment.apply(API_KEY_VARIABLE)).filter(k -> !k.isBlank());
    Optional<RecordedPrompts> recorded = data == null ? Optional.empty()
        : Optional.of(new RecordedPrompts(RouterBenchCsv.loadFolder(DataLocation.resolve(data))));
    return new GatewayChat(url, key, LiveProviders.newHttpClient(), recorded);
  }

  private ChatBackend inProcess() throws IOException {
    if (config != null && !Files.isRegularFile(config)) {
      throw new CliException("--config " + config + " is not a file");
    }
    GatewayConfig settings = config == null ? GatewayConfig.defaults() : GatewayConfig.read(config);
    Optional<RecordedPrompts> recorded = Optional.empty();
    Path dataDir = null;
    if (settings.providers().isEmpty()) {
      dataDir = DataLocation.resolve(data != null ? data : settings.data().orElse(null));
      recorded = Optional.of(new RecordedPrompts(RouterBenchCsv.loadFolder(dataDir)));
    }
    Fleet fleet = Fleets.fromConfig(settings, dataDir);
    Optional<Router> router = settings.router().isPresent() ? Optional.of(Router.load(settings.router().get())) : Optional.empty();
    return new InProcessChat(fleet, router, settings.target(), settings.defaultEffort(), recorded, settings.resilience());
  }

  /**
   * {@code ~/.effort/chat_history} on an interactive terminal; in memory when the folder cannot be
   * made, and for piped input (a script's lines are no one's history).
   */
  private static Optional<Path> historyFile(Terminal term) {
    if (Terminal.TYPE_DUMB.equals(term.getType()) || Terminal.TYPE_DUMB_COLOR.equals(term.getType())) {
      return Optional.empty();
    }
    try {
      Path folder = Files.createDirectories(Path.of(System.getProperty("user.home"), ".effort"));
      return Files.isWritable(folder) ? Optional.of(folder.resolve("chat_history")) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
