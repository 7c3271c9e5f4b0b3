package dev.effort.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Local stand-ins for the Anthropic and OpenAI APIs, answering in their exact wire formats (JSON
 * bodies and SSE event sequences) and recording each request body and headers they receive.
 */
final class FakeUpstreams implements AutoCloseable {
  record Received(String path, String body, String apiKeyHeader, String authorization) {}

  final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();

  FakeUpstreams() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/messages", this::anthropic);
    server.createContext("/v1/chat/completions", this::openAi);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String record(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(ex.getRequestURI().getPath(), body, ex.getRequestHeaders().getFirst("x-api-key"),
        ex.getRequestHeaders().getFirst("Authorization")));
    return body;
  }

  private void anthropic(HttpExchange ex) throws IOException {
    String body = record(ex);
    if (body.contains("\"stream\":true")) {
      sse(ex, String.join("",
          event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_up\",\"type\":\"message\",\"role\":\"assistant\","
              + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}"),
          event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
          event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"The capital of France\"}}"),
          event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\" is Paris.\"}}"),
          event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig-up\"}}"),
          event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
          event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
          event("ping", "{\"type\":\"ping\"}"),
          event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}"),
          event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"is\"}}"),
          event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
          event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}"),
          event("message_stop", "{\"type\":\"message_stop\"}")));
    } else {
      json(ex, "{\"id\":\"msg_up\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":["
          + "{\"type\":\"thinking\",\"thinking\":\"The capital of France is Paris.\",\"signature\":\"sig-up\"},"
          + "{\"type\":\"text\",\"text\":\"Paris\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":21,\"output_tokens\":40}}");
    }
  }

  private void openAi(HttpExchange ex) throws IOException {
    String body = record(ex);
    String head = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-5\",";
    if (body.contains("\"stream\":true")) {
      sse(ex, String.join("",
          "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
          "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"},\"finish_reason\":null}]}\n\n",
          "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is\"},\"finish_reason\":null}]}\n\n",
          "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
          "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50,\"total_tokens\":62,"
              + "\"completion_tokens_details\":{\"reasoning_tokens\":48}}}\n\n",
          "data: [DONE]\n\n"));
    } else {
      json(ex, "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-5\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"Paris\",\"refusal\":null},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50,\"total_tokens\":62,\"completion_tokens_details\":{\"reasoning_tokens\":48}}}");
    }
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private static void sse(HttpExchange ex, String events) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(events.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void json(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
