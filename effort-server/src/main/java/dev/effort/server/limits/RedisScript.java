package dev.effort.server.limits;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** A Lua script Redis keeps by its SHA-1, so that each call sends 40 characters instead of the source. */
record RedisScript(String source, String sha) {

  /** Loads {@code source} into Redis (SCRIPT LOAD) through {@code connection}. */
  static RedisScript load(StatefulRedisConnection<String, String> connection, String source) {
    return new RedisScript(source, connection.sync().scriptLoad(source));
  }

  /**
   * Runs the script by its SHA-1 (EVALSHA): one round trip. A Redis that restarted or was told
   * SCRIPT FLUSH has forgotten it (NOSCRIPT): then the source is sent once (EVAL), which also makes
   * Redis keep it again.
   */
  <T> T run(StatefulRedisConnection<String, String> connection, ScriptOutputType type, String[] keys, String... args) {
    RedisCommands<String, String> redis = connection.sync();
    try {
      return redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException forgotten) {
      return redis.eval(source, type, keys, args);
    }
  }
}
