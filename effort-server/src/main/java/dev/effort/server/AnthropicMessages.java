package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Json;
import dev.effort.core.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Anthropic Messages: {@code POST /v1/messages}, JSON and the streaming event sequence. */
final class AnthropicMessages implements WireFormat {
  /**
   * Thinking blocks carry a signature that Anthropic checks when a conversation is sent back to
   * it; the gateway's are its own, so a client returns them here, never to Anthropic directly.
   */
  static final String SIGNATURE = "effort-gateway";

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public ChatRequest parse(JsonNode body) {
    RequestFields.requireObject(body);
    String model = RequestFields.requiredString(body, "model");
    OptionalInt maxTokens = RequestFields.optionalPositiveInt(body, "max_tokens", RequestFields.MAX_OUTPUT_TOKENS);
    if (maxTokens.isEmpty()) {
      throw WireError.invalid("max_tokens: field required (a positive integer)", "max_tokens");
    }
    List<Message> parsed = new ArrayList<>();
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) {
      parsed.add(new Message("system", text(system, "system", false)));
    }
    JsonNode messages = RequestFields.messages(body);
    for (int i = 0; i < messages.size(); i++) {
      String where = "messages." + i;
      JsonNode m = messages.get(i);
      if (!m.isObject()) {
        throw WireError.invalid(where + ": expected an object with role and content, got " + RequestFields.typeOf(m), where);
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual() || !List.of("user", "assistant", "system").contains(role.asText())) {
        throw WireError.invalid(where + ".role: expected 'user' or 'assistant' (or 'system')", where + ".role");
      }
      JsonNode content = m.get("content");
      if (content == null || content.isNull()) {
        throw WireError.invalid(where + ".content: field required", where + ".content");
      }
      parsed.add(new Message(role.asText(), text(content, where + ".content", true)));
    }
    RequestFields.requireUserMessage(parsed);
    RequestFields.refuseTools(body, "tool use");
    return new ChatRequest(parsed, model, RequestFields.optionalBoolean(body, "stream"), maxTokens,
        RequestFields.effortFields(body), RequestFields.optionalDeadline(body, "deadline"),
        RequestFields.optionalCost(body, "max_cost_usd"));
  }

  /** A string, or an array of text blocks; earlier turns' thinking blocks are dropped. */
  private static String text(JsonNode content, String where, boolean thinkingAllowed) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw WireError.invalid(where + ": expected a string or an array of content blocks, got " + RequestFields.typeOf(content),
          where);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String type = block.path("type").asText("");
      if (thinkingAllowed && (type.equals("thinking") || type.equals("redacted_thinking"))) {
        continue;
      }
      if (!type.equals("text") || !block.path("text").isTextual()) {
        throw WireError.invalid(where + "." + i + ": only text blocks are supported"
            + (type.isEmpty() ? "" : ", not '" + type + "'"), where + "." + i);
      }
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(block.get("text").asText());
    }
    return text.toString();
  }

  @Override
  public ObjectNode response(Answer answer, String id, ObjectNode effort) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("type", "message");
    o.put("role", "assistant");
    o.put("model", answer.model());
    ArrayNode content = o.putArray("content");
    if (!answer.thinking().isEmpty()) {
      ObjectNode thinking = content.addObject();
      thinking.put("type", "thinking");
      thinking.put("thinking", answer.thinking());
      thinking.put("signature", SIGNATURE);
    }
    ObjectNode text = content.addObject();
    text.put("type", "text");
    text.put("text", answer.text());
    o.put("stop_reason", "end_turn");
    o.putNull("stop_sequence");
    ObjectNode usage = o.putObject("usage");
    usage.put("input_tokens", answer.usage().inputTokens());
    // Anthropic counts thinking in output_tokens.
    usage.put("output_tokens", answer.usage().outputTokens() + answer.usage().thinkingTokens());
    o.set("effort", effort);
    return o;
  }

  @Override
  public byte[] error(WireError error) {
    return Json.bytes(errorBody(error));
  }

  private static ObjectNode errorBody(WireError error) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("type", "error");
    ObjectNode e = o.putObject("error");
    e.put("type", switch (error.kind()) {
      case INVALID_REQUEST -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case TOO_LARGE -> "request_too_large";
      case RATE_LIMITED -> "rate_limit_error";
      case INTERNAL, UPSTREAM, UNAVAILABLE -> "api_error";
    });
    e.put("message", error.getMessage());
    return o;
  }

  @Override
  public Stream stream(SseSink sink, String id, String modelHint, long inputTokensEstimate) {
    return new Stream() {
      /** The content block open now: "thinking", "text" or null. */
      String open;
      int index = -1;
      String model = modelHint;

      @Override
      public void model(String answering) {
        model = answering;
      }

      private void event(String type, ObjectNode data) {
        ObjectNode typed = Json.MAPPER.createObjectNode().put("type", type);
        typed.setAll(data);
        sink.event(type, Json.string(typed));
      }

      private void start() {
        if (index >= 0 || open != null) {
          return;
        }
        ObjectNode m = Json.MAPPER.createObjectNode();
        ObjectNode message = m.putObject("message");
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        ObjectNode usage = message.putObject("usage");
        usage.put("input_tokens", inputTokensEstimate);
        usage.put("output_tokens", 1);
        event("message_start", m);
      }

      private void block(String type) {
        if (type.equals(open)) {
          return;
        }
        start();
        close();
        index++;
        open = type;
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("index", index);
        ObjectNode block = b.putObject("content_block");
        block.put("type", type);
        if (type.equals("thinking")) {
          block.put("thinking", "");
          block.put("signature", "");
        } else {
          block.put("text", "");
        }
        event("content_block_start", b);
      }

      private void close() {
        if (open == null) {
          return;
        }
        if (open.equals("thinking")) {
          ObjectNode d = Json.MAPPER.createObjectNode();
          d.put("index", index);
          d.putObject("delta").put("type", "signature_delta").put("signature", SIGNATURE);
          event("content_block_delta", d);
        }
        ObjectNode stop = Json.MAPPER.createObjectNode();
        stop.put("index", index);
        event("content_block_stop", stop);
        open = null;
      }

      private void delta(String deltaType, String field, String text) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("index", index);
        d.putObject("delta").put("type", deltaType).put(field, text);
        event("content_block_delta", d);
      }

      @Override
      public void thinking(String text) {
        block("thinking");
        delta("thinking_delta", "thinking", text);
      }

      @Override
      public void text(String text) {
        block("text");
        delta("text_delta", "text", text);
      }

      @Override
      public void finish(Answer answer, ObjectNode effort) {
        if (open == null && index < 0) {
          block("text");
        }
        close();
        ObjectNode d = Json.MAPPER.createObjectNode();
        ObjectNode delta = d.putObject("delta");
        delta.put("stop_reason", "end_turn");
        delta.putNull("stop_sequence");
        ObjectNode usage = d.putObject("usage");
        usage.put("input_tokens", answer.usage().inputTokens());
        usage.put("output_tokens", answer.usage().outputTokens() + answer.usage().thinkingTokens());
        d.set("effort", effort);
        event("message_delta", d);
        event("message_stop", Json.MAPPER.createObjectNode());
      }

      @Override
      public void fail(WireError error) {
        sink.event("error", Json.string(errorBody(error)));
      }
    };
  }
}
