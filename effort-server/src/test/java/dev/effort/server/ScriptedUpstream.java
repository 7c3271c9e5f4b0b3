package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the Anthropic ({@code /v1/messages}) and OpenAI ({@code /v1/chat/completions})
 * APIs that answers each request with the next reply a test queued for its path, byte for byte
 * (a JSON body, or a server-sent event stream in the exact upstream format), and records every
 * request: path, query, headers and body, so that a test can assert the exact upstream request.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** One request as received. Header names are lower case. */
  record Received(String path, String query, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A reply: status, content type and body. */
  record Reply(int status, String contentType, String body) {
    static Reply json(String body) {
      return new Reply(200, "application/json", body);
    }

    static Reply json(int status, String body) {
      return new Reply(status, "application/json", body);
    }

    /** Server-sent events; {@code events} is the whole stream text, e.g. built with {@link #event}. */
    static Reply sse(String events) {
      return new Reply(200, "text/event-stream", events);
    }
  }

  /** One Anthropic-style event: {@code event: name} and its data line. */
  static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  /** One OpenAI-style event: a data line only. */
  static String data(String data) {
    return "data: " + data + "\n\n";
  }

  final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, ConcurrentLinkedDeque<Reply>> replies = new ConcurrentHashMap<>();

  ScriptedUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues the reply to the next request on {@code path} (e.g. {@code /v1/messages}). */
  ScriptedUpstream reply(String path, Reply reply) {
    replies.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).add(reply);
    return this;
  }

  /** The requests received on {@code path}, oldest first. */
  List<Received> on(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /**
   * A provider of {@code type} ({@code anthropic}, {@code openai}) serving {@code models} from this
   * upstream, its key read from {@code EFFORT_TEST_UPSTREAM_KEY} (which surefire sets).
   */
  GatewayConfig.ProviderConfig provider(String name, String type, String... models) {
    return new GatewayConfig.ProviderConfig(name, type, baseUrl(), "EFFORT_TEST_UPSTREAM_KEY", List.of(models));
  }

  /** A gateway on a free port whose providers all point here; {@code ladder} as the config's, if any. */
  Gateway startGateway(Optional<JsonNode> ladder, GatewayConfig.ProviderConfig... providers) {
    GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.HIGH, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
        Optional.empty(), 1.0, List.of(providers), List.of(), ladder);
    return Gateway.start(config, Fleets.fromConfig(config, Path.of("unused")), Optional.empty(), 0);
  }

  void reset() {
    received.clear();
    replies.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
    String path = ex.getRequestURI().getPath();
    received.add(new Received(path, ex.getRequestURI().getRawQuery(), headers, body));
    ConcurrentLinkedDeque<Reply> queue = replies.get(path);
    Reply reply = queue == null ? null : queue.poll();
    if (reply == null) {
      reply = Reply.json(500, "{\"error\":{\"message\":\"the test queued no reply for " + path + "\"}}");
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    ex.sendResponseHeaders(reply.status(), reply.contentType().equals("text/event-stream") ? 0 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
