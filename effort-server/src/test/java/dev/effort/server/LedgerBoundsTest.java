package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Ladder;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.LedgerEntry;
import dev.effort.server.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger stays bounded: refusals before any upstream call are metrics, not rows; error texts
 * are cut short; old rows go after the retention; the SQLite WAL is checkpointed.
 */
class LedgerBoundsTest {
  @TempDir Path dir;

  @Test
  void requestsRefusedBeforeAnyUpstreamCallAreCountedInMetricsNotLedgerRows() throws Exception {
    Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    String secret = store.keys().create(KeySpec.named("app")).secret();
    Governance governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    var data = RunningGateway.data();
    var prompt = dev.effort.providers.data.RouterBenchCsv.loadFolder(data).get(0).prompts().get(0);
    try (RunningGateway g = new RunningGateway(Gateway.start(GatewayConfig.defaults(),
        Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), data), Optional.empty(), governance, 0))) {
      String auth = "Bearer " + secret;
      for (int i = 0; i < 20; i++) {
        assertThat(g.post("/v1/chat/completions", "{\"model\":\"effort\"}").statusCode()).isEqualTo(401);
        assertThat(g.post("/v1/chat/completions", "{not json", "Authorization", auth).statusCode()).isEqualTo(400);
        assertThat(g.post("/v1/chat/completions", "{\"model\":\"" + "m".repeat(100_000) + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}", "Authorization", auth).statusCode()).isEqualTo(404);
      }
      assertThat(store.ledger().count()).as("rows after 60 refusals").isZero();
      String answered = "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt.prompt())
          + "}]}";
      assertThat(g.post("/v1/chat/completions", answered, "Authorization", auth, "Effort", "low").statusCode()).isEqualTo(200);
      assertThat(store.ledger().count()).as("an answer is a row").isEqualTo(1);

      String metrics = g.get("/metrics", "Authorization", auth).body();
      assertThat(metrics).containsPattern("effort_requests_total\\{[^}]*status=\"400\"[^}]*} 20\\.0")
          .containsPattern("effort_requests_total\\{[^}]*status=\"401\"[^}]*} 20\\.0")
          .containsPattern("effort_requests_total\\{[^}]*status=\"404\"[^}]*} 20\\.0");
    }
  }

  static LedgerEntry entry(Instant time, String error) {
    return new LedgerEntry(LedgerEntry.NEW, null, time, "openai", Effort.LOW, Effort.LOW, "single(x)", "x", 10, 5, 0, 0.001,
        null, 12, error == null ? 200 : 502, null, error);
  }

  @Test
  void anErrorTextIsCutTo500Characters() {
    try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"))) {
      long id = store.ledger().append(entry(Instant.now(), "upstream said: " + "x".repeat(1_000_000)));

      String kept = store.ledger().get(id).orElseThrow().error();
      assertThat(kept).hasSize(LedgerEntry.MAX_ERROR_CHARS + 1).startsWith("upstream said: xxx").endsWith("…");
    }
  }

  @Test
  void rowsOlderThanTheRetentionGoAndTheWalIsCheckpointed() throws Exception {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"))) {
      for (int i = 0; i < 2_000; i++) {
        store.ledger().append(entry(now.minus(Duration.ofDays(i % 60)), i % 2 == 0 ? null : "e".repeat(400)));
      }
      Path wal = dir.resolve("effort.db-wal");
      assertThat(Files.size(wal)).as("WAL before").isPositive();

      int deleted = store.maintain(Duration.ofDays(30), now);

      assertThat(deleted).as("ages 31 to 59 days, 33 times each").isEqualTo(33 * 29);
      assertThat(store.ledger().count()).isEqualTo(2_000 - deleted);
      assertThat(store.ledger().spentUsd(0, Instant.EPOCH)).isZero();
      assertThat(Files.size(wal)).as("WAL after a checkpoint").isZero();
      assertThat(store.maintain(Duration.ZERO, now)).as("retention 0 keeps every row").isZero();
    }
  }

  @Test
  void theRetentionIsReadFromTheConfig() throws Exception {
    Path file = Files.writeString(dir.resolve("effort.yaml"), "ledger_retention_days: 90\n");
    assertThat(GatewayConfig.read(file).governance().ledgerRetentionDays()).isEqualTo(90);
    assertThat(GatewayConfig.defaults().governance().ledgerRetentionDays()).as("kept for ever by default").isZero();
  }
}
