package dev.effort.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the recorded data is when {@code --data} is not given. */
final class DataLocation {
  private DataLocation() {}

  /**
   * {@code ../shared/data/routerbench} beside the Effort checkout (the launcher passes its folder
   * as {@code effort.home}), else beside the working directory.
   */
  static Optional<Path> defaultRouterBench() {
    return defaultFolder("routerbench");
  }

  /** {@code ../shared/data/<name>} beside the Effort checkout, else beside the working directory. */
  static Optional<Path> defaultFolder(String name) {
    String home = System.getProperty("effort.home");
    Path base = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    Path candidate = base.resolve("../shared/data").resolve(name).normalize();
    return Files.isDirectory(candidate) ? Optional.of(candidate) : Optional.empty();
  }

  static Path resolve(Path given) {
    if (given != null) {
      if (!Files.isDirectory(given)) {
        throw new CliException("--data " + given + " is not a folder; give a folder of RouterBench-format CSV files");
      }
      return given;
    }
    return defaultRouterBench().orElseThrow(() -> new CliException(
        "no recorded data found at ../shared/data/routerbench; pass --data DIR with a folder of"
            + " RouterBench-format CSV files"));
  }
}
