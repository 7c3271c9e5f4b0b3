package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Effort;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing over raw sockets, both APIs: malformed HTTP (framing, request lines, headers,
 * paths), malformed JSON and hostile values, against a gateway with keys, a budget, the SQLite
 * ledger and live providers on a local upstream. No response is a 500, none hangs, nothing is
 * logged at SEVERE, and {@code /healthz} answers throughout.
 *
 * <p>Runs a few seconds by default; {@code -Deffort.fuzz.seconds=180} runs longer and {@code
 * -Deffort.fuzz.seed=N} replays a run.
 */
class FuzzTest {
  static final int SILENCE_MILLIS = 10_000;

  @TempDir Path dir;

  final AtomicLong logBytes = new AtomicLong();
  final AtomicLong severe = new AtomicLong();
  final Handler capture = new Handler() {
    final SimpleFormatter format = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      logBytes.addAndGet(format.format(r).length());
      if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.incrementAndGet();
        System.err.println("FUZZ SEVERE: " + format.format(r));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @Test
  void hostileTrafficGetsNo500AndNoHangAndHealthzAnswersThroughout() throws Exception {
    long seconds = Long.getLong("effort.fuzz.seconds", 4);
    long seed = Long.getLong("effort.fuzz.seed", 20261202L);
    Logger.getLogger("").addHandler(capture);
    try (FakeUpstreams upstream = new FakeUpstreams()) {
      Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
      String secret = store.keys().create(KeySpec.named("fuzz").budgetUsdDay(5.0)).secret();
      Governance governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
          Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
      GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.LOW, 256 * 1024, Optional.empty(), 1.0, List.of(
          new GatewayConfig.ProviderConfig("claude", "anthropic", upstream.baseUrl(), "EFFORT_TEST_UPSTREAM_KEY",
              List.of("claude-sonnet-4-5", "claude-haiku-4-5")),
          new GatewayConfig.ProviderConfig("oai", "openai", upstream.baseUrl(), "EFFORT_TEST_UPSTREAM_KEY",
              List.of("gpt-5", "gpt-5-mini"))), List.of(), Optional.empty());
      Gateway gateway = Gateway.start(config, Fleets.fromConfig(config, Path.of("unused")), Optional.empty(), governance, 0);
      Map<Integer, Integer> statuses = new TreeMap<>();
      int requests = 0;
      int hangs = 0;
      int healthzFailures = 0;
      try {
        Fuzz fuzz = new Fuzz(new Random(seed), secret);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
          byte[] request = fuzz.next();
          RawHttp.Exchange r = RawHttp.send(gateway.port(), request, SILENCE_MILLIS);
          requests++;
          if (r.hung()) {
            hangs++;
            System.err.println("FUZZ HANG on:\n" + new String(request, 0, Math.min(600, request.length), StandardCharsets.ISO_8859_1));
          }
          for (int s : r.statuses()) {
            statuses.merge(s, 1, Integer::sum);
            if (s == 500) {
              System.err.println("FUZZ 500 on:\n" + new String(request, 0, Math.min(600, request.length), StandardCharsets.ISO_8859_1)
                  + "\n--- answer:\n" + r.text());
            }
          }
          if (requests % 25 == 0) {
            RawHttp.Exchange health = RawHttp.send(gateway.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            if (health.first() != 200) {
              healthzFailures++;
            }
          }
        }
        RawHttp.Exchange health = RawHttp.send(gateway.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(health.first()).as("healthz after the run").isEqualTo(200);
      } finally {
        gateway.close();
      }
      long db = Files.size(dir.resolve("effort.db"));
      Path wal = dir.resolve("effort.db-wal");
      long walBytes = Files.exists(wal) ? Files.size(wal) : 0;
      System.out.printf("FUZZ seed=%d seconds=%d requests=%d statuses=%s hangs=%d healthz_failures=%d severe=%d"
          + " log_bytes=%d db_bytes=%d wal_bytes=%d%n", seed, seconds, requests, statuses, hangs, healthzFailures, severe.get(),
          logBytes.get(), db, walBytes);
      assertThat(statuses.getOrDefault(500, 0)).as("responses 500 (seed %d)", seed).isZero();
      assertThat(hangs).as("hangs (seed %d)", seed).isZero();
      assertThat(healthzFailures).as("healthz failures").isZero();
      assertThat(severe.get()).as("SEVERE log records").isZero();
      assertThat(requests).isPositive();
    } finally {
      Logger.getLogger("").removeHandler(capture);
    }
  }

  /** Makes one hostile request at a time, from a seed. */
  static final class Fuzz {
    final Random random;
    final String secret;

    Fuzz(Random random, String secret) {
      this.random = random;
      this.secret = secret;
    }

    <T> T pick(List<T> items) {
      return items.get(random.nextInt(items.size()));
    }

    static final List<String> HOSTILE = List.of("9223372036854775807", "-9223372036854775808", "99999999999999999999",
        "1e30", "-1e30", "1e-30", "0", "-1", "2147483647", "-2147483648", "1.5", "NaN", "null", "true", "false", "[]", "{}",
        "\"\"", "\"9223372036854775807ms\"", "\"1e30s\"", "\"-5s\"", "\"99999999999999999999s\"", "\"0.0000001ms\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"%25zz\"", "\"" + "x".repeat(5000) + "\"", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
        "{\"a\":{\"b\":{\"c\":{}}}}", "\"effort\"", "\"low\"", "\"max\"", "\"auto\"", "\"gpt-5\"", "\"claude-sonnet-4-5\"");

    static final List<String> FIELDS = List.of("model", "messages", "max_tokens", "max_completion_tokens", "stream", "deadline",
        "max_cost_usd", "effort", "reasoning_effort", "reasoning", "output_config", "temperature", "n", "stop", "stop_sequences",
        "tools", "tool_choice", "system", "thinking", "metadata", "stream_options", "top_p", "user");

    static final List<String> HEADERS = List.of("Effort", "X-Effort", "Effort-Deadline", "Effort-Max-Cost-Usd",
        "anthropic-beta", "openai-beta", "x-api-key", "Authorization", "Content-Type", "anthropic-version");

    static final List<String> PATHS = List.of("/v1/chat/completions", "/v1/messages", "/v1/messages/count_tokens",
        "/v1/models", "/v1/models/%25", "/v1/models/%25zz", "/v1/models/gpt-5", "/v1/models/%2F..%2F", "/healthz", "/metrics",
        "/admin/keys", "/admin/usage?by=nothing", "/v1/chat/completions?x=%zz", "/%", "/v1/models/" + "a".repeat(3000));

    byte[] next() {
      return switch (random.nextInt(10)) {
        case 0, 1, 2 -> http(pick(List.of("/v1/chat/completions", "/v1/messages")), hostileJson(), false);
        case 3, 4 -> http(pick(List.of("/v1/chat/completions", "/v1/messages", "/v1/messages/count_tokens")), brokenJson(), false);
        case 5, 6 -> http(pick(List.of("/v1/chat/completions", "/v1/messages")), hostileJson(), true);
        case 7 -> malformedRequest();
        case 8 -> get(pick(PATHS));
        default -> http(pick(List.of("/v1/chat/completions", "/v1/messages")), validJson(), random.nextBoolean());
      };
    }

    String validJson() {
      boolean stream = random.nextInt(4) == 0;
      return "{\"model\":\"" + pick(List.of("effort", "effort-low", "gpt-5-mini", "claude-haiku-4-5")) + "\",\"max_tokens\":"
          + (1 + random.nextInt(200)) + ",\"stream\":" + stream
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
    }

    /** A plausible request with some fields set to hostile values. */
    String hostileJson() {
      StringBuilder b = new StringBuilder("{");
      int n = 1 + random.nextInt(5);
      b.append("\"model\":").append(random.nextInt(4) == 0 ? pick(HOSTILE) : "\"effort\"");
      b.append(",\"messages\":");
      b.append(random.nextInt(4) == 0 ? pick(HOSTILE)
          : "[{\"role\":" + (random.nextInt(5) == 0 ? pick(HOSTILE) : "\"user\"") + ",\"content\":"
              + (random.nextInt(4) == 0 ? pick(HOSTILE) : "\"What is 2+2?\"") + "}]");
      for (int i = 0; i < n; i++) {
        b.append(",\"").append(pick(FIELDS)).append("\":").append(pick(HOSTILE));
      }
      if (random.nextBoolean()) {
        b.append(",\"max_tokens\":").append(random.nextInt(3) == 0 ? pick(HOSTILE) : Integer.toString(1 + random.nextInt(100)));
      }
      return b.append('}').toString();
    }

    /** Valid JSON cut short, or with bytes replaced. */
    String brokenJson() {
      String json = random.nextBoolean() ? validJson() : hostileJson();
      if (random.nextBoolean()) {
        return json.substring(0, random.nextInt(json.length()));
      }
      char[] c = json.toCharArray();
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        String junk = "{}[]\",:\\\u0000é\n";
        c[random.nextInt(c.length)] = junk.charAt(random.nextInt(junk.length()));
      }
      return new String(c);
    }

    String headers(boolean anthropic) {
      StringBuilder h = new StringBuilder();
      int auth = random.nextInt(6);
      if (auth > 0) {
        h.append(auth == 1 ? "Authorization: Bearer wrong-key\r\n" : "Authorization: Bearer " + secret + "\r\n");
      }
      if (anthropic) {
        h.append("anthropic-version: 2023-06-01\r\n");
      }
      if (random.nextInt(3) == 0) {
        String value = pick(HOSTILE).replace("\"", "");
        h.append(pick(HEADERS)).append(": ").append(value.length() > 200 ? value.substring(0, 200) : value).append("\r\n");
      }
      return h.toString();
    }

    byte[] http(String path, String json, boolean chunked) {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          + "Content-Type: application/json\r\n" + headers(path.startsWith("/v1/messages")));
      if (!chunked) {
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
      }
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      StringBuilder chunks = new StringBuilder();
      int at = 0;
      String text = new String(body, StandardCharsets.ISO_8859_1);
      while (at < text.length()) {
        int len = Math.min(text.length() - at, 1 + random.nextInt(40));
        String size = Integer.toHexString(len);
        switch (random.nextInt(12)) {
          case 0 -> size = size + ";ext=1";
          case 1 -> size = pick(List.of("zz", "-1", "ffffffffffffffff", "7fffffff", "", " ", "0x10"));
          case 2 -> size = Integer.toHexString(len + 1 + random.nextInt(50));
          default -> { }
        }
        chunks.append(size).append("\r\n").append(text, at, at + len).append("\r\n");
        at += len;
      }
      chunks.append(random.nextInt(5) == 0 ? "0\r\nX-Trailer: 1\r\n\r\n" : random.nextInt(8) == 0 ? "" : "0\r\n\r\n");
      return (head + chunks.toString()).getBytes(StandardCharsets.ISO_8859_1);
    }

    byte[] get(String path) {
      return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers(random.nextBoolean()) + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
    }

    byte[] malformedRequest() {
      String body = validJson();
      return (switch (random.nextInt(12)) {
        case 0 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n" + body;
        case 1 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n" + body;
        case 2 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\nConnection: close\r\n\r\n" + body;
        case 3 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: " + (body.length() + 100) + "\r\nConnection: close\r\n\r\n" + body;
        case 4 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body;
        case 5 -> "GARBAGE\r\n\r\n";
        case 6 -> "POST /v1/chat/completions HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n";
        case 7 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nBad Header Line\r\nConnection: close\r\n\r\n";
        case 8 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n" + body;
        case 9 -> "GET /v1/models/%" + "zz".repeat(random.nextInt(5)) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        case 10 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n" + body;
        default -> "POST /v1/chat/completions HTTP/1.1\r\nHost: a:b:c\r\nX: " + "y".repeat(20_000) + "\r\nConnection: close\r\n\r\n";
      }).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
      byte[] out = new byte[a.length + b.length];
      System.arraycopy(a, 0, out, 0, a.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
