package dev.effort.cli;

import dev.effort.providers.data.DatasetFormatException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code effort}: one dial from fast to smart. */
@Command(
    name = "effort",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "One dial from fast to smart, for every model at once.",
    subcommands = {ServeCommand.class, ChatCommand.class, AskCommand.class, BenchCommand.class, TuneCommand.class,
        RouteLlmCommand.class, KeysCommand.class, UsageCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    // Warnings and errors of every library until a command says otherwise (--log-level, log_level:).
    Logs.configure("warn", "text");
    CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException || e instanceof IllegalArgumentException || e instanceof DatasetFormatException) {
        commandLine.getErr().println("effort: " + e.getMessage());
        return 2;
      }
      if (e instanceof java.io.IOException) {
        // Unreadable or unwritable files: the message names the file; a stack trace would not help.
        commandLine.getErr().println("effort: " + e);
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"effort " + (v == null ? "dev" : v)};
    }
  }
}
