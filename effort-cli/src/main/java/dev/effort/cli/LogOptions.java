package dev.effort.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --log-level} and {@code --log-format}, for the commands that take them; unset, the config or the default decides. */
final class LogOptions {
  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "Log lines at this level and above, on standard error: error, warn, info, debug or trace.")
  String level;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "Log lines as text or json (one JSON object a line). Default: text.")
  String format;

  /** Configures logging: these options first, then the config's settings, then {@code defaultLevel} and text. */
  void apply(Optional<String> configLevel, Optional<String> configFormat, String defaultLevel) {
    Logs.configure(level != null ? level : configLevel.orElse(defaultLevel),
        format != null ? format : configFormat.orElse("text"));
  }
}
