package dev.effort.benchmarks.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted Anthropic / OpenAI upstream for real agent clients (Claude Code, Codex) talking
 * through the gateway ({@code scripts/agent-clients}): it plays {@link ToolLoop} in the format of
 * the path asked ({@code /v1/messages}, {@code /v1/chat/completions}, {@code /v1/responses}),
 * JSON or server-sent events as the request's {@code stream} says, answers
 * {@code /v1/messages/count_tokens}, and appends one JSON line per request to the log: format,
 * path, query, model, stream, tools offered, the tool results it carried, its model and effort
 * knobs and what was answered. Like the real APIs it refuses (400, their error text) what breaks
 * a tool loop ({@link UpstreamFormat#invalid}); it can also fail a loop's first request as an
 * overloaded API does, or report a context nearly full ({@link ToolLoop} markers).
 *
 * <p>Usage: {@code AgentUpstream [--port N] [--port-file FILE] --log FILE [--requests FILE]}
 * ({@code --requests}: every request whole, headers and body, one JSON line each).
 */
public final class AgentUpstream implements AutoCloseable {
  private static final Map<String, UpstreamFormat> FORMATS = Map.of(
      "/v1/messages", new UpstreamFormat.Anthropic(),
      "/v1/chat/completions", new UpstreamFormat.Chat(),
      "/v1/responses", new UpstreamFormat.Responses());

  private final HttpServer server;
  private final Path log;
  private final Optional<Path> requests;
  private final AtomicLong ids = new AtomicLong();
  /** Loops already failed once for ToolLoop.OVERLOADED_ONCE: format, model and tools offered. */
  private final java.util.Set<String> overloaded = java.util.concurrent.ConcurrentHashMap.newKeySet();

  AgentUpstream(int port, Path log, Optional<Path> requests) throws IOException {
    this.log = log;
    this.requests = requests;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      try (ex) {
        handle(ex);
      } catch (RuntimeException | IOException e) {
        System.err.println("agent-upstream: " + e);
        throw e;
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String query = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readAllBytes();
    }
    Map<String, String> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
    JsonNode body;
    try {
      body = raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(raw);
    } catch (IOException e) {
      body = null;
    }
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("n", ids.incrementAndGet()).put("method", ex.getRequestMethod()).put("path", path).put("query", query);
    requests.ifPresent(file -> {
      ObjectNode whole = line.deepCopy();
      whole.set("headers", Json.MAPPER.valueToTree(headers));
      whole.put("body", new String(raw, StandardCharsets.UTF_8));
      append(file, whole);
    });
    if (body == null || !body.isObject()) {
      line.put("action", "400 not a JSON object");
      respond(ex, 400, "application/json", "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"body is not a JSON object\"}}");
    } else if (path.equals("/v1/messages/count_tokens")) {
      line.put("format", "anthropic").put("action", "count_tokens");
      respond(ex, 200, "application/json", Json.string(Json.MAPPER.createObjectNode().put("input_tokens", tokens(raw))));
    } else if (FORMATS.containsKey(path) && ex.getRequestMethod().equals("POST")) {
      UpstreamFormat format = FORMATS.get(path);
      ToolLoop.Turn turn = format.read(body);
      String id = ids.get() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
      ToolLoop.Action action = ToolLoop.next(turn, callId(format, id));
      String model = body.path("model").asText("unknown-model");
      boolean stream = body.path("stream").asBoolean(false);
      line.put("format", format.name()).put("model", model).put("stream", stream);
      line.set("tools", Json.MAPPER.valueToTree(turn.toolsOffered()));
      line.put("tool_result_count", turn.toolResults().size());
      line.set("tool_results", Json.MAPPER.valueToTree(turn.toolResults()));
      line.put("anthropic_beta", headers.getOrDefault("anthropic-beta", ""));
      line.put("knobs", knobs(body));
      Optional<String> invalid = format.invalid(body);
      if (invalid.isEmpty() && turn.prompt().contains(ToolLoop.OVERLOADED_ONCE)
          && overloaded.add(format.name() + " " + model + " " + turn.toolsOffered())) {
        // The first request of such a loop fails as an overloaded API fails; a retry goes through.
        UpstreamFormat.Overload o = format.overloaded();
        line.put("action", o.status() + " overloaded");
        respond(ex, o.status(), "application/json", Json.string(o.body()));
      } else if (invalid.isPresent()) {
        line.put("action", "400 " + invalid.get());
        UpstreamFormat.Reply reply = format.error(invalid.get());
        respond(ex, 400, reply.contentType(), reply.body());
      } else {
        line.put("action", (turn.thinking() ? "thinking+" : "") + action.describe());
        // A prompt holding ToolLoop.FULL_CONTEXT reports a context nearly full, as a long session
        // does, so that the agent compacts its history.
        long input = turn.prompt().contains(ToolLoop.FULL_CONTEXT) ? 950_000 : tokens(raw);
        UpstreamFormat.Reply reply = format.reply(action, turn, model, id, stream, input);
        respond(ex, 200, reply.contentType(), reply.body());
      }
    } else {
      line.put("action", "404");
      respond(ex, 404, "application/json",
          "{\"error\":{\"type\":\"not_found_error\",\"message\":\"agent upstream: no " + ex.getRequestMethod() + " " + path + "\"}}");
    }
    append(log, line);
    System.out.println(Json.string(line));
  }

  /**
   * The model and effort knobs of a request in one line (model, Anthropic thinking and
   * output_config.effort, OpenAI reasoning_effort and reasoning.effort), so that a check can see
   * whether they stay the same through one tool loop.
   */
  static String knobs(JsonNode body) {
    JsonNode thinking = body.path("thinking");
    return "model=" + body.path("model").asText("-")
        + " thinking=" + thinking.path("type").asText("-")
        + (thinking.has("budget_tokens") ? "/" + thinking.get("budget_tokens").asText() : "")
        + " output_config.effort=" + body.path("output_config").path("effort").asText("-")
        + " reasoning_effort=" + body.path("reasoning_effort").asText("-")
        + " reasoning.effort=" + body.path("reasoning").path("effort").asText("-");
  }

  /** Call ids in the shape each API uses; the call's number follows. */
  private static String callId(UpstreamFormat format, String id) {
    return (format instanceof UpstreamFormat.Anthropic ? "toolu_" : "call_") + id + "_";
  }

  /** About four bytes a token: enough for usage and cost to be non-zero. */
  private static long tokens(byte[] raw) {
    return Math.max(1, raw.length / 4);
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    if (contentType.equals("text/event-stream")) {
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static synchronized void append(Path file, JsonNode line) {
    try {
      Files.writeString(file, Json.string(line) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    int port = 0;
    Path log = null;
    Optional<Path> portFile = Optional.empty();
    Optional<Path> requests = Optional.empty();
    List<String> a = List.of(args);
    for (int i = 0; i < a.size(); i++) {
      String value = i + 1 < a.size() ? a.get(i + 1) : null;
      switch (a.get(i)) {
        case "--port" -> port = Integer.parseInt(value);
        case "--port-file" -> portFile = Optional.of(Path.of(value));
        case "--log" -> log = Path.of(value);
        case "--requests" -> requests = Optional.of(Path.of(value));
        default -> {
          System.err.println("usage: AgentUpstream [--port N] [--port-file FILE] --log FILE [--requests FILE]");
          System.exit(2);
        }
      }
      i++;
    }
    if (log == null) {
      System.err.println("agent-upstream: --log FILE is required");
      System.exit(2);
    }
    AgentUpstream upstream = new AgentUpstream(port, log, requests);
    System.out.println("agent-upstream: listening on http://127.0.0.1:" + upstream.port());
    if (portFile.isPresent()) {
      Files.writeString(portFile.get(), Integer.toString(upstream.port()));
    }
    Thread.currentThread().join();
  }
}
