package dev.effort.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.effort.core.Effort;
import dev.effort.server.store.Engine.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the dashboard reads from the ledger: stats of a window per group, and the newest rows filtered; on SQLite and PostgreSQL. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LedgerStatsTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path tmp;
  private final List<TestDatabase> databases = new ArrayList<>();

  private Store open(Engine engine) {
    TestDatabase db = engine.fresh(tmp);
    databases.add(db);
    return Store.open(db.url());
  }

  @AfterEach
  void dropDatabases() {
    databases.forEach(db -> db.drop().run());
  }

  private static LedgerEntry entry(Long keyId, Instant time, Effort asked, Effort applied, String plan, String models,
      double cost, Long ttftMs, long latencyMs, int status, String downgrade) {
    return new LedgerEntry(LedgerEntry.NEW, keyId, time, "openai", asked, applied, plan, models, 10, 20, 5, cost, ttftMs,
        latencyMs, status, downgrade, status >= 400 ? "failed" : null);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void statsCountEachLevelInTheWindowWithLatencyAndTtftPercentiles(Engine engine) {
    try (Store store = open(engine)) {
      Ledger ledger = store.ledger();
      ledger.append(entry(null, T0.minusSeconds(3600), Effort.LOW, Effort.LOW, "single(a)", "a", 9, 1L, 1, 200, null));
      for (int i = 1; i <= 20; i++) { // latencies 10 … 200, TTFTs 1 … 20
        ledger.append(entry(null, T0.plusSeconds(i), Effort.LOW, Effort.LOW, "single(a)", "a", 0.01, (long) i, 10L * i, 200, null));
      }
      ledger.append(entry(null, T0, Effort.LOW, Effort.LOW, "single(a)", "a", 0.5, null, 99_999, 502, null));
      ledger.append(entry(null, T0, Effort.MAX, Effort.HIGH, "cascade(a,b)", "a,b", 0.2, 40L, 400, 200, "budget"));

      List<GroupStats> levels = ledger.stats(StatsBy.LEVEL, T0);

      assertThat(levels).extracting(GroupStats::group).containsExactly("low", "high");
      GroupStats low = levels.get(0);
      assertThat(low.requests()).isEqualTo(21);
      assertThat(low.errors()).isEqualTo(1);
      assertThat(low.costUsd()).isCloseTo(0.7, within(1e-9));
      assertThat(low.inputTokens()).isEqualTo(210);
      assertThat(low.p50LatencyMs()).as("answered rows only: the 502 is left out").isEqualTo(105.0);
      assertThat(low.p95LatencyMs()).as("nearest rank: the 19th of 20").isEqualTo(190.0);
      assertThat(low.p50TtftMs()).isEqualTo(10.5);
      assertThat(low.p95TtftMs()).isEqualTo(19.0);
      GroupStats high = levels.get(1);
      assertThat(high.downgrades()).isEqualTo(1);
      assertThat(high.p95LatencyMs()).isEqualTo(400.0);
      assertThat(ledger.stats(StatsBy.MODEL, T0)).extracting(GroupStats::group, GroupStats::requests)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 21L), org.assertj.core.groups.Tuple.tuple("a,b", 1L));
      assertThat(ledger.stats(StatsBy.DOWNGRADE_REASON, T0)).extracting(GroupStats::group, GroupStats::requests)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("budget", 1L));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void statsOfAutoAreItsPlansAndAGroupOfErrorsOnlyHasNoLatency(Engine engine) {
    try (Store store = open(engine)) {
      Ledger ledger = store.ledger();
      long key = store.keys().create(KeySpec.named("k")).key().id();
      ledger.append(entry(key, T0, Effort.AUTO, Effort.AUTO, "single(a)", "a", 0.1, 5L, 50, 200, null));
      ledger.append(entry(key, T0, Effort.AUTO, Effort.AUTO, "single(a)", "a", 0.1, 5L, 50, 200, null));
      ledger.append(entry(key, T0, Effort.AUTO, Effort.AUTO, "single(b)", "b", 0.3, 5L, 50, 200, null));
      ledger.append(entry(null, T0, Effort.LOW, Effort.LOW, "single(c)", "c", 0, null, 5, 504, null));

      assertThat(ledger.stats(StatsBy.AUTO_PLAN, T0)).extracting(GroupStats::group, GroupStats::requests)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("single(a)", 2L), org.assertj.core.groups.Tuple.tuple("single(b)", 1L));
      assertThat(ledger.stats(StatsBy.KEY, T0)).extracting(GroupStats::group, GroupStats::requests)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(Long.toString(key), 3L), org.assertj.core.groups.Tuple.tuple("0", 1L));
      GroupStats failedOnly = ledger.stats(StatsBy.MODEL, T0).stream().filter(g -> g.group().equals("c")).findFirst().orElseThrow();
      assertThat(failedOnly.p50LatencyMs()).isNull();
      assertThat(failedOnly.p50TtftMs()).isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Engine.class)
  void recentRowsAreNewestFirstAndFilteredByKeyLevelModelAndStatus(Engine engine) {
    try (Store store = open(engine)) {
      Ledger ledger = store.ledger();
      long key = store.keys().create(KeySpec.named("k")).key().id();
      long first = ledger.append(entry(key, T0, Effort.LOW, Effort.LOW, "single(m_1)", "m_1", 0, 1L, 1, 200, null));
      long second = ledger.append(entry(null, T0, Effort.HIGH, Effort.HIGH, "cascade", "m_1,big", 0, 1L, 1, 200, null));
      long third = ledger.append(entry(key, T0, Effort.HIGH, Effort.HIGH, "single(mx1)", "mx1", 0, null, 1, 429, null));

      assertThat(ledger.recent(LedgerFilter.ALL, 10)).extracting(LedgerEntry::id).containsExactly(third, second, first);
      assertThat(ledger.recent(LedgerFilter.ALL, 2)).extracting(LedgerEntry::id).containsExactly(third, second);
      assertThat(ledger.recent(filter(Optional.of(key), null, null, null), 10)).extracting(LedgerEntry::id)
          .containsExactly(third, first);
      assertThat(ledger.recent(filter(Optional.empty(), Effort.HIGH, null, null), 10)).extracting(LedgerEntry::id)
          .containsExactly(third, second);
      assertThat(ledger.recent(filter(Optional.empty(), null, "m_1", null), 10)).as("a whole model of the list; '_' is no wildcard")
          .extracting(LedgerEntry::id).containsExactly(second, first);
      assertThat(ledger.recent(filter(Optional.empty(), null, "big", null), 10)).extracting(LedgerEntry::id).containsExactly(second);
      assertThat(ledger.recent(filter(Optional.empty(), null, null, "error"), 10)).extracting(LedgerEntry::id).containsExactly(third);
      assertThat(ledger.recent(filter(Optional.empty(), null, null, "ok"), 10)).extracting(LedgerEntry::id).containsExactly(second, first);
      assertThat(ledger.recent(filter(Optional.empty(), null, null, "429"), 10)).extracting(LedgerEntry::id).containsExactly(third);
      assertThatThrownBy(() -> filter(Optional.empty(), null, null, "bad")).hasMessageContaining("ok, error");
    }
  }

  private static LedgerFilter filter(Optional<Long> key, Effort level, String model, String status) {
    return new LedgerFilter(key, Optional.ofNullable(level), Optional.ofNullable(model), Optional.ofNullable(status));
  }
}
