package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The recorded outcomes in ../shared/data, read in place (surefire passes the folder). */
public final class TestData {
  private TestData() {}

  public static Path routerBench() {
    String root = System.getProperty("effort.data", "../../shared/data");
    Path dir = Path.of(root, "routerbench");
    assertThat(dir).as("recorded data (set -Deffort.data)").isDirectory();
    return dir;
  }

  public static Path routeLlm() {
    String root = System.getProperty("effort.data", "../../shared/data");
    Path dir = Path.of(root, "routellm");
    assertThat(dir).as("recorded data (set -Deffort.data)").isDirectory();
    return dir;
  }

  public static Path routerBenchFile(String name) {
    Path file = routerBench().resolve(name);
    assertThat(Files.isRegularFile(file)).as(file.toString()).isTrue();
    return file;
  }
}
