package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Effort;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.LedgerEntry;
import dev.effort.server.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageCommandTest {
  @TempDir Path tmp;
  private String db;

  private static final Instant DAY1 = Instant.parse("2026-11-27T12:00:00Z");
  private static final Instant DAY2 = Instant.parse("2026-11-28T08:00:00Z");

  @BeforeEach
  void recordRequests() {
    db = "jdbc:sqlite:" + tmp.resolve("effort.db");
    try (Store store = Store.open(db)) {
      long team = store.keys().create(KeySpec.named("team")).key().id();
      long bot = store.keys().create(KeySpec.named("bot").agent(true)).key().id();
      store.ledger().append(entry(team, DAY1, Effort.LOW, "small", 10, 20, 0, 0.001, 100, 200));
      store.ledger().append(entry(team, DAY2, Effort.MAX, "big", 1000, 500, 4000, 0.25, 9000, 200));
      store.ledger().append(entry(bot, DAY2, Effort.MAX, "big", 800, 0, 0, 0.05, 300, 502));
    }
  }

  private static LedgerEntry entry(long key, Instant time, Effort applied, String models, long in, long out,
      long thinking, double cost, long latency, int status) {
    return new LedgerEntry(LedgerEntry.NEW, key, time, "openai", applied, applied, "single", models, in, out, thinking,
        cost, null, latency, status, null, null);
  }

  private CommandRun usage(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--db";
    all[1] = db;
    System.arraycopy(args, 0, all, 2, args.length);
    return CommandRun.of(new UsageCommand(), all);
  }

  @Test
  void byKeyIsTheDefaultAndEndsWithATotal() {
    CommandRun run = usage();

    assertThat(run.exit()).as(run.err()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines[0]).startsWith("KEY").contains("REQUESTS", "ERRORS", "INPUT", "OUTPUT", "THINKING", "COST_USD",
        "P50_MS");
    assertThat(lines[1].split("\\s+")).containsExactly("bot", "1", "1", "800", "0", "0", "0.050000", "300");
    assertThat(lines[2].split("\\s+")).containsExactly("team", "2", "0", "1010", "520", "4000", "0.251000", "4550");
    assertThat(lines[3].split("\\s+")).containsExactly("total", "3", "1", "1810", "520", "4000", "0.301000");
    assertThat(lines).hasSize(4);
  }

  @Test
  void groupsByDayEffortAndModel() {
    assertThat(usage("--by", "day").out()).contains("DAY").containsPattern("2026-11-27\\s+1\\s+0\\s+10\\s+20")
        .containsPattern("2026-11-28\\s+2\\s+1\\s+1800\\s+500\\s+4000\\s+0.300000\\s+4650");
    assertThat(usage("--by", "effort").out()).containsPattern("low\\s+1\\s").containsPattern("max\\s+2\\s+1\\s");
    assertThat(usage("--by", "MODEL").out()).containsPattern("big\\s+2\\s").containsPattern("small\\s+1\\s");
  }

  @Test
  void unknownGroupingSaysWhatIsAccepted() {
    CommandRun run = usage("--by", "week");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--by: cannot group usage by 'week'; accepted: key, day, effort, model");
  }

  @Test
  void emptyLedgerSaysSo() {
    String empty = "jdbc:sqlite:" + tmp.resolve("empty.db");
    Store.open(empty).close();
    CommandRun run = CommandRun.of(new UsageCommand(), "--db", empty);
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("no requests recorded yet");
  }
}
