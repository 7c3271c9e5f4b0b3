package dev.effort.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Ask;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.providers.wire.OpenAiChatWire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Answers through a running gateway: OpenAI Chat Completions with {@code "stream": true}, the level
 * in the {@code Effort} header, the deadline and cost cap in {@code Effort-Deadline} and
 * {@code Effort-Max-Cost-Usd}. The plan and cost come from the {@code effort} object of the
 * stream's last event.
 */
public final class GatewayChat implements ChatBackend {
  private final URI base;
  private final Optional<String> apiKey;
  private final HttpClient http;
  private final Optional<RecordedPrompts> recorded;

  /**
   * @param base the gateway's URL, with or without its {@code /v1}
   * @param recorded the recording a replaying gateway answers from, for {@code /sample} and {@code /ask N}
   */
  public GatewayChat(URI base, Optional<String> apiKey, HttpClient http, Optional<RecordedPrompts> recorded) {
    String url = base.toString().replaceFirst("/+$", "").replaceFirst("/v1$", "");
    this.base = URI.create(url + "/");
    this.apiKey = apiKey;
    this.http = http;
    this.recorded = recorded;
  }

  @Override
  public String description() {
    return "the gateway at " + base + (apiKey.isPresent() ? " (key from EFFORT_API_KEY)" : " (no EFFORT_API_KEY set)");
  }

  @Override
  public Optional<Effort> defaultEffort() {
    return Optional.empty();
  }

  /** The gateway checks the name on the next message, and its error lists the accepted ones. */
  @Override
  public String pinnable(String name) {
    return name;
  }

  @Override
  public Optional<RecordedPrompts> recorded() {
    return recorded;
  }

  @Override
  public ChatReply answer(Ask ask, boolean levelChosen, Deltas deltas) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", ask.model().orElse("effort"));
    body.put("stream", true);
    body.set("messages", OpenAiChatWire.messages(ask.messages(), false));
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
    apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
    if (levelChosen) {
      request.header("Effort", ask.effort().wireName());
    }
    ask.deadline().ifPresent(d -> request.header("Effort-Deadline", d.toMillis() + "ms"));
    ask.maxCostUsd().ifPresent(usd -> request.header("Effort-Max-Cost-Usd", BigDecimal.valueOf(usd).toPlainString()));
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException("stopped before the gateway answered");
    } catch (IOException e) {
      throw new ChatException("cannot reach the gateway at " + base + ": " + e);
    }
    // Closing the body (also when interrupted while reading it) cancels the call.
    try (InputStream in = response.body();
        BufferedReader events = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        throw new ChatException("the gateway answered " + response.statusCode() + ": " + errorMessage(in.readAllBytes()));
      }
      return read(events, deltas);
    } catch (IOException e) {
      throw new ChatException(Thread.currentThread().isInterrupted() ? "stopped" : "the gateway's stream broke: " + e);
    }
  }

  /** The server-sent events of the answer, up to {@code [DONE]}. */
  private static ChatReply read(BufferedReader events, Deltas deltas) throws IOException {
    StringBuilder text = new StringBuilder();
    JsonNode effort = null;
    String line;
    while ((line = events.readLine()) != null) {
      if (!line.startsWith("data:")) {
        continue;
      }
      String data = line.substring("data:".length()).strip();
      if (data.equals("[DONE]")) {
        break;
      }
      JsonNode event = Json.MAPPER.readTree(data);
      if (event.has("error")) {
        throw new ChatException("the gateway's answer failed: " + event.path("error").path("message").asText());
      }
      for (JsonNode choice : event.path("choices")) {
        JsonNode delta = choice.path("delta");
        String thinking = OpenAiChatWire.reasoningText(delta);
        if (!thinking.isEmpty()) {
          deltas.thinking(thinking);
        }
        String content = delta.path("content").asText("");
        if (!content.isEmpty()) {
          text.append(content);
          deltas.text(content);
        }
      }
      if (event.has("effort")) {
        effort = event.get("effort");
      }
    }
    if (effort == null) {
      throw new ChatException("the gateway's stream ended without its last event (the effort trace)");
    }
    return ChatReply.of(text.toString(), effort);
  }

  private static String errorMessage(byte[] body) {
    String raw = new String(body, StandardCharsets.UTF_8);
    try {
      JsonNode message = Json.MAPPER.readTree(body).path("error").path("message");
      return message.isTextual() ? message.asText() : raw;
    } catch (IOException e) {
      return raw;
    }
  }
}
