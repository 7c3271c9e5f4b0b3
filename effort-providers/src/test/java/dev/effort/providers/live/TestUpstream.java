package dev.effort.providers.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a free loopback port that plays an upstream API: it records each request
 * and answers with exact bodies, error bodies or server-sent events, as a test scripts it.
 */
final class TestUpstream implements AutoCloseable {

  /** One request as the upstream received it; header names in lower case. */
  record Received(String method, String path, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** How the upstream answers. */
  @FunctionalInterface
  interface Reply {
    void send(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Reply reply = json(500, "{}");

  private TestUpstream(HttpServer server) {
    this.server = server;
  }

  static TestUpstream start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      TestUpstream upstream = new TestUpstream(server);
      server.createContext("/", upstream::handle);
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loopback URL where nothing listens: calls to it are refused. */
  static URI refusingUrl() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void reply(Reply next) {
    this.reply = next;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  Received only() {
    if (received.size() != 1) {
      throw new AssertionError("expected exactly one request upstream, got " + received.size());
    }
    return received.get(0);
  }

  /** A whole JSON answer. */
  static Reply json(int status, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  /** A {@code text/event-stream} answer, each part written and flushed on its own. */
  static Reply events(String... parts) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (String part : parts) {
          out.write(part.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    };
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
      try {
        reply.send(exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientWentAway) {
        // the provider closed the connection (a deadline, an error event): nothing more to send
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
