package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import dev.effort.server.Governance;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One backend for the whole stack: Helidon, HikariCP, Flyway, Lettuce and Effort's own lines all
 * reach Logback, in text or JSON, each line of a request carrying the id its response was sent with.
 */
class LogsTest {
  static final String REDIS = System.getProperty("effort.test.redis", "redis://localhost:6379");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @AfterEach
  void quietAgain() {
    Logs.configure("warn", "text");
  }

  /** A gateway with a SQLite store (Flyway, HikariCP) and limits shared through Redis (Lettuce), as serve starts it. */
  Gateway start(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("effort.yaml"), yaml);
    GatewayConfig config = GatewayConfig.read(file);
    Governance governance = Governance.open(config.governance(), dir);
    return Gateway.start(config, Fleets.fromConfig(config, TestData.routerBench()), Optional.empty(), governance, 0);
  }

  HttpResponse<String> get(Gateway gateway, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  List<JsonNode> jsonLines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(Json.MAPPER.readTree(line)); // every line is one JSON object, or this throws
      }
    }
    return lines;
  }

  @Test
  void everyComponentLogsThroughOneBackendAsJsonWithTheRequestIdOfTheResponse() throws Exception {
    Logs.configure("debug", "json", captured);
    HttpResponse<String> notAllowed;
    try (Gateway gateway = start("database: jdbc:sqlite:effort.db\nredis: " + REDIS + "\n")) {
      notAllowed = get(gateway, "/v1/chat/completions");
    }

    List<JsonNode> lines = jsonLines();
    List<String> loggers = lines.stream().map(l -> l.path("logger").asText()).toList();
    assertThat(loggers).as("Helidon (java.util.logging, bridged)").anyMatch(l -> l.startsWith("io.helidon."));
    assertThat(loggers).as("Flyway").anyMatch(l -> l.startsWith("org.flywaydb."));
    assertThat(loggers).as("HikariCP").anyMatch(l -> l.startsWith("com.zaxxer.hikari."));
    assertThat(loggers).as("Lettuce (Redis configured)").anyMatch(l -> l.startsWith("io.lettuce."));
    assertThat(lines).allSatisfy(l -> assertThat(l.fieldNames()).toIterable().contains("time", "level", "logger", "message"));

    String id = notAllowed.headers().firstValue("Effort-Request-Id").orElseThrow();
    assertThat(id).matches("req_[0-9a-f]{24}");
    assertThat(lines).as("the request's line names its id")
        .anySatisfy(l -> {
          assertThat(l.path("request_id").asText()).isEqualTo(id);
          assertThat(l.path("message").asText()).isEqualTo("GET /v1/chat/completions -> 405 in " + l.path("message").asText()
              .replaceAll(".* in ", ""));
        });
  }

  @Test
  void textLinesNameTheRequestIdAndErrorsCarryItInTheHeaderToo() throws Exception {
    Logs.configure("debug", "text", captured);
    HttpResponse<String> missing;
    try (Gateway gateway = start("database: jdbc:sqlite:effort.db\n")) {
      missing = get(gateway, "/no/such/path");
    }
    assertThat(missing.statusCode()).isEqualTo(404);
    String id = missing.headers().firstValue("Effort-Request-Id").orElseThrow();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains(" [" + id + "] - GET /no/such/path -> 404 in ")
        .doesNotContain("[] -"); // lines outside a request carry no empty brackets
  }

  @Test
  void threadsARequestStartsLogWithItsIdUntilItEnds() throws Exception {
    Logs.configure("info", "json", captured);
    java.util.logging.Logger probe = java.util.logging.Logger.getLogger("dev.effort.test.Probe");
    java.util.concurrent.atomic.AtomicReference<Thread> pooled = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch requestEnded = new java.util.concurrent.CountDownLatch(1);
    dev.effort.server.RequestIds.during("req_0123456789abcdef01234567", () -> {
      Thread child = Thread.ofVirtual().start(() -> probe.info("a parallel probe"));
      try {
        child.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      // A thread the request starts that outlives it (a pool's worker) must not keep its id.
      pooled.set(Thread.ofPlatform().start(() -> {
        try {
          requestEnded.await();
        } catch (InterruptedException e) {
          return;
        }
        probe.info("after the request");
      }));
    });
    requestEnded.countDown();
    pooled.get().join();
    probe.info("outside any request");

    List<JsonNode> lines = jsonLines().stream().filter(l -> l.path("logger").asText().equals("dev.effort.test.Probe")).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).path("message").asText()).isEqualTo("a parallel probe");
    assertThat(lines.get(0).path("request_id").asText()).isEqualTo("req_0123456789abcdef01234567");
    assertThat(lines.get(1).has("request_id")).as(lines.get(1).toString()).isFalse();
    assertThat(lines.get(2).has("request_id")).as(lines.get(2).toString()).isFalse();
  }

  @Test
  void infoLeavesDebugLinesOut() throws Exception {
    Logs.configure("info", "text", captured);
    try (Gateway gateway = start("database: jdbc:sqlite:effort.db\n")) {
      get(gateway, "/healthz");
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("INFO").doesNotContain("DEBUG").doesNotContain("GET /healthz ->");
  }

  @Test
  void anUnknownLevelOrFormatIsRefusedNamingTheAcceptedOnes() throws Exception {
    assertThatThrownBy(() -> Logs.configure("loud", "text", captured))
        .hasMessageContaining("error, warn, info, debug, trace");
    assertThatThrownBy(() -> Logs.configure("info", "xml", captured)).hasMessageContaining("text, json");
    Path file = Files.writeString(dir.resolve("bad.yaml"), "log_format: xml\n");
    assertThatThrownBy(() -> GatewayConfig.read(file)).hasMessageContaining("log_format").hasMessageContaining("text, json");
    Path good = Files.writeString(dir.resolve("good.yaml"), "log_format: JSON\nlog_level: debug\n");
    assertThat(GatewayConfig.LogSettings.read(good)).isEqualTo(
        new GatewayConfig.LogSettings(Optional.of("debug"), Optional.of("json")));
  }
}
