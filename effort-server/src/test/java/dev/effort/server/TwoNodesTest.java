package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two gateway processes sharing one PostgreSQL (keys, ledger) and one Redis (rate limits) enforce
 * one limit per key, not one per node.
 */
class TwoNodesTest {
  static final String POSTGRES = System.getProperty("effort.test.postgres",
      "jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres");
  static final String REDIS = System.getProperty("effort.test.redis", "redis://localhost:6379");

  @Test
  void twoNodesSharingRedisEnforceOneRateLimit() throws Exception {
    String schema = "two_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (var c = DriverManager.getConnection(POSTGRES)) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (java.sql.SQLException e) {
      throw new AssertionError("PostgreSQL is not reachable at " + POSTGRES.replaceAll("(?i)(password=)[^&]*", "$1***")
          + "; start it with scripts/start-services", e);
    }
    String db = POSTGRES + "&currentSchema=" + schema;
    int rpm = 20;
    String secret;
    try (Store store = Store.open(db)) {
      secret = store.keys().create(KeySpec.named("shared").rpm(rpm)).secret();
    }
    RedisClient redis = RedisClient.create(REDIS);
    try (var conn = redis.connect()) {
      // Key ids restart at 1 in a fresh schema: forget buckets of earlier runs.
      List<String> stale = conn.sync().keys("effort:rate:*");
      if (!stale.isEmpty()) {
        conn.sync().del(stale.toArray(String[]::new));
      }
    } finally {
      redis.shutdown();
    }

    GatewayNode.Started a = GatewayNode.start(db, REDIS);
    GatewayNode.Started b = GatewayNode.start(db, REDIS);
    try {
      String prompt = dev.effort.providers.data.RouterBenchCsv.loadFolder(RunningGateway.data()).get(0).prompts().get(0).prompt();
      String body = "{\"model\":\"effort-low\",\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt) + "}]}";
      HttpClient http = HttpClient.newHttpClient();
      long start = System.nanoTime();
      List<Future<HttpResponse<String>>> statuses = new ArrayList<>();
      // 16 clients at a time, as a busy application would send; not 80 at one instant.
      try (var pool = Executors.newFixedThreadPool(16)) {
        for (int i = 0; i < 80; i++) {
          int port = i % 2 == 0 ? a.port() : b.port();
          statuses.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
              .header("Authorization", "Bearer " + secret).timeout(Duration.ofSeconds(20))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      int allowed = 0;
      int limited = 0;
      java.util.Map<Integer, String> others = new java.util.TreeMap<>();
      for (Future<HttpResponse<String>> s : statuses) {
        int status = s.get().statusCode();
        allowed += status == 200 ? 1 : 0;
        limited += status == 429 ? 1 : 0;
        if (status != 200 && status != 429) {
          others.put(status, s.get().body());
        }
      }
      assertThat(others).as("statuses other than 200 and 429").isEmpty();
      // A bucket of `rpm` refills one request every 60/rpm seconds while the test runs.
      int refilled = (int) Math.ceil(seconds * rpm / 60.0);
      assertThat(allowed + limited).isEqualTo(80);
      assertThat(allowed).as("one limit of %d/min across both nodes (%.1f s)", rpm, seconds)
          .isGreaterThanOrEqualTo(rpm).isLessThanOrEqualTo(rpm + refilled);
      System.out.printf("two nodes: %d of 80 requests allowed, %d limited (rpm %d, %.1f s); each node alone would allow %d%n",
          allowed, limited, rpm, seconds, rpm);
    } finally {
      a.process().destroy();
      b.process().destroy();
    }
  }
}
