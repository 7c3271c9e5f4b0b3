package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code effort serve} refuses before it listens: an open gateway on live keys, a taken port. */
class ServeCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  Run serve(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  Path config(String yaml) throws Exception {
    return Files.writeString(dir.resolve("effort.yaml"), yaml + "\ndatabase: jdbc:sqlite:effort.db\ndata: " + TestData.routerBench().toAbsolutePath() + "\n");
  }

  @Test
  void liveProvidersWithoutAnyKeyRefuseToStartUnlessAuthIsOff() throws Exception {
    Path file = config("""
        providers:
          - name: local
            type: openai-compatible
            base_url: http://127.0.0.1:9
            models: [gpt-5-mini]
        """);

    Run run = serve("serve", "--config", file.toString(), "--port", "0");

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("no API key exists").contains("effort keys create").contains("auth: off");
    assertThat(run.out()).doesNotContain("listening");
  }

  @Test
  void aPortAlreadyTakenIsAClearErrorAndExitCode1() throws Exception {
    Path file = config("default_effort: high");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Run run = serve("serve", "--config", file.toString(), "--port", Integer.toString(taken.getLocalPort()));

      assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("already in use");
      assertThat(run.out()).doesNotContain("listening");
    }
  }
}
