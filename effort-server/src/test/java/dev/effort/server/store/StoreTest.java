package dev.effort.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.effort.core.Effort;
import dev.effort.server.store.Engine.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keys and ledger, the same spec on SQLite and on PostgreSQL. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fail, never hang CI
class StoreTest {
  @TempDir Path tmp;

  private final List<TestDatabase> databases = new ArrayList<>();

  private TestDatabase fresh(Engine engine) {
    TestDatabase db = engine.fresh(tmp);
    databases.add(db);
    return db;
  }

  @AfterEach
  void dropDatabases() {
    databases.forEach(db -> db.drop().run());
  }

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private static LedgerEntry entry(Long keyId, Instant time, Effort applied, String models, long input, long output,
      long thinking, double cost, long latencyMs, int status) {
    return new LedgerEntry(LedgerEntry.NEW, keyId, time, "openai", Effort.HIGH, applied, "single(" + models + ")",
        models, input, output, thinking, cost, null, latencyMs, status, null, status >= 400 ? "upstream failed" : null);
  }

  // ---- migrations ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void migrationsRunOnceAndReopeningKeepsEverything(Engine engine) throws SQLException {
    TestDatabase db = fresh(engine);
    IssuedKey issued;
    try (Store store = Store.open(db.url())) {
      issued = store.keys().create(KeySpec.named("ci"));
      store.ledger().append(entry(issued.key().id(), T0, Effort.LOW, "m", 1, 2, 0, 0.5, 10, 200));
    }
    try (Store store = Store.open(db.url())) {
      assertThat(store.keys().authenticate(issued.secret())).contains(issued.key());
      assertThat(store.ledger().count()).isEqualTo(1);
    }
    try (Store store = Store.open(db.url())) {
      assertThat(store.keys().list()).hasSize(1);
    }
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
      List<String> applied = new ArrayList<>();
      while (rs.next()) {
        applied.add(rs.getString(1) + ":" + rs.getBoolean(2));
      }
      assertThat(applied).as("each migration applied once, on the first open").containsExactly("1:true", "2:true");
    }
  }

  // ---- keys ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void createdKeyAuthenticatesWithItsSecretAndNothingElse(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      KeySpec spec = KeySpec.named("team-a").budgetUsdDay(5).budgetUsdMonth(100.25).maxEffort(Effort.XHIGH)
          .defaultEffort(Effort.MEDIUM).rpm(60).tpm(100_000).agent(true);
      IssuedKey issued = store.keys().create(spec);
      String secret = issued.secret();
      ApiKey key = issued.key();

      assertThat(secret).matches("ek_[A-Za-z0-9_-]{32}");
      assertThat(key.prefix()).isEqualTo(secret.substring(0, 9));
      assertThat(key.name()).isEqualTo("team-a");
      assertThat(key.budgetUsdDay()).isEqualTo(OptionalDouble.of(5));
      assertThat(key.budgetUsdMonth()).isEqualTo(OptionalDouble.of(100.25));
      assertThat(key.maxEffort()).contains(Effort.XHIGH);
      assertThat(key.defaultEffort()).contains(Effort.MEDIUM);
      assertThat(key.rpm()).isEqualTo(OptionalInt.of(60));
      assertThat(key.tpm()).isEqualTo(OptionalInt.of(100_000));
      assertThat(key.agent()).isTrue();
      assertThat(key.revoked()).isEmpty();

      assertThat(store.keys().authenticate(secret)).contains(key);
      char last = secret.charAt(secret.length() - 1);
      String oneCharOff = secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A');
      assertThat(store.keys().authenticate(oneCharOff)).isEmpty();
      assertThat(store.keys().authenticate(secret + "x")).isEmpty();
      assertThat(store.keys().authenticate("sk-not-ours")).isEmpty();
      assertThat(store.keys().authenticate("")).isEmpty();
      assertThat(store.keys().authenticate(null)).isEmpty();

      IssuedKey plain = store.keys().create(KeySpec.named("plain"));
      assertThat(plain.secret()).isNotEqualTo(secret);
      assertThat(store.keys().authenticate(plain.secret())).get().satisfies(k -> {
        assertThat(k.name()).isEqualTo("plain");
        assertThat(k.budgetUsdDay()).isEmpty();
        assertThat(k.maxEffort()).isEmpty();
        assertThat(k.rpm()).isEmpty();
        assertThat(k.agent()).isFalse();
      });
      assertThat(store.keys().list()).extracting(ApiKey::name).containsExactly("team-a", "plain");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void revokedKeyStaysListedAndAuthenticatesFlaggedAsRevoked(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      assertThat(store.keys().anyKeys()).isFalse();
      IssuedKey ci = store.keys().create(KeySpec.named("ci"));
      IssuedKey other = store.keys().create(KeySpec.named("other"));
      assertThat(store.keys().anyKeys()).isTrue();

      ApiKey revoked = store.keys().revoke("ci").orElseThrow();
      assertThat(revoked.id()).isEqualTo(ci.key().id());
      assertThat(revoked.revoked()).get().satisfies(at ->
          assertThat(at).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES)));
      assertThat(store.keys().authenticate(ci.secret())).get().matches(ApiKey::isRevoked);
      assertThat(store.keys().authenticate(other.secret())).get().matches(k -> !k.isRevoked());

      assertThat(store.keys().revoke("ci")).as("revoking again keeps the first time").contains(revoked);
      assertThat(store.keys().revoke(Long.toString(other.key().id()))).get().matches(ApiKey::isRevoked);
      assertThat(store.keys().revoke("nobody")).isEmpty();
      assertThat(store.keys().revoke("99999")).isEmpty();
      assertThat(store.keys().revoke("99999999999999999999999")).isEmpty();
      assertThat(store.keys().list()).hasSize(2).allMatch(ApiKey::isRevoked);
      assertThat(store.keys().anyKeys()).as("revoking every key must not open the gateway").isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void aNameIsUniqueAmongActiveKeysAndFreedByRevoking(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      IssuedKey first = store.keys().create(KeySpec.named("ci"));
      assertThatThrownBy(() -> store.keys().create(KeySpec.named("ci")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already named 'ci'");

      store.keys().revoke("ci");
      IssuedKey second = store.keys().create(KeySpec.named("ci"));
      assertThat(second.key().id()).isNotEqualTo(first.key().id());
      assertThat(store.keys().revoke("ci")).get().extracting(ApiKey::id)
          .as("the active key of that name is the one revoked").isEqualTo(second.key().id());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void secretIsNeverStoredOnlyItsHashAndPrefix(Engine engine) throws Exception {
    TestDatabase db = fresh(engine);
    List<IssuedKey> issued = new ArrayList<>();
    try (Store store = Store.open(db.url())) {
      for (int i = 0; i < 5; i++) {
        issued.add(store.keys().create(KeySpec.named("k" + i).budgetUsdDay(1)));
      }
      store.keys().revoke("k0");
      String stored = storedText(db);
      for (IssuedKey k : issued) {
        assertThat(stored).as("what the database holds").doesNotContain(k.secret()).contains(k.key().prefix());
        assertThat(stored).as("the hash is there (proves this search can find key material)")
            .contains(hex(Secrets.hash(k.secret())));
      }
    }
  }

  /** Every byte the database holds about keys, as text: the SQLite files, or PostgreSQL's rows. */
  private static String storedText(TestDatabase db) throws Exception {
    StringBuilder all = new StringBuilder();
    if (db.engine() == Engine.SQLITE) {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Path f = Path.of(db.file() + suffix);
        if (Files.exists(f)) {
          byte[] bytes = Files.readAllBytes(f);
          all.append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\n').append(hex(bytes)).append('\n');
        }
      }
    } else {
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT t::text FROM api_keys t")) {
        while (rs.next()) {
          all.append(rs.getString(1)).append('\n');
        }
      }
    }
    return all.toString();
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }

  // ---- ledger ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void ledgerKeepsEveryFieldOfAnEntry(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      long key = store.keys().create(KeySpec.named("app")).key().id();
      LedgerEntry full = new LedgerEntry(LedgerEntry.NEW, key, Instant.parse("2026-11-28T23:59:59.123Z"), "anthropic",
          Effort.MAX, Effort.XHIGH, "cascade(a>b)", "model-a,model-b", 1200, 340, 5000, 0.0421, 180L, 2400, 200,
          "deadline 3s: max -> xhigh", null);
      LedgerEntry sparse = new LedgerEntry(LedgerEntry.NEW, null, T0, "openai", null, null, null, null, 0, 0, 0, 0,
          null, 3, 400, null, "unknown effort 'huge'; accepted: low, medium, high, xhigh, max, auto");

      long fullId = store.ledger().append(full);
      long sparseId = store.ledger().append(sparse);

      assertThat(sparseId).isGreaterThan(fullId);
      assertThat(store.ledger().get(fullId)).contains(full.withId(fullId));
      assertThat(store.ledger().get(sparseId)).contains(sparse.withId(sparseId));
      assertThat(store.ledger().get(sparseId)).get().extracting(LedgerEntry::plan, LedgerEntry::models)
          .containsExactly("", "");
      assertThat(store.ledger().get(sparseId + 1000)).isEmpty();
      assertThat(store.ledger().count()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void spentUsdSumsOneKeysCostFromATimeOn(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      long a = store.keys().create(KeySpec.named("a")).key().id();
      long b = store.keys().create(KeySpec.named("b")).key().id();
      Ledger ledger = store.ledger();
      ledger.append(entry(a, T0.minusSeconds(1), Effort.HIGH, "m", 1, 1, 0, 100.0, 5, 200)); // before the window
      ledger.append(entry(a, T0, Effort.HIGH, "m", 1, 1, 0, 0.25, 5, 200)); // at its start: counted
      ledger.append(entry(a, T0.plusSeconds(3600), Effort.HIGH, "m", 1, 1, 0, 1.5, 5, 500)); // failures cost too
      ledger.append(entry(b, T0.plusSeconds(10), Effort.HIGH, "m", 1, 1, 0, 7.0, 5, 200));
      ledger.append(entry(null, T0.plusSeconds(10), Effort.HIGH, "m", 1, 1, 0, 9.0, 5, 200));

      assertThat(ledger.spentUsd(a, T0)).isCloseTo(1.75, within(1e-9));
      assertThat(ledger.spentUsd(a, T0.minusSeconds(1))).isCloseTo(101.75, within(1e-9));
      assertThat(ledger.spentUsd(b, T0)).isCloseTo(7.0, within(1e-9));
      assertThat(ledger.spentUsd(a, T0.plusSeconds(7200))).isZero();
      assertThat(ledger.spentUsd(424242, T0)).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void usageTotalsEachGroupWithErrorsAndMedianLatency(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      long alpha = store.keys().create(KeySpec.named("alpha")).key().id();
      long beta = store.keys().create(KeySpec.named("beta")).key().id();
      Instant day2 = T0.plus(1, ChronoUnit.DAYS);
      Ledger ledger = store.ledger();
      ledger.append(entry(alpha, T0, Effort.LOW, "small", 10, 20, 0, 0.01, 100, 200));
      ledger.append(entry(alpha, T0, Effort.LOW, "small", 10, 20, 0, 0.01, 300, 200));
      ledger.append(entry(alpha, day2, Effort.MAX, "big", 100, 200, 1000, 1.00, 2000, 200));
      ledger.append(entry(beta, day2, Effort.MAX, "big", 100, 0, 0, 0.50, 900, 502));
      ledger.append(entry(beta, day2, Effort.HIGH, "small,big", 50, 60, 70, 0.30, 700, 200));
      ledger.append(entry(null, day2, null, "", 0, 0, 0, 0, 4, 400));

      assertThat(ledger.usage(GroupBy.KEY)).satisfiesExactly(
          r -> assertRow(r, "alpha", 3, 0, 120, 240, 1000, 1.02, 300),
          r -> assertRow(r, "beta", 2, 1, 150, 60, 70, 0.80, 800),
          r -> assertRow(r, UsageRow.NONE, 1, 1, 0, 0, 0, 0, 4));
      assertThat(ledger.usage(GroupBy.DAY)).satisfiesExactly(
          r -> assertRow(r, "2026-11-27", 2, 0, 20, 40, 0, 0.02, 200),
          r -> assertRow(r, "2026-11-28", 4, 2, 250, 260, 1070, 1.80, 800));
      assertThat(ledger.usage(GroupBy.EFFORT)).satisfiesExactly(
          r -> assertRow(r, "low", 2, 0, 20, 40, 0, 0.02, 200),
          r -> assertRow(r, "high", 1, 0, 50, 60, 70, 0.30, 700),
          r -> assertRow(r, "max", 2, 1, 200, 200, 1000, 1.50, 1450),
          r -> assertRow(r, UsageRow.NONE, 1, 1, 0, 0, 0, 0, 4));
      assertThat(ledger.usage(GroupBy.MODEL)).satisfiesExactly(
          r -> assertRow(r, "big", 2, 1, 200, 200, 1000, 1.50, 1450),
          r -> assertRow(r, "small", 2, 0, 20, 40, 0, 0.02, 200),
          r -> assertRow(r, "small,big", 1, 0, 50, 60, 70, 0.30, 700),
          r -> assertRow(r, UsageRow.NONE, 1, 1, 0, 0, 0, 0, 4));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void medianLatencyIsTheMiddleValueNotTheMean(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      for (long latency : new long[] {10, 20, 30, 40, 10_000}) {
        store.ledger().append(entry(null, T0, Effort.LOW, "m", 1, 1, 0, 0, latency, 200));
      }
      assertThat(store.ledger().usage(GroupBy.MODEL)).singleElement()
          .extracting(UsageRow::p50LatencyMs).isEqualTo(30.0);
    }
  }

  private static void assertRow(UsageRow r, String group, long requests, long errors, long input, long output,
      long thinking, double cost, double p50) {
    assertThat(r.group()).isEqualTo(group);
    assertThat(r.requests()).as(group + " requests").isEqualTo(requests);
    assertThat(r.errors()).as(group + " errors").isEqualTo(errors);
    assertThat(r.inputTokens()).as(group + " input").isEqualTo(input);
    assertThat(r.outputTokens()).as(group + " output").isEqualTo(output);
    assertThat(r.thinkingTokens()).as(group + " thinking").isEqualTo(thinking);
    assertThat(r.costUsd()).as(group + " cost").isCloseTo(cost, within(1e-9));
    assertThat(r.p50LatencyMs()).as(group + " p50").isEqualTo(p50);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void appendsFrom200VirtualThreadsAreAllKept(Engine engine) throws Exception {
    int threads = 200;
    int each = 10;
    try (Store store = Store.open(fresh(engine).url())) {
      long key = store.keys().create(KeySpec.named("busy")).key().id();
      ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < each; i++) {
              ids.add(store.ledger().append(entry(key, T0, Effort.MEDIUM, "m", 1, 1, 0, 0.001, 5, 200)));
              // Readers at the same time, as the gateway authenticates and checks budgets while appending.
              store.ledger().spentUsd(key, T0);
            }
            return null;
          }));
        }
        for (var f : done) {
          f.get(2, TimeUnit.MINUTES);
        }
      }
      assertThat(ids).hasSize(threads * each);
      assertThat(new HashSet<>(ids)).hasSize(threads * each);
      assertThat(store.ledger().count()).isEqualTo(threads * each);
      assertThat(store.ledger().spentUsd(key, T0)).isCloseTo(threads * each * 0.001, within(1e-6));
    }
  }

  // ---- group commit ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void rowsWaitingWhileTheWriterIsBusyShareOneCommit(Engine engine) throws Exception {
    TestDatabase db = fresh(engine);
    int rows = 100;
    try (Store store = Store.open(db.url())) {
      SqlLedger ledger = (SqlLedger) store.ledger();
      long commitsBefore = ledger.commitCount();
      List<Appender> appenders = new ArrayList<>();
      Connection blocker = blockWrites(db);
      try {
        for (int i = 0; i < rows; i++) {
          appenders.add(Appender.start(ledger, entry(null, T0, Effort.LOW, "m", i, 1, 0, 0.001, 5, 200)));
        }
        awaitAccepted(store, rows); // the first row(s) wait at the lock, the rest queue behind them
        assertThat(appenders).noneMatch(a -> a.id().isDone());
      } finally {
        blocker.close(); // rolls back: the writer goes on
      }
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < rows; i++) {
        long id = appenders.get(i).id().get(1, TimeUnit.MINUTES);
        ids.add(id);
        assertThat(ledger.get(id)).as("the row of id %d", id).get().extracting(LedgerEntry::inputTokens).isEqualTo((long) i);
      }
      assertThat(ids).hasSize(rows);
      assertThat(ledger.commitCount() - commitsBefore).as("commits for %d rows that waited together", rows)
          .isBetween(1L, 2L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void aRowTheDatabaseRefusesFailsItsOwnAppenderOnlyNotItsGroup(Engine engine) throws Exception {
    TestDatabase db = fresh(engine);
    try (Store store = Store.open(db.url())) {
      refuseModel(db, "poison");
      Ledger ledger = store.ledger();
      List<Appender> good = new ArrayList<>();
      List<Appender> bad = new ArrayList<>();
      Connection blocker = blockWrites(db);
      try {
        for (int i = 0; i < 30; i++) {
          Appender a = Appender.start(ledger, entry(null, T0, Effort.LOW, i % 10 == 5 ? "poison" : "m", i, 1, 0, 0.001, 5, 200));
          (i % 10 == 5 ? bad : good).add(a);
        }
        awaitAccepted(store, 30);
      } finally {
        blocker.close(); // rolls back: the writer goes on
      }
      for (Appender a : bad) {
        assertThatThrownBy(() -> a.id().get(1, TimeUnit.MINUTES))
            .cause().isInstanceOf(StoreException.class).hasMessageContaining("poison");
      }
      Set<Long> ids = new HashSet<>();
      for (Appender a : good) {
        ids.add(a.id().get(1, TimeUnit.MINUTES));
      }
      assertThat(ids).hasSize(27);
      assertThat(ids).allSatisfy(id -> assertThat(ledger.get(id)).get().extracting(LedgerEntry::models).isEqualTo("m"));
      assertThat(ledger.count()).isEqualTo(27);
    }
  }

  @Test
  void aGroupWhoseCommitFailsIsNotWrittenAgainRowByRow() throws Exception {
    // A failed COMMIT may have taken (a connection lost after the database committed): writing its
    // rows again could charge twice, so every appender of the group is told it failed instead. A
    // deferred constraint makes PostgreSQL refuse at COMMIT, not at the insert.
    TestDatabase db = fresh(Engine.POSTGRESQL);
    try (Store store = Store.open(db.url())) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
            + "$$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$");
        s.execute("CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON ledger DEFERRABLE INITIALLY DEFERRED "
            + "FOR EACH ROW WHEN (NEW.models = 'late-poison') EXECUTE FUNCTION refuse_at_commit()");
      }
      List<Appender> appenders = new ArrayList<>();
      Connection blocker = blockWrites(db);
      try {
        for (int i = 0; i < 10; i++) {
          appenders.add(Appender.start(store.ledger(), entry(null, T0, Effort.LOW, i == 7 ? "late-poison" : "m", i, 1, 0, 0.001, 5, 200)));
        }
        awaitAccepted(store, 10);
      } finally {
        blocker.close();
      }
      long failed = 0;
      for (Appender a : appenders) {
        try {
          a.id().get(1, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(StoreException.class);
          failed++;
        }
      }
      // The first row may have gone alone before the blocker; every row of the group that failed is absent.
      assertThat(failed).isGreaterThanOrEqualTo(9);
      assertThat(store.ledger().count()).isEqualTo(10 - failed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void closeCommitsEveryRowAcceptedBeforeItAndRefusesLaterOnes(Engine engine) throws Exception {
    TestDatabase db = fresh(engine);
    Store store = Store.open(db.url());
    List<Appender> appenders = new ArrayList<>();
    Thread closer;
    Connection blocker = blockWrites(db);
    try {
      for (int i = 0; i < 40; i++) {
        appenders.add(Appender.start(store.ledger(), entry(null, T0, Effort.LOW, "m", i, 1, 0, 0.001, 5, 200)));
      }
      awaitAccepted(store, 40);
      closer = Thread.ofVirtual().start(store::close);
      awaitParked(List.of(closer)); // closed to new rows, waiting for the writer to commit the queued ones
      assertThatThrownBy(() -> store.ledger().append(entry(null, T0, Effort.LOW, "late", 0, 1, 0, 0.001, 5, 200)))
          .isInstanceOf(StoreException.class).hasMessageContaining("closed");
      assertThat(appenders).noneMatch(a -> a.id().isDone());
    } finally {
      blocker.close(); // rolls back: the writer goes on
    }
    closer.join();
    Set<Long> ids = new HashSet<>();
    for (Appender a : appenders) {
      ids.add(a.id().get(1, TimeUnit.MINUTES));
    }
    try (Store reopened = Store.open(db.url())) {
      assertThat(ids).hasSize(40).allSatisfy(id -> assertThat(reopened.ledger().get(id)).isPresent());
      assertThat(reopened.ledger().count()).isEqualTo(40);
    }
  }

  /** One append on a virtual thread of its own. */
  private record Appender(java.util.concurrent.CompletableFuture<Long> id) {
    static Appender start(Ledger ledger, LedgerEntry row) {
      var id = new java.util.concurrent.CompletableFuture<Long>();
      Thread.ofVirtual().start(() -> {
        try {
          id.complete(ledger.append(row));
        } catch (Throwable e) {
          id.completeExceptionally(e);
        }
      });
      return new Appender(id);
    }
  }

  /** Until the store has taken in {@code rows} rows: queued, or at the lock with the writer. */
  private static void awaitAccepted(Store store, long rows) throws InterruptedException {
    while (((SqlLedger) store.ledger()).accepted() < rows) {
      Thread.sleep(10);
    }
  }

  /** Until every thread is parked (close() waiting for the writer). */
  private static void awaitParked(List<Thread> threads) throws InterruptedException {
    while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
      Thread.sleep(10);
    }
  }

  /**
   * A connection that holds the ledger's write lock until closed (closing rolls back): the store's
   * writer waits for it, holding the row(s) it took, while more rows queue.
   */
  private static Connection blockWrites(TestDatabase db) throws SQLException {
    Connection c = db.connect();
    try (Statement s = c.createStatement()) {
      if (db.engine() == Engine.SQLITE) {
        s.execute("BEGIN IMMEDIATE");
      } else {
        c.setAutoCommit(false);
        s.execute("LOCK TABLE ledger IN EXCLUSIVE MODE");
      }
    }
    return c;
  }

  /** Makes the database itself refuse rows of {@code model}, as it would a row it cannot store. */
  private static void refuseModel(TestDatabase db, String model) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      if (db.engine() == Engine.SQLITE) {
        s.execute("CREATE TRIGGER refuse_" + model + " BEFORE INSERT ON ledger WHEN NEW.models = '" + model
            + "' BEGIN SELECT RAISE(ABORT, 'refused row: " + model + "'); END");
      } else {
        s.execute("ALTER TABLE ledger ADD CONSTRAINT refuse_" + model + " CHECK (models <> '" + model + "')");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void everyAcknowledgedAppendSurvivesTheProcessBeingKilled(Engine engine) throws Exception {
    killWhileAppending(engine, 1);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void everyAcknowledgedAppendOfConcurrentAppendersSurvivesTheProcessBeingKilled(Engine engine) throws Exception {
    killWhileAppending(engine, 16); // rows then share commits: each is acknowledged after its group's
  }

  /** Kills (SIGKILL) a child appending from {@code threads} threads once it acknowledged 500 rows, then counts them. */
  private void killWhileAppending(Engine engine, int threads) throws Exception {
    TestDatabase db = fresh(engine);
    Store.open(db.url()).close(); // migrated here, so that the child spends its life appending
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
        LedgerWriter.class.getName(), db.url(), Integer.toString(threads))
        .redirectError(tmp.resolve("child.err").toFile())
        .start();
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    int wanted = 500;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      // A stalled child must fail the test, not hang it: the reads give up after a minute.
      assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
        assertThat(lines.readLine()).as(() -> "the child opened the store; its stderr:\n" + childErr()).isEqualTo("open");
        String line;
        while (acknowledged.size() < wanted && (line = lines.readLine()) != null) {
          acknowledged.add(Long.parseLong(line.strip()));
        }
      }, () -> "the child acknowledged " + acknowledged.size() + " of " + wanted + " appends; its stderr:\n" + childErr());
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-append
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged).as(this::childErr).hasSize(wanted);

    try (Store store = Store.open(db.url())) {
      List<Long> lost = acknowledged.stream().filter(id -> store.ledger().get(id).isEmpty()).sorted().toList();
      assertThat(lost).as("acknowledged entries missing after the kill").isEmpty();
      assertThat(store.ledger().count()).isGreaterThanOrEqualTo(wanted);
      assertThat(store.ledger().get(acknowledged.iterator().next()))
          .get().extracting(LedgerEntry::models).isEqualTo("child-model");
    }
  }

  private String childErr() {
    try {
      return Files.readString(tmp.resolve("child.err"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  // ---- opening ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void engineIsNamedAfterTheUrl(Engine engine) {
    try (Store store = Store.open(fresh(engine).url())) {
      assertThat(store.engine()).isEqualTo(engine.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
