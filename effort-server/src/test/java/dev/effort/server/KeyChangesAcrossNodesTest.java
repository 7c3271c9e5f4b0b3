package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.server.limits.ManualClock;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.IssuedKey;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two gateway nodes on one store (SQLite file, PostgreSQL schema): a key revoked or created
 * through one is refused or accepted by the other within a second, although each answers keys
 * from memory.
 */
class KeyChangesAcrossNodesTest {
  static final String POSTGRES = System.getProperty("effort.test.postgres",
      "jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres");

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> schemas = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    for (String schema : schemas) {
      try (var c = DriverManager.getConnection(POSTGRES)) {
        c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private String database(String engine) throws Exception {
    if (engine.equals("sqlite")) {
      return "jdbc:sqlite:" + dir.resolve("effort.db");
    }
    String schema = "key_changes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (var c = DriverManager.getConnection(POSTGRES)) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (java.sql.SQLException e) {
      throw new AssertionError("PostgreSQL is not reachable; start it with scripts/start-services", e);
    }
    schemas.add(schema);
    return POSTGRES + "&currentSchema=" + schema;
  }

  private Governance node(String url, Clock clock) {
    Governance g = new Governance(Store.open(url, clock), Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    open.add(g);
    return g;
  }

  private static int status(Governance node, String secret) {
    try {
      node.authenticate(Optional.of(secret));
      return 200;
    } catch (WireError e) {
      return e.status();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aKeyRevokedOnOneNodeIsRefusedByTheOtherWithinAQuarterSecond(String engine) throws Exception {
    String url = database(engine);
    Governance a = node(url, Clock.systemUTC());
    ManualClock bClock = new ManualClock();
    Governance b = node(url, bClock);
    IssuedKey issued = a.store().keys().create(KeySpec.named("app"));
    assertThat(status(b, issued.secret())).isEqualTo(200);

    a.store().keys().revoke("app");
    assertThat(status(a, issued.secret())).isEqualTo(403);
    bClock.advance(Duration.ofMillis(250));
    assertThat(status(b, issued.secret())).isEqualTo(403);
    assertThatThrownBy(() -> b.authenticate(Optional.of(issued.secret()))).hasMessageContaining("'app' was revoked");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aKeyCreatedOnOneNodeIsAcceptedByTheOtherWithinAQuarterSecond(String engine) throws Exception {
    String url = database(engine);
    Governance a = node(url, Clock.systemUTC());
    ManualClock bClock = new ManualClock();
    Governance b = node(url, bClock);
    assertThat(b.authenticate(Optional.empty())).as("no key yet: open").isEmpty();

    IssuedKey issued = a.store().keys().create(KeySpec.named("app"));
    bClock.advance(Duration.ofMillis(250));
    assertThat(status(b, issued.secret())).isEqualTo(200);
    assertThat(b.authenticate(Optional.of(issued.secret()))).contains(issued.key());
    assertThatThrownBy(() -> b.authenticate(Optional.empty())).as("a key exists now: required")
        .isInstanceOfSatisfying(WireError.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  /** End to end, in real time: revoked through one gateway's admin API, refused by the other gateway. */
  @Test
  void aKeyRevokedThroughOneGatewayIsRefusedByTheOtherWithinASecond() throws Exception {
    String url = database("sqlite");
    String admin = "admin-secret-5b9a";
    RunningGateway[] gateways = new RunningGateway[2];
    for (int i = 0; i < 2; i++) {
      Governance g = new Governance(Store.open(url), Optional.empty(), Optional.of(admin), Governance.OverBudget.LOWER,
          Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
      gateways[i] = new RunningGateway(Gateway.start(GatewayConfig.defaults(),
          Fleets.replay(dev.effort.core.Catalog.builtIn(), dev.effort.core.Ladder.routerBench(), RunningGateway.data()),
          Optional.empty(), g, 0));
      open.add(gateways[i]);
    }
    String secret = RunningGateway.json(gateways[0].post("/admin/keys", "{\"name\":\"app\"}", "Authorization", "Bearer " + admin))
        .get("secret").asText();
    assertThat(models(gateways[1], secret).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked = gateways[0].http.send(java.net.http.HttpRequest.newBuilder(gateways[0].uri("/admin/keys/app"))
        .DELETE().header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).isEqualTo(200);
    Instant until = Instant.now().plusSeconds(10); // generous on a busy machine; the cache's bound is 250 ms
    int status = models(gateways[1], secret).statusCode();
    while (status == 200 && Instant.now().isBefore(until)) {
      Thread.sleep(20);
      status = models(gateways[1], secret).statusCode();
    }
    assertThat(status).isEqualTo(403);
  }

  private static HttpResponse<String> models(RunningGateway gateway, String secret) throws Exception {
    return gateway.get("/v1/models", "Authorization", "Bearer " + secret);
  }
}
