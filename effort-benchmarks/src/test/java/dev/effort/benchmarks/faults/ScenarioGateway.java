package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import dev.effort.server.limits.BudgetPeriod;
import dev.effort.server.store.IssuedKey;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The gateway as {@code effort serve} runs it, from a YAML config, with governance on (a SQLite
 * ledger in a temporary folder, one key with a daily budget), in front of three faulty upstreams:
 * model {@code m} on two OpenAI-compatible deployments {@code a} and {@code b}, its stand-in
 * {@code m2} on an Anthropic-format one, {@code c}. Every level's plan is one call to {@code m}.
 * Each deployment answers its own text, so a test can tell which one answered.
 */
final class ScenarioGateway implements AutoCloseable {
  /** Kept referenced: a logger without a strong reference may lose its level. */
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");
  private static final Logger EFFORT_LOG = Logger.getLogger("dev.effort");

  static final String M = "m";
  static final String M2 = "m2";
  /** Retries quick enough for tests: backoff from 10 ms, at most 200 ms. */
  static final Duration BACKOFF_MAX = Duration.ofMillis(200);
  /** A breaker that never opens in these scenarios (each test class but the circuit one shares one gateway). */
  static final String NEVER_OPENS = "{window: 1000, min_calls: 1000}";
  private static final AtomicInteger TOKENS = new AtomicInteger();

  final FaultyUpstream a;
  final FaultyUpstream b;
  final FaultyUpstream c;
  final Map<String, FaultyUpstream> byName;
  final Map<String, String> answers;
  final Path dir;
  final String database;
  final IssuedKey key;
  final Gateway gateway;
  /** The same ledger, read beside the gateway. */
  private final Store store;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ScenarioGateway(String breaker, String onFailure) throws IOException {
    // The gateway's warnings about each injected fault would bury the test output.
    HELIDON_LOG.setLevel(Level.WARNING);
    EFFORT_LOG.setLevel(Level.SEVERE);
    a = FaultyUpstream.start();
    // One count per directive token across all three: a fault "x1" fails the first call, wherever it goes.
    b = FaultyUpstream.startBeside(a);
    c = FaultyUpstream.startBeside(a);
    byName = Map.of("a", a, "b", b, "c", c);
    answers = Map.of("a", "Deployment a says: the sky is blue on a clear day.",
        "b", "Deployment b says: the sky is blue on a clear day.",
        "c", "Stand-in m2 says: the sky is blue on a clear day.");
    byName.forEach((name, upstream) -> upstream.answer(answers.get(name)));
    dir = Files.createTempDirectory("effort-fault-scenarios");
    database = "jdbc:sqlite:" + dir.resolve("effort.db");
    try (Store store = Store.open(database)) {
      key = store.keys().create(KeySpec.named("scenarios").budgetUsdDay(100));
    }
    Path file = dir.resolve("effort.yaml");
    Files.writeString(file, config(breaker, onFailure));
    GatewayConfig config = GatewayConfig.read(file);
    gateway = Soak.startGoverned(config, Fleets.fromConfig(config, dir), dir);
    store = Store.open(database);
  }

  /** The gateway with every fallback on and a breaker that does not open. */
  static ScenarioGateway start() throws IOException {
    return start(NEVER_OPENS, "fallback");
  }

  /** @param breaker the config's {@code breaker:} value; @param onFailure its {@code on_failure:} */
  static ScenarioGateway start(String breaker, String onFailure) throws IOException {
    return new ScenarioGateway(breaker, onFailure);
  }

  /**
   * As an operator would write it. Deployment {@code a} has nearly all of {@code m}'s weight, so
   * it is tried first: a scenario that takes it down exercises the failover.
   */
  private String config(String breaker, String onFailure) {
    return """
        database: "%s"
        auth: required
        default_effort: medium
        tempo_min_requests_per_second: 100000
        providers:
          - {name: a, type: openai-compatible, base_url: "%s", models: [m], weight: 1000}
          - {name: b, type: openai-compatible, base_url: "%s", models: [m]}
          - {name: c, type: anthropic, base_url: "%s", api_key_env: %s, models: [m2]}
        catalog: [%s, %s]
        ladder: %s
        retry: {max_retries: 2, backoff_base_ms: 10, backoff_max_ms: %d}
        breaker: %s
        on_failure: %s
        fallbacks: {m: [m2]}
        """.formatted(database, a.baseUrl(), b.baseUrl(), c.baseUrl(), Soak.UPSTREAM_KEY_ENV,
        Json.string(Soak.model(M, "openai-compatible", 2, 10)), Json.string(Soak.model(M2, "anthropic", 1, 5)),
        Json.string(ladder()), BACKOFF_MAX.toMillis(), breaker, onFailure);
  }

  /** Every level one call to {@code m}: a failed plan has no lower level to go to, only the stand-in. */
  private static JsonNode ladder() {
    ObjectNode ladder = Json.MAPPER.createObjectNode().put("fleet", "fault-scenarios");
    ObjectNode levels = ladder.putObject("levels");
    for (Effort level : Effort.LEVELS) {
      levels.putObject(level.name().toLowerCase(Locale.ROOT)).put("strategy", "single")
          .putArray("steps").addObject().put("model", M);
    }
    return ladder;
  }

  /** A token for a counted directive that no other request shares. */
  static String token(String what) {
    return what.replaceAll("[^A-Za-z0-9]", "") + "-" + TOKENS.incrementAndGet();
  }

  /** Every upstream back to answering normally. */
  void heal() {
    for (FaultyUpstream u : List.of(a, b, c)) {
      u.failRandomly(Fault.NONE, 0, 0);
      u.eventGap(Duration.ZERO);
    }
  }

  /** Takes a deployment down: every request without a directive gets {@code fault}. */
  void down(FaultyUpstream upstream, Fault fault) {
    upstream.failRandomly(fault, 1.0, 1);
  }

  String name(FaultyUpstream upstream) {
    return byName.entrySet().stream().filter(e -> e.getValue() == upstream).findFirst().orElseThrow().getKey();
  }

  /** How many requests each deployment has received, to tell later which arrived since. */
  Map<String, Integer> counts() {
    return Map.of("a", a.count(), "b", b.count(), "c", c.count());
  }

  /** The requests each deployment received since {@code counts}: deployment, fault and last user text. */
  List<String> arrivalsSince(Map<String, Integer> counts) {
    List<String> list = new java.util.ArrayList<>();
    byName.forEach((name, upstream) -> upstream.requests().stream().skip(counts.get(name))
        .forEach(q -> list.add(name + " " + q.arrived() + " " + q.fault() + " " + FaultyUpstream.lastUserText(q.json()))));
    return list;
  }

  int cancelled() {
    return a.cancelled() + b.cancelled() + c.cancelled();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  /** A chat request in {@code api}'s format with this gateway's key; {@code headers} as name, value pairs. */
  ScenarioClient.Reply send(ScenarioClient.Api api, boolean stream, String prompt, String... headers) {
    return ScenarioClient.send(http, uri(api.path), key.secret(), api, stream, prompt, headers);
  }

  /** A GET with the key, e.g. {@code /healthz} or {@code /metrics}. */
  HttpResponse<String> get(String path, boolean withKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    if (withKey) {
      b.header("Authorization", "Bearer " + key.secret());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code /metrics}, read with the key. */
  String metrics() {
    HttpResponse<String> r = get("/metrics", true);
    assertThat(r.statusCode()).as("/metrics: %s", r.body()).isEqualTo(200);
    return r.body();
  }

  /**
   * The value of the Prometheus sample {@code name} with the labels {@code model}, {@code deployment}
   * and (unless null) {@code outcome}, in any order; 0 when there is none yet.
   */
  static double sample(String scrape, String name, String model, String deployment, String outcome) {
    return scrape.lines()
        .filter(l -> l.startsWith(name + "{") && l.contains("model=\"" + model + "\"")
            && l.contains("deployment=\"" + deployment + "\"") && (outcome == null || l.contains("outcome=\"" + outcome + "\"")))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
  }

  /** The sum of every sample of {@code name}, whatever its labels. */
  static double total(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** One ledger row, as far as these scenarios read it. */
  record Row(long id, Long keyId, String api, int status, double costUsd, String models, String error) {}

  /** The newest ledger row, or null when there is none. */
  Row lastRow() {
    try (Connection conn = DriverManager.getConnection(database);
        PreparedStatement q = conn.prepareStatement(
            "SELECT id, key_id, api, status, cost_usd, models, error FROM ledger ORDER BY id DESC LIMIT 1");
        ResultSet r = q.executeQuery()) {
      if (!r.next()) {
        return null;
      }
      long keyId = r.getLong(2);
      return new Row(r.getLong(1), r.wasNull() ? null : keyId, r.getString(3), r.getInt(4), r.getDouble(5),
          r.getString(6), r.getString(7));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The id of the newest ledger row (0 when there is none): a request's row is the one after it. */
  long lastRowId() {
    Row r = lastRow();
    return r == null ? 0 : r.id();
  }

  /** The row written for the request made after {@code before}: it must be the only one. */
  Row rowAfter(long before) {
    Row r = lastRow();
    assertThat(r).as("a ledger row for the request").isNotNull();
    assertThat(r.id()).as("exactly one new ledger row for the request").isEqualTo(before + 1);
    return r;
  }

  /** Rows by status, for the whole run. */
  Map<Integer, Long> rowsByStatus() {
    Map<Integer, Long> by = new java.util.TreeMap<>();
    try (Connection conn = DriverManager.getConnection(database);
        PreparedStatement q = conn.prepareStatement("SELECT status, COUNT(*) FROM ledger GROUP BY status");
        ResultSet r = q.executeQuery()) {
      while (r.next()) {
        by.put(r.getInt(1), r.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return by;
  }

  /** What the key has spent today, as its budget counts it (the store's figure). */
  double spentToday() {
    return store.ledger().spentUsd(key.key().id(), BudgetPeriod.DAY.start(Instant.now()));
  }

  /** Waits (at most 5 s) until {@code count} reaches {@code atLeast}; returns its last value. */
  static int awaitAtLeast(IntSupplier count, int atLeast) {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int n;
    while ((n = count.getAsInt()) < atLeast && System.nanoTime() < end) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return n;
  }

  @Override
  public void close() {
    http.close();
    gateway.close();
    store.close();
    a.close();
    b.close();
    c.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}
