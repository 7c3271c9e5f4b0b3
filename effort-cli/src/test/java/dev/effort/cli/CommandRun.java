package dev.effort.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs one command class as {@code effort} would: the same error handling as {@link Main#run}
 * (a {@link CliException} or bad argument prints one line and exits 2). For commands that Main
 * does not register yet.
 */
record CommandRun(int exit, String out, String err) {

  static CommandRun of(Object command, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println("effort: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    int exit = cli.execute(args);
    return new CommandRun(exit, out.toString(), err.toString());
  }
}
