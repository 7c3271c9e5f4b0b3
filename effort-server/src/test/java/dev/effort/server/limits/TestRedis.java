package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;

/**
 * The real Redis the shared-limit tests run against: system property {@code effort.test.redis},
 * default {@code redis://localhost:6379}. Missing Redis fails the tests, saying how to start one.
 */
final class TestRedis {
  static final String URI = System.getProperty("effort.test.redis", "redis://localhost:6379");

  private TestRedis() {}

  /** A new client (one per simulated gateway node), checked to reach Redis. */
  static RedisClient client() {
    RedisURI uri = RedisURI.create(URI);
    uri.setTimeout(Duration.ofSeconds(2));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().ping();
    } catch (RuntimeException e) {
      client.shutdown();
      fail("No Redis at " + URI + " (" + e.getMessage() + "). These tests need a real Redis: "
          + "apt-get install -y redis-server && redis-server --daemonize yes --port 6379, "
          + "or point -Deffort.test.redis=redis://host:port at one.");
    }
    return client;
  }

  /** Deletes every key under {@code prefix}, so tests leave nothing behind. */
  static void deleteUnder(RedisClient client, String prefix) {
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = c.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        c.sync().del(keys.toArray(String[]::new));
      }
    }
  }
}
