package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.server.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under steady load, {@code kill -9} the gateway, then count: every request a client saw
 * answered has its ledger row (the row is committed before the answer is sent).
 */
class CrashTest {
  @TempDir Path dir;

  @Test
  void everyAnswerAClientSawIsInTheLedgerAfterAKill9() throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("effort.db");
    GatewayNode.Started node = GatewayNode.start(db, "-");
    String prompt = dev.effort.providers.data.RouterBenchCsv.loadFolder(RunningGateway.data()).get(0).prompts().get(0).prompt();
    String body = "{\"model\":\"effort-low\",\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt) + "}]}";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + node.port() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();

    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    for (int c = 0; c < 8; c++) {
      pool.submit(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().endsWith("}}")) {
              answered.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
        return null;
      });
    }
    while (answered.get() < 300) {
      Thread.sleep(20);
    }
    node.process().destroyForcibly();
    node.process().waitFor(10, TimeUnit.SECONDS);
    running.set(false);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    long seen = answered.get();

    GatewayNode.Started restarted = GatewayNode.start(db, "-");
    restarted.process().destroy();
    try (Store store = Store.open(db)) {
      long rows = store.ledger().count();
      assertThat(rows).as("ledger rows after kill -9 and restart, for %d answers clients saw", seen).isGreaterThanOrEqualTo(seen);
      assertThat(rows - seen).as("rows of requests cut off before their answer arrived").isLessThanOrEqualTo(8);
    }
    System.out.printf("crash test: %d answers seen by clients, %d requests failed (cut off by kill -9, then refused); every answer is in the ledger after restart%n",
        seen, failed.get());
  }
}
