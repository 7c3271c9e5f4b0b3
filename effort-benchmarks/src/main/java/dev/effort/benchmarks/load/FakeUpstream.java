package dev.effort.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible upstream ({@code POST /v1/chat/completions}, whole JSON or server-sent
 * events, text or a tool call). Unpaced it answers at once, so that any time measured through the
 * gateway beyond it is the gateway's own; paced it streams one delta per pause, as a slow model
 * holds a stream open.
 *
 * <p>Helidon SE, the gateway's own server: on virtual threads it answers several thousand requests
 * a second on two cores, more than the JDK's HttpServer, and costs the same in both the direct and
 * the gateway scenarios, so it cancels out of the difference.
 */
final class FakeUpstream implements AutoCloseable {
  /** The answer, one streamed delta per piece. */
  static final List<String> PIECES = List.of("Hello", "!", " How", " can", " I", " help", " you", " today?");

  private static final String ANSWER = String.join("", PIECES);
  /** A tool call's arguments in as many pieces as the text answer has, less the chunk that names the call. */
  static final List<String> ARGUMENT_PIECES = List.of("{\"ci", "ty\"", ": \"", "Pa", "ri", "s\"", "}");
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final Duration pause;
  private final int deltas;
  private WebServer server;

  private FakeUpstream(Duration pause, int deltas) {
    this.pause = pause;
    this.deltas = deltas;
  }

  /** Answers at once: {@link #PIECES} as whole text, or one event each. */
  static FakeUpstream start() {
    return start(Duration.ZERO, PIECES.size());
  }

  /**
   * Streams {@code deltas} deltas (the pieces over and over; a tool call's arguments stay whole)
   * with {@code pause} before each; whole answers still come at once.
   */
  static FakeUpstream start(Duration pause, int deltas) {
    FakeUpstream self = new FakeUpstream(pause, deltas);
    WebServer server = WebServer.builder()
        .host("127.0.0.1")
        .port(0)
        // Without TCP_NODELAY each flushed event may wait ~40 ms for Nagle's algorithm.
        .connectionOptions(socket -> socket.tcpNoDelay(true))
        .routing(r -> r.post("/v1/chat/completions", self::chat))
        .build();
    self.server = server;
    server.start();
    return self;
  }

  /** Streams being written right now: what the gateway holds open upstream. */
  int openStreams() {
    return openStreams.get();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }

  private void chat(ServerRequest req, ServerResponse res) throws IOException {
    JsonNode body;
    try (InputStream in = req.content().inputStream()) {
      body = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      error(res, "the request body is not valid JSON");
      return;
    }
    if (body == null || !body.isObject() || !body.path("messages").isArray()) {
      error(res, "expected a JSON object with messages");
      return;
    }
    String model = body.path("model").asText("fake-model");
    String id = "chatcmpl-fake" + ids.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    long promptTokens = promptTokens(body.path("messages"));
    if (!body.path("stream").asBoolean(false)) {
      ObjectNode o = header(id, "chat.completion", created, model);
      ObjectNode choice = o.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", ANSWER);
      choice.put("finish_reason", "stop");
      o.set("usage", usage(promptTokens, PIECES.size()));
      res.header("Content-Type", "application/json");
      res.send(Json.bytes(o));
      return;
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    boolean calling = body.path("tools").isArray() && !body.path("tools").isEmpty();
    res.header("Content-Type", "text/event-stream");
    res.header("Cache-Control", "no-cache");
    openStreams.incrementAndGet();
    try (OutputStream out = res.outputStream()) {
      int count = calling ? PIECES.size() : deltas;
      for (int i = 0; i < count; i++) {
        pause();
        if (calling) {
          event(out, Json.string(toolCallChunk(id, created, model, i)));
          continue;
        }
        ObjectNode chunk = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (i == 0) {
          delta.put("role", "assistant");
        }
        delta.put("content", PIECES.get(i % PIECES.size()));
        choice.putNull("finish_reason");
        event(out, Json.string(chunk));
      }
      ObjectNode finish = header(id, "chat.completion.chunk", created, model);
      ObjectNode choice = finish.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("delta");
      choice.put("finish_reason", calling ? "tool_calls" : "stop");
      event(out, Json.string(finish));
      if (includeUsage) {
        ObjectNode usage = header(id, "chat.completion.chunk", created, model);
        usage.putArray("choices");
        usage.set("usage", usage(promptTokens, count));
        event(out, Json.string(usage));
      }
      event(out, "[DONE]");
    } finally {
      openStreams.decrementAndGet();
    }
  }

  private void pause() {
    if (pause.isZero()) {
      return;
    }
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pacing a stream", e);
    }
  }

  /**
   * One chunk of a streamed tool call as OpenAI sends it: the first names the call, the rest carry
   * pieces of its JSON arguments, as many as a text answer has pieces.
   */
  private static ObjectNode toolCallChunk(String id, long created, String model, int i) {
    ObjectNode chunk = header(id, "chat.completion.chunk", created, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0);
    if (i == 0) {
      delta.put("role", "assistant");
      delta.putNull("content");
      call.put("id", "call_" + id).put("type", "function");
      call.putObject("function").put("name", "get_weather").put("arguments", "");
    } else {
      call.putObject("function").put("arguments", ARGUMENT_PIECES.get(i - 1));
    }
    choice.putNull("finish_reason");
    return chunk;
  }

  /** Each event flushed on its own, as a real upstream sends tokens as they come. */
  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode header(String id, String object, long created, String model) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("object", object);
    o.put("created", created);
    o.put("model", model);
    return o;
  }

  private static ObjectNode usage(long promptTokens, int completionTokens) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    u.put("prompt_tokens", promptTokens);
    u.put("completion_tokens", completionTokens);
    u.put("total_tokens", promptTokens + completionTokens);
    return u;
  }

  /** About four characters a token: a real tokenizer here would only add its own cost to both sides. */
  private static long promptTokens(JsonNode messages) {
    long chars = 0;
    for (JsonNode m : messages) {
      chars += m.path("content").asText("").length();
    }
    return Math.max(1, chars / 4);
  }

  private static void error(ServerResponse res, String message) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("message", message);
    e.put("type", "invalid_request_error");
    e.putNull("param");
    e.putNull("code");
    res.status(400);
    res.header("Content-Type", "application/json");
    res.send(Json.bytes(o));
  }
}
