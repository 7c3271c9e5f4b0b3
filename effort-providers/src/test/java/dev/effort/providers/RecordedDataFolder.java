package dev.effort.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recorded-outcome data read in place (system property {@code effort.data}, set by the
 * build). Tests that need it fail, not skip, when it is missing: silent skips hide regressions.
 */
public final class RecordedDataFolder {

  private RecordedDataFolder() {}

  public static Path root() {
    String property = System.getProperty("effort.data");
    assertThat(property).as("system property effort.data (the recorded data folder)").isNotBlank();
    Path root = Path.of(property).toAbsolutePath().normalize();
    assertThat(Files.isDirectory(root)).as("recorded data folder " + root + " exists").isTrue();
    return root;
  }

  public static Path routerBench() {
    return root().resolve("routerbench");
  }

  public static Path routeLlm() {
    return root().resolve("routellm");
  }
}
