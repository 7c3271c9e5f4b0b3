package dev.effort.server;

import dev.effort.providers.wire.InvalidRequest;
import dev.effort.providers.wire.JsonTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Tools;
import dev.effort.providers.wire.AnthropicWire;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Anthropic Messages: {@code POST /v1/messages}, JSON and the streaming event sequence. Blocks,
 * tools and tool choice are read and written by the format's one codec, {@link AnthropicWire}.
 */
final class AnthropicMessages implements WireFormat {
  /**
   * Fields this format's parse uses; every other top-level field is passed through to an
   * Anthropic upstream ({@code metadata}, {@code context_management}, {@code temperature}, …).
   * {@code thinking} goes along too, but the dial sets thinking: the provider keeps only its {@code
   * display}.
   */
  private static final Set<String> USED = Set.of("model", "max_tokens", "system", "messages", "stream", "tools",
      "tool_choice", "stop_sequences", "effort", "reasoning_effort", "reasoning", "deadline", "ttft_deadline", "max_cost_usd");

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public ChatRequest parse(JsonNode body) {
    try {
      return parseValid(body);
    } catch (InvalidRequest e) {
      throw WireError.invalid(e.getMessage(), e.param());
    }
  }

  private static ChatRequest parseValid(JsonNode body) {
    RequestFields.requireObject(body);
    String model = RequestFields.requiredString(body, "model");
    OptionalInt maxTokens = RequestFields.optionalPositiveInt(body, "max_tokens", RequestFields.MAX_OUTPUT_TOKENS);
    if (maxTokens.isEmpty()) {
      throw WireError.invalid("max_tokens: field required (a positive integer)", "max_tokens");
    }
    List<Message> parsed = new ArrayList<>();
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) {
      parsed.add(new Message("system", AnthropicWire.system(system)));
    }
    JsonNode messages = RequestFields.messages(body);
    for (int i = 0; i < messages.size(); i++) {
      String where = "messages." + i;
      JsonNode m = messages.get(i);
      if (!m.isObject()) {
        throw WireError.invalid(where + ": expected an object with role and content, got " + JsonTypes.describe(m), where);
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual() || !List.of("user", "assistant", "system").contains(role.asText())) {
        throw WireError.invalid(where + ".role: expected 'user' or 'assistant' (or 'system')", where + ".role");
      }
      JsonNode content = m.get("content");
      if (content == null || content.isNull()) {
        throw WireError.invalid(where + ".content: field required", where + ".content");
      }
      parsed.add(new Message(role.asText(), AnthropicWire.blocks(content, where + ".content", role.asText())));
    }
    RequestFields.requireUserMessage(parsed);
    AnthropicWire.requireKnownToolResults(parsed);
    Tools tools = AnthropicWire.tools(body.get("tools"), body.get("tool_choice"));
    // The fields not used, not a copy of the whole body less them: messages and tools are most of it.
    ObjectNode unused = Json.MAPPER.createObjectNode();
    body.fields().forEachRemaining(f -> {
      if (!USED.contains(f.getKey())) {
        unused.set(f.getKey(), f.getValue());
      }
    });
    // output_config carries the effort (read above) and may carry more (a format): that part is passed through.
    if (unused.path("output_config").isObject()) {
      ObjectNode outputConfig = ((ObjectNode) unused.get("output_config")).deepCopy();
      outputConfig.remove("effort");
      if (outputConfig.isEmpty()) {
        unused.remove("output_config");
      } else {
        unused.set("output_config", outputConfig);
      }
    }
    return new ChatRequest(parsed, model, RequestFields.optionalBoolean(body, "stream"), maxTokens,
        RequestFields.effortFields(body), RequestFields.optionalDeadline(body, "deadline"),
        RequestFields.optionalCost(body, "max_cost_usd"), tools, stopSequences(body.get("stop_sequences")), unused);
  }

  private static List<String> stopSequences(JsonNode stops) {
    if (stops == null || stops.isNull()) {
      return List.of();
    }
    if (!stops.isArray()) {
      throw WireError.invalid("stop_sequences: expected an array of strings, got " + JsonTypes.describe(stops),
          "stop_sequences");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < stops.size(); i++) {
      if (!stops.get(i).isTextual() || stops.get(i).asText().isEmpty()) {
        throw WireError.invalid("stop_sequences." + i + ": expected a non-empty string", "stop_sequences." + i);
      }
      out.add(stops.get(i).asText());
    }
    return out;
  }

  @Override
  public ObjectNode response(Answer answer, String id, ObjectNode effort) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("type", "message");
    o.put("role", "assistant");
    o.put("model", answer.model());
    ArrayNode content = AnthropicWire.renderAll(answer.content(), true);
    if (content.isEmpty()) {
      content.addObject().put("type", "text").put("text", "");
    }
    o.set("content", content);
    o.put("stop_reason", answer.stopReason().anthropic());
    answer.stopSequence().ifPresentOrElse(s -> o.put("stop_sequence", s), () -> o.putNull("stop_sequence"));
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
      case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case TOO_LARGE -> "request_too_large";
      case RATE_LIMITED -> "rate_limit_error";
      case INTERNAL, UPSTREAM -> "api_error";
      case UNAVAILABLE -> "overloaded_error";
      case TIMEOUT -> "timeout_error";
    });
    e.put("message", error.getMessage());
    return o;
  }

  @Override
  public Stream stream(SseSink sink, String id, String modelHint, long inputTokensEstimate) {
    return new Stream() {
      /** The type of the content block open now: "thinking", "text", "tool_use", or null. */
      String open;
      /** Whether the open thinking block got its signature. */
      boolean signed;
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

      /** Opens a block of {@code type} unless one is open; a tool call always opens its own. */
      private void block(String type, ObjectNode contentBlock) {
        if (type.equals(open) && !type.equals("tool_use")) {
          return;
        }
        start();
        close();
        index++;
        open = type;
        signed = false;
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("index", index);
        b.set("content_block", contentBlock);
        event("content_block_start", b);
      }

      private void close() {
        if (open == null) {
          return;
        }
        if (open.equals("thinking") && !signed) {
          signature(AnthropicWire.GATEWAY_SIGNATURE); // thinking no upstream signed: the gateway's own
        }
        ObjectNode stop = Json.MAPPER.createObjectNode();
        stop.put("index", index);
        event("content_block_stop", stop);
        open = null;
      }

      private void signature(String signature) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("index", index);
        d.putObject("delta").put("type", "signature_delta").put("signature", signature);
        event("content_block_delta", d);
        signed = true;
      }

      /** A piece of text, thinking or arguments, written field by field: the most frequent event of a stream. */
      private void delta(String deltaType, String field, String text) {
        sink.json("content_block_delta", g -> {
          g.writeStartObject();
          g.writeStringField("type", "content_block_delta");
          g.writeNumberField("index", index);
          g.writeObjectFieldStart("delta");
          g.writeStringField("type", deltaType);
          g.writeStringField(field, text);
          g.writeEndObject();
          g.writeEndObject();
        });
      }

      @Override
      public void thinking(String text) {
        block("thinking", Json.MAPPER.createObjectNode().put("type", "thinking").put("thinking", "").put("signature", ""));
        if (!text.isEmpty()) {
          delta("thinking_delta", "thinking", text);
        }
      }

      @Override
      public void thinkingSignature(String signature, String origin) {
        if (!"thinking".equals(open)) {
          thinking(""); // a signed block whose thinking was empty
        }
        signature(AnthropicWire.signature(signature, origin));
        close();
      }

      @Override
      public void redactedThinking(Content.RedactedThinking block) {
        close();
        block("redacted_thinking", AnthropicWire.render(block, true).orElseThrow());
        close();
      }

      @Override
      public void opaque(Content.Opaque block) {
        AnthropicWire.render(block, true).ifPresent(whole -> {
          close();
          block(whole.path("type").asText(), whole);
          close();
        });
      }

      @Override
      public void text(String text) {
        block("text", Json.MAPPER.createObjectNode().put("type", "text").put("text", ""));
        delta("text_delta", "text", text);
      }

      @Override
      public void toolCall(String callId, String name) {
        ObjectNode start = Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", AnthropicWire.toolId(callId))
            .put("name", name);
        start.putObject("input");
        block("tool_use", start);
      }

      @Override
      public void toolArguments(String fragment) {
        if ("tool_use".equals(open) && !fragment.isEmpty()) {
          delta("input_json_delta", "partial_json", fragment);
        }
      }

      @Override
      public void finish(Answer answer, ObjectNode effort) {
        if (open == null && index < 0) {
          block("text", Json.MAPPER.createObjectNode().put("type", "text").put("text", ""));
        }
        close();
        ObjectNode d = Json.MAPPER.createObjectNode();
        ObjectNode delta = d.putObject("delta");
        delta.put("stop_reason", answer.stopReason().anthropic());
        answer.stopSequence().ifPresentOrElse(s -> delta.put("stop_sequence", s), () -> delta.putNull("stop_sequence"));
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
