package dev.effort.benchmarks.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The governance a gateway runs with, as {@code effort serve} always runs it: one API key with a
 * daily budget and a rate limit, its ledger in SQLite, or in PostgreSQL with limits and budgets in
 * Redis. Each run gets a fresh database (a new file, a new schema) and drops it afterwards.
 *
 * @param name as the report names it
 * @param database the JDBC URL of keys and ledger
 * @param redis where rate limits and budgets are shared, if anywhere
 * @param drop removes what the run left behind
 */
record GatewaySetup(String name, String database, Optional<String> redis, Runnable drop) {
  static final String SQLITE = "sqlite";
  static final String POSTGRES = "postgres+redis";
  /** Far above any run's spending and rate: the budget and the limit are checked on every request, never hit. */
  static final double BUDGET_USD_DAY = 100_000;
  static final int RPM = 10_000_000;
  /**
   * Machine speed is intended here: the tempo guard throttles a key only above this many requests a
   * second (five times that for an agent key), so the load is measured, not refused with 429s.
   */
  static final int TEMPO_MIN_REQUESTS_PER_SECOND = 1_000_000;
  /** Budgets and rate buckets are kept under the key's id, which restarts at 1 in a fresh schema. */
  private static final String REDIS_PATTERN = "effort:*";

  /** A new SQLite file in {@code dir}. */
  static GatewaySetup sqlite(Path dir) {
    Path file = dir.resolve("effort-" + UUID.randomUUID() + ".db");
    return new GatewaySetup(SQLITE, "jdbc:sqlite:" + file, Optional.empty(), () -> {
      for (String suffix : List.of("", "-wal", "-shm")) {
        try {
          Files.deleteIfExists(Path.of(file + suffix));
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    });
  }

  /**
   * A new schema in the PostgreSQL database at {@code postgresUrl}, limits and budgets in the Redis
   * database at {@code redisUrl}, which is emptied of Effort's keys before and after (its database
   * number keeps it apart from the tests' Redis keys).
   */
  static GatewaySetup postgres(String postgresUrl, String redisUrl) throws SQLException {
    String schema = "effort_load_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    sql(postgresUrl, "CREATE SCHEMA " + schema);
    forgetRedisKeys(redisUrl);
    String url = postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new GatewaySetup(POSTGRES, url, Optional.of(redisUrl), () -> {
      try {
        sql(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("load-gateway: could not drop schema " + schema + ": " + e.getMessage());
      }
      forgetRedisKeys(redisUrl);
    });
  }

  /** Creates the store (migrating it) and the load's key; returns the key's secret. */
  String createKey() {
    try (Store store = Store.open(database)) {
      return store.keys().create(KeySpec.named("load").budgetUsdDay(BUDGET_USD_DAY).rpm(RPM).agent(true)).secret();
    }
  }

  /**
   * A config file for {@code effort serve}: two openai-compatible upstreams, {@code fast} (answers
   * at once; the first model, so every level calls it) and {@code slow} (a paced stream, asked for
   * by its model name), and this setup's governance. Written as JSON, which YAML reads as is.
   */
  Path writeConfig(Path dir, int fastPort, int slowPort) throws IOException {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("port", 0);
    c.put("log_level", "warn");
    c.put("database", database);
    redis.ifPresent(r -> c.put("redis", r));
    c.put("tempo_min_requests_per_second", TEMPO_MIN_REQUESTS_PER_SECOND);
    ArrayNode providers = c.putArray("providers");
    ArrayNode catalog = c.putArray("catalog");
    upstream(providers, catalog, "fast", LoadGateway.MODEL, fastPort);
    upstream(providers, catalog, "slow", LoadGateway.SLOW_MODEL, slowPort);
    Path file = dir.resolve("gateway-" + name.replace('+', '-') + ".yaml");
    Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    return file;
  }

  /** An openai-compatible provider at {@code port} serving {@code model}, and the model's catalog entry. */
  private static void upstream(ArrayNode providers, ArrayNode catalog, String name, String model, int port) {
    ObjectNode p = providers.addObject();
    p.put("name", name);
    p.put("type", "openai-compatible");
    p.put("base_url", "http://127.0.0.1:" + port);
    p.putArray("models").add(model);
    ObjectNode m = catalog.addObject();
    m.put("id", model);
    m.put("provider", "openai-compatible");
    m.put("input_usd_per_million", 0.15);
    m.put("output_usd_per_million", 0.6);
    m.put("ttft_ms", 1);
    m.put("output_tokens_per_second", 10_000);
    m.put("context_window", 128_000);
    m.put("source", "load-gateway: a local fake upstream");
    m.put("knob", "none");
    m.putArray("levels");
    m.put("max_output_tokens", 4096);
  }

  private static void sql(String url, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static void forgetRedisKeys(String redisUrl) {
    RedisClient client = RedisClient.create(redisUrl);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> stale = connection.sync().keys(REDIS_PATTERN);
      if (!stale.isEmpty()) {
        connection.sync().del(stale.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }
}
