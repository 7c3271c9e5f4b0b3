package dev.effort.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.client.EffortClient;
import dev.effort.providers.data.RouterBenchCsv;
import java.nio.file.Path;

/** The recorded outcomes in ../shared/data, read in place (surefire passes the folder). */
final class Recordings {
  private Recordings() {}

  /** One client over the recording for every test (loading it takes a second). */
  static final EffortClient CLIENT = EffortClient.builder().replay(routerBench()).build();

  static Path routerBench() {
    Path dir = Path.of(System.getProperty("effort.data", "../../shared/data"), "routerbench");
    assertThat(dir).as("recorded data (set -Deffort.data)").isDirectory();
    return dir;
  }

  /** A prompt of the recording with a multiple-choice answer (the cascades can compare those). */
  static String prompt() {
    return Prompt.ARC;
  }

  private static final class Prompt {
    static final String ARC = RouterBenchCsv.loadFolder(routerBench()).stream()
        .filter(d -> d.name().contains("arc"))
        .findFirst().orElseThrow().prompts().get(0).prompt();
  }
}
