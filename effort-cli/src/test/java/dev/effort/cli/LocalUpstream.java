package dev.effort.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * A local stand-in for the OpenAI ({@code /v1/chat/completions}) and Anthropic ({@code /v1/messages})
 * APIs whose answer text is a function of (model, last user message), whole or streamed, with a
 * fixed usage of {@link #INPUT_TOKENS} in and {@link #OUTPUT_TOKENS} out. It records every request,
 * so a test counts the calls that reached it.
 */
final class LocalUpstream implements AutoCloseable {
  static final int INPUT_TOKENS = 20;
  static final int OUTPUT_TOKENS = 10;

  /** One request as received. */
  record Received(String path, String model, String prompt, String apiKey) {}

  private final HttpServer server;
  private final BiFunction<String, String, String> answer;
  final List<Received> received = new CopyOnWriteArrayList<>();

  /** @param answer (model, prompt) → answer text */
  LocalUpstream(BiFunction<String, String, String> answer) throws IOException {
    this.answer = answer;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> on(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    JsonNode body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
    String model = body.path("model").asText();
    JsonNode messages = body.path("messages");
    String prompt = text(messages.get(messages.size() - 1).path("content"));
    String key = path.equals("/v1/messages") ? ex.getRequestHeaders().getFirst("x-api-key")
        : String.valueOf(ex.getRequestHeaders().getFirst("Authorization")).replaceFirst("^Bearer ", "");
    received.add(new Received(path, model, prompt, key));
    String text = answer.apply(model, prompt);
    boolean stream = body.path("stream").asBoolean(false);
    String reply = switch (path) {
      case "/v1/chat/completions" -> stream ? openAiStream(model, text) : openAi(model, text);
      case "/v1/messages" -> stream ? anthropicStream(model, text) : anthropic(model, text);
      default -> null;
    };
    if (reply == null) {
      send(ex, 404, "application/json", "{\"error\":{\"message\":\"no such path " + path + "\"}}");
    } else {
      send(ex, 200, stream ? "text/event-stream" : "application/json", reply);
    }
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    content.forEach(block -> sb.append(block.path("text").asText("")));
    return sb.toString();
  }

  private static String openAi(String model, String text) {
    ObjectNode o = Json.MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", model);
    ObjectNode choice = o.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", text);
    o.set("usage", openAiUsage());
    return Json.string(o);
  }

  private static String openAiStream(String model, String text) {
    ObjectNode first = Json.MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", model);
    first.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
        .putObject("delta").put("role", "assistant").put("content", text);
    ObjectNode last = Json.MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", model);
    last.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
    ObjectNode usage = Json.MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", model);
    usage.putArray("choices");
    usage.set("usage", openAiUsage());
    return "data: " + Json.string(first) + "\n\ndata: " + Json.string(last) + "\n\ndata: " + Json.string(usage)
        + "\n\ndata: [DONE]\n\n";
  }

  private static ObjectNode openAiUsage() {
    return Json.MAPPER.createObjectNode().put("prompt_tokens", INPUT_TOKENS).put("completion_tokens", OUTPUT_TOKENS)
        .put("total_tokens", INPUT_TOKENS + OUTPUT_TOKENS);
  }

  private static String anthropic(String model, String text) {
    ObjectNode o = Json.MAPPER.createObjectNode().put("id", "msg_1").put("type", "message").put("role", "assistant")
        .put("model", model).put("stop_reason", "end_turn").putNull("stop_sequence");
    o.putArray("content").addObject().put("type", "text").put("text", text);
    o.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", OUTPUT_TOKENS);
    return Json.string(o);
  }

  private static String anthropicStream(String model, String text) {
    ObjectNode start = Json.MAPPER.createObjectNode().put("type", "message_start");
    ObjectNode message = start.putObject("message").put("id", "msg_1").put("type", "message").put("role", "assistant")
        .put("model", model);
    message.putArray("content");
    message.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", 1);
    ObjectNode blockStart = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", 0);
    blockStart.putObject("content_block").put("type", "text").put("text", "");
    ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 0);
    delta.putObject("delta").put("type", "text_delta").put("text", text);
    ObjectNode messageDelta = Json.MAPPER.createObjectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", OUTPUT_TOKENS);
    return event("message_start", start) + event("content_block_start", blockStart)
        + event("content_block_delta", delta)
        + event("content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", 0))
        + event("message_delta", messageDelta)
        + event("message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop"));
  }

  private static String event(String name, JsonNode data) {
    return "event: " + name + "\ndata: " + Json.string(data) + "\n\n";
  }

  private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
