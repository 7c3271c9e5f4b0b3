package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Json;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A gateway on a free port serving the recorded outcomes, and a plain HTTP client for it. */
final class RunningGateway implements AutoCloseable {
  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<RecordedPrompt> arc;

  RunningGateway(GatewayConfig config) {
    Path data = data();
    this.gateway = Gateway.start(config, Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), data), Optional.empty(), 0);
    this.arc = RouterBenchCsv.loadFolder(data).stream()
        .filter(d -> d.name().equals("arc_challenge_train")).findFirst().orElseThrow().prompts();
  }

  /** A client of a gateway started elsewhere (no recorded prompts). */
  RunningGateway(Gateway gateway) {
    this.gateway = gateway;
    this.arc = List.of();
  }

  RunningGateway() {
    this(GatewayConfig.defaults());
  }

  static Path data() {
    String root = System.getProperty("effort.data");
    assertThat(root).as("system property effort.data (the recorded data folder)").isNotBlank();
    Path dir = Path.of(root, "routerbench");
    assertThat(Files.isDirectory(dir)).as(dir.toString()).isTrue();
    return dir;
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + gateway.port() + path);
  }

  HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.MAPPER.readTree(response.body());
  }

  /** A JSON string literal of {@code text}. */
  static String quote(String text) {
    return Json.string(text);
  }

  @Override
  public void close() {
    gateway.close();
  }
}
