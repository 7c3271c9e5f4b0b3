package dev.effort.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.server.limits.ManualClock;
import dev.effort.server.store.Engine.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keys answered from memory, and changes made by another process sharing the store (another
 * gateway node, {@code effort keys}, a hand-written UPDATE) seen within the check interval. Each
 * store has its own manual clock: "within the interval" is a step of that clock, not a sleep.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CachedApiKeysTest {
  @TempDir Path tmp;

  private final List<TestDatabase> databases = new ArrayList<>();
  private final List<Store> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(Store::close);
    databases.forEach(db -> db.drop().run());
  }

  private TestDatabase fresh(Engine engine) {
    TestDatabase db = engine.fresh(tmp);
    databases.add(db);
    return db;
  }

  private Store open(TestDatabase db, Clock clock) {
    Store store = Store.open(db.url(), clock);
    stores.add(store);
    return store;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aKeyRevokedByAnotherNodeIsRefusedHereOnceTheIntervalHasPassed(Engine engine) {
    TestDatabase db = fresh(engine);
    Store a = open(db, new ManualClock());
    ManualClock bClock = new ManualClock();
    Store b = open(db, bClock);
    IssuedKey issued = a.keys().create(KeySpec.named("app"));
    assertThat(b.keys().authenticate(issued.secret())).get().matches(k -> !k.isRevoked());

    a.keys().revoke("app");
    assertThat(a.keys().authenticate(issued.secret())).as("the revoking node: at once").get().matches(ApiKey::isRevoked);
    bClock.advance(CachedApiKeys.CHECK_EVERY.minusMillis(1));
    assertThat(b.keys().authenticate(issued.secret())).as("the other node, within the interval: from memory")
        .get().matches(k -> !k.isRevoked());
    bClock.advance(Duration.ofMillis(1));
    assertThat(b.keys().authenticate(issued.secret())).as("the other node, once the interval has passed")
        .get().matches(ApiKey::isRevoked);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aKeyCreatedByAnotherNodeIsAcceptedHereOnceTheIntervalHasPassed(Engine engine) {
    TestDatabase db = fresh(engine);
    Store a = open(db, new ManualClock());
    ManualClock bClock = new ManualClock();
    Store b = open(db, bClock);
    assertThat(b.keys().anyKeys()).isFalse();

    IssuedKey issued = a.keys().create(KeySpec.named("new"));
    assertThat(b.keys().authenticate(issued.secret())).isEmpty();
    bClock.advance(CachedApiKeys.CHECK_EVERY);
    assertThat(b.keys().authenticate(issued.secret())).contains(issued.key());
    assertThat(b.keys().anyKeys()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aChangeMadeByHandInTheDatabaseIsSeenToo(Engine engine) throws Exception {
    TestDatabase db = fresh(engine);
    ManualClock clock = new ManualClock();
    Store store = open(db, clock);
    IssuedKey issued = store.keys().create(KeySpec.named("app").rpm(10));
    assertThat(store.keys().authenticate(issued.secret())).get().satisfies(k -> assertThat(k.rpm()).hasValue(10));

    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE api_keys SET rpm = 99");
    }
    clock.advance(CachedApiKeys.CHECK_EVERY);
    assertThat(store.keys().authenticate(issued.secret())).get().satisfies(k -> assertThat(k.rpm()).hasValue(99));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void unknownSecretsAreAnsweredFromMemoryAndOnlyAChangeReloads(Engine engine) {
    TestDatabase db = fresh(engine);
    ManualClock clock = new ManualClock();
    Store store = open(db, clock);
    IssuedKey issued = store.keys().create(KeySpec.named("app"));
    CachedApiKeys keys = (CachedApiKeys) store.keys();

    for (int i = 0; i < 1_000; i++) {
      assertThat(keys.authenticate("ek_guess" + i)).isEmpty();
      if (i % 100 == 0) {
        clock.advance(CachedApiKeys.CHECK_EVERY); // checks the version, which has not moved
      }
    }
    assertThat(keys.authenticate(issued.secret())).contains(issued.key());
    assertThat(keys.loads()).as("one load for a thousand bad secrets and ten checks").isEqualTo(1);

    store.keys().revoke("app");
    assertThat(keys.authenticate(issued.secret())).get().matches(ApiKey::isRevoked);
    assertThat(keys.loads()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aClockSetBackChecksAgain(Engine engine) {
    TestDatabase db = fresh(engine);
    Store a = open(db, new ManualClock());
    ManualClock bClock = new ManualClock();
    Store b = open(db, bClock);
    IssuedKey issued = a.keys().create(KeySpec.named("app"));
    assertThat(b.keys().authenticate(issued.secret())).isPresent();

    a.keys().revoke("app");
    bClock.advance(Duration.ofMinutes(-5));
    assertThat(b.keys().authenticate(issued.secret())).get().matches(ApiKey::isRevoked);
  }
}
