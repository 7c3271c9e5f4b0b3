package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import dev.effort.server.Governance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code effort chat} as a user starts it: on the recorded data, from a config, or against a running gateway. */
class ChatCommandTest {
  static final String CHEAP = "mistralai/mixtral-8x7b-chat";
  static List<RecordedPrompt> recorded;

  @TempDir Path dir;

  @BeforeAll
  static void loadRecording() {
    recorded = RouterBenchCsv.loadFolder(TestData.routerBench()).stream().flatMap(d -> d.prompts().stream()).toList();
  }

  record Run(int exit, String out, String err) {}

  /** Runs {@code effort chat ARGS} with {@code input} piped through a dumb terminal. */
  static Run chat(String input, Map<String, String> environment, String... args) throws IOException {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal terminal = TerminalBuilder.builder().system(false).type(Terminal.TYPE_DUMB).encoding(StandardCharsets.UTF_8)
        .streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen).build();
    ChatCommand command = new ChatCommand();
    command.terminal = terminal;
    command.environment = environment::get;
    CommandRun run = CommandRun.of(command, args);
    terminal.flush();
    return new Run(run.exit(), screen.toString(StandardCharsets.UTF_8).replace("\r", ""), run.err());
  }

  /** A recorded prompt that a block of input carries unchanged (no blanks at its ends). */
  static int typeableNumber() {
    for (int i = 0; i < recorded.size(); i++) {
      String p = recorded.get(i).prompt();
      if (p.equals(p.strip()) && !p.contains("\"\"\"") && recorded.get(i).outcome(CHEAP).isPresent()) {
        return i + 1;
      }
    }
    throw new AssertionError("no recorded prompt without blanks at its ends");
  }

  static String usd(double amount) {
    return String.format(Locale.ROOT, "$%.6f", amount);
  }

  @Test
  void onTheRecordedDataItSaysSoAndAsksARecordedPromptByNumber() throws IOException {
    int n = typeableNumber();
    RecordedPrompt prompt = recorded.get(n - 1);
    var outcome = prompt.outcome(CHEAP).orElseThrow();

    Run run = chat("/sample " + n + "\n/ask " + n + "\n/cost\n", Map.of(),
        "--data", TestData.routerBench().toString(), "--effort", "low");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("effort chat: in process, replay of 3 recorded data sets")
        .contains("The replay provider answers only the " + recorded.size() + " recorded prompts: /sample shows one,"
            + " /ask N asks recorded prompt N.")
        .contains("Level low.")
        .contains("recorded prompt " + n + " (" + prompt.dataset() + ", id " + prompt.id() + "):\n" + prompt.prompt() + "\n")
        .contains("ask it with /ask " + n)
        .contains(outcome.response().stripTrailing() + "\n")
        .contains("[low | single(" + CHEAP + ") | " + CHEAP + " | ")
        .contains("spent " + usd(outcome.costUsd().orElseThrow()) + " on 1 answer");
  }

  @Test
  void fromAConfigItAnswersInProcessAtTheConfigsDefaultLevel() throws IOException {
    Path config = Files.writeString(dir.resolve("effort.yaml"),
        "default_effort: medium\ndata: " + TestData.routerBench().toAbsolutePath() + "\n");

    Run run = chat("/ask 1\n/plan\n", Map.of(), "--config", config.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Level medium (default).").contains("effort asked medium, applied medium");
  }

  @Test
  void configAndUrlTogetherAreRefusedSayingWhy() throws IOException {
    Run run = chat("", Map.of(), "--config", "effort.yaml", "--url", "http://127.0.0.1:9");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("give --config (answers in process) or --url (a running gateway), not both");
  }

  @Test
  void overAGatewayTheAnswerStreamsWithTheLevelAsAnEffortHeaderAndTheKeyFromTheEnvironment() throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("effort.db");
    StringWriter keysOut = new StringWriter();
    assertThat(Main.run(new PrintWriter(keysOut, true), new PrintWriter(new StringWriter(), true),
        "keys", "create", "--name", "chat", "--db", db)).isZero();
    Matcher secret = Pattern.compile("secret: (ek_\\S+)").matcher(keysOut.toString());
    assertThat(secret.find()).as(keysOut.toString()).isTrue();
    GatewayConfig settings = GatewayConfig.read(Files.writeString(dir.resolve("effort.yaml"), "database: " + db + "\n"));
    Governance governance = Governance.open(settings.governance(), dir);
    RecordedPrompt prompt = recorded.get(typeableNumber() - 1);
    // With --data, /ask N sends recorded prompt N to a replaying gateway.
    var cheap = prompt.outcome(CHEAP).orElseThrow();
    // A prompt of many lines arrives as one message in a """ block; its first line sets its level.
    int n = typeableNumber();
    String input = "\"\"\"\n/effort low\n" + prompt.prompt() + "\n\"\"\"\n/plan\n/cost\n/ask " + n + "\n/cost\n/model gpt-9\nhello\n";

    try (Gateway gateway = Gateway.start(settings, Fleets.replay(Catalog.builtIn(), Ladder.routerBench(),
        TestData.routerBench()), Optional.empty(), governance, 0)) {
      String url = "http://127.0.0.1:" + gateway.port();
      Run run = chat(input, Map.of("EFFORT_API_KEY", secret.group(1)), "--url", url + "/v1",
          "--data", TestData.routerBench().toString());
      Run anonymous = chat("hello\n", Map.of(), "--url", url);

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("effort chat: the gateway at " + url + "/ (key from EFFORT_API_KEY)")
          .contains("Level the gateway's default.")
          .contains(cheap.response().stripTrailing() + "\n")
          .contains("[low (this message) | single(" + CHEAP + ") | " + CHEAP + " | ")
          .contains("plan single(" + CHEAP + ")\neffort asked low, applied low\nsteps:\n  answer     " + CHEAP + " (used)")
          .contains("spent " + usd(cheap.costUsd().orElseThrow()) + " on 1 answer")
          .contains("[high | cascade(").contains(" on 2 answers")
          .contains("the gateway answered 404: model 'gpt-9' is not served here; accepted: effort, effort-low");
      assertThat(anonymous.exit()).isZero();
      assertThat(anonymous.out()).contains("(no EFFORT_API_KEY set)").contains("the gateway answered 401:");
    }
  }

  @Test
  void aModelTheFleetDoesNotServeIsRefusedAtStartListingTheAcceptedOnes() throws IOException {
    Run run = chat("", Map.of(), "--data", TestData.routerBench().toString(), "--model", "gpt-9");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--model: model 'gpt-9' is not served here; accepted: effort, effort-low");
  }

  @Test
  void theTopLevelHelpListsEveryCommand() {
    StringWriter out = new StringWriter();
    Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help");

    assertThat(out.toString()).contains("serve").contains("chat").contains("ask").contains("bench").contains("tune")
        .contains("keys").contains("usage");
  }
}
