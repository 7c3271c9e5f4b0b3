package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.effort.core.Effort;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.LedgerEntry;
import dev.effort.server.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cut streams are charged: a client that closes a stream mid-answer, or an upstream that breaks
 * off after some chunks, leaves a ledger row with the tokens streamed so far and their cost, and
 * the key's budget settles to that cost.
 */
class CutStreamTest {
  static final int CHUNKS = 40;
  @TempDir Path dir;

  /** Streams Anthropic text deltas slowly; with {@code breakOff}, drops the connection after five. */
  static HttpServer slowUpstream(boolean breakOff) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    // Throwing out of the handler makes the server drop the connection, its chunked body unfinished.
    server.createContext("/v1/messages", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      write(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-haiku-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":40,"
          + "\"output_tokens\":1}}}");
      write(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      for (int i = 0; i < CHUNKS; i++) {
        if (breakOff && i == 5) {
          throw new IOException("this upstream breaks off mid-stream");
        }
        write(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"The quick brown fox jumps over the lazy dog. \"}}");
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      write(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      write(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":" + (CHUNKS * 10) + "}}");
      write(out, "message_stop", "{\"type\":\"message_stop\"}");
      out.close();
    });
    server.start();
    return server;
  }

  static void write(OutputStream out, String name, String data) throws IOException {
    out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  record Setup(Store store, String secret, long keyId, RunningGateway gateway) {}

  Setup start(HttpServer upstream) {
    Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    String secret = store.keys().create(KeySpec.named("cut").budgetUsdDay(1.0)).secret();
    long keyId = store.keys().list().get(0).id();
    Governance governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.LOW, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
        Optional.empty(), 1.0, List.of(new GatewayConfig.ProviderConfig("claude", "anthropic",
            "http://127.0.0.1:" + upstream.getAddress().getPort(), "EFFORT_TEST_UPSTREAM_KEY", List.of("claude-haiku-4-5"))),
        List.of(), Optional.empty());
    return new Setup(store, secret, keyId, new RunningGateway(Gateway.start(config,
        Fleets.fromConfig(config, Path.of("unused")), Optional.empty(), governance, 0)));
  }

  static String streamRequest(String secret) {
    String body = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":1000,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story.\"}]}";
    return "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nanthropic-version: 2023-06-01\r\n"
        + "x-api-key: " + secret + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  static LedgerEntry onlyRow(Store store) throws InterruptedException {
    for (int i = 0; i < 100 && store.ledger().count() == 0; i++) {
      Thread.sleep(50); // the gateway notices the cut at its next write
    }
    assertThat(store.ledger().count()).isEqualTo(1);
    return store.ledger().get(store.ledger().count()).orElseGet(() -> store.ledger().get(1).orElseThrow());
  }

  @Test
  void aStreamTheClientClosesMidAnswerIsChargedForTheTokensSoFar() throws Exception {
    HttpServer upstream = slowUpstream(false);
    Setup s = start(upstream);
    try {
      try (Socket client = new Socket("127.0.0.1", s.gateway().gateway.port())) {
        client.getOutputStream().write(streamRequest(s.secret()).getBytes(StandardCharsets.UTF_8));
        client.setSoTimeout(10_000);
        InputStream in = client.getInputStream();
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while (count(seen.toString(), "text_delta") < 3) {
          int n = in.read(buf);
          assertThat(n).as("the stream ended before three deltas:\n" + seen).isPositive();
          seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } // closed mid-answer
      LedgerEntry row = onlyRow(s.store());

      assertThat(row.status()).isEqualTo(499);
      assertThat(row.outputTokens()).as("tokens streamed before the cut").isBetween(20L, (long) CHUNKS * 10);
      assertThat(row.inputTokens()).isPositive();
      assertThat(row.costUsd()).isPositive();
      assertThat(s.store().ledger().spentUsd(s.keyId(), Instant.EPOCH)).as("the budget settles to the cost").isEqualTo(row.costUsd());
    } finally {
      s.gateway().close();
      upstream.stop(0);
    }
  }

  @Test
  void aStreamTheUpstreamBreaksOffIsChargedForTheTokensItSent() throws Exception {
    HttpServer upstream = slowUpstream(true);
    Setup s = start(upstream);
    try {
      RawHttp.Exchange r = RawHttp.send(s.gateway().gateway.port(),
          streamRequest(s.secret()).replace("Content-Length", "Connection: close\r\nContent-Length")
              .getBytes(StandardCharsets.UTF_8), 10_000);
      assertThat(r.text()).contains("text_delta").contains("error");
      LedgerEntry row = onlyRow(s.store());

      assertThat(row.status()).isEqualTo(502);
      assertThat(row.outputTokens()).as("five deltas of ten tokens").isBetween(40L, 60L);
      assertThat(row.costUsd()).isPositive();
      assertThat(row.error()).isNotBlank();
    } finally {
      s.gateway().close();
      upstream.stop(0);
    }
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
