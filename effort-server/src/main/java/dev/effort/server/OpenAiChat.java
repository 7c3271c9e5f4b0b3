package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Json;
import dev.effort.core.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** OpenAI Chat Completions: {@code POST /v1/chat/completions}, JSON and streaming chunks. */
final class OpenAiChat implements WireFormat {
  private static final List<String> ROLES = List.of("system", "developer", "user", "assistant");

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public ChatRequest parse(JsonNode body) {
    RequestFields.requireObject(body);
    String model = RequestFields.requiredString(body, "model");
    JsonNode messages = RequestFields.messages(body);
    List<Message> parsed = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      parsed.add(message(messages.get(i), "messages[" + i + "]"));
    }
    RequestFields.requireUserMessage(parsed);
    RequestFields.refuseTools(body, "tool calling");
    OptionalInt n = RequestFields.optionalPositiveInt(body, "n");
    if (n.isPresent() && n.getAsInt() != 1) {
      throw WireError.invalid("n: only n = 1 is supported", "n");
    }
    OptionalInt maxTokens = RequestFields.optionalPositiveInt(body, "max_completion_tokens", RequestFields.MAX_OUTPUT_TOKENS);
    if (maxTokens.isEmpty()) {
      maxTokens = RequestFields.optionalPositiveInt(body, "max_tokens", RequestFields.MAX_OUTPUT_TOKENS);
    }
    return new ChatRequest(parsed, model, RequestFields.optionalBoolean(body, "stream"), maxTokens,
        RequestFields.effortFields(body), RequestFields.optionalDeadline(body, "deadline"),
        RequestFields.optionalCost(body, "max_cost_usd"));
  }

  private static Message message(JsonNode m, String where) {
    if (!m.isObject()) {
      throw WireError.invalid(where + ": expected an object with role and content, got " + RequestFields.typeOf(m), where);
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual()) {
      throw WireError.invalid(where + ".role: field required, one of " + String.join(", ", ROLES), where + ".role");
    }
    if (!ROLES.contains(role.asText())) {
      throw WireError.invalid(where + ".role: '" + role.asText() + "' is not supported; accepted: " + String.join(", ", ROLES)
          + " (tool messages are not supported yet)", where + ".role");
    }
    String r = role.asText().equals("developer") ? "system" : role.asText();
    JsonNode content = m.get("content");
    if (content == null || content.isNull()) {
      if (r.equals("assistant")) {
        return new Message(r, "");
      }
      throw WireError.invalid(where + ".content: field required", where + ".content");
    }
    if (content.isTextual()) {
      return new Message(r, content.asText());
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < content.size(); i++) {
        JsonNode part = content.get(i);
        String partWhere = where + ".content[" + i + "]";
        if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
          throw WireError.invalid(partWhere + ": only {\"type\": \"text\", \"text\": \"...\"} parts are supported", partWhere);
        }
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(part.get("text").asText());
      }
      return new Message(r, text.toString());
    }
    throw WireError.invalid(where + ".content: expected a string or an array of text parts, got " + RequestFields.typeOf(content),
        where + ".content");
  }

  @Override
  public ObjectNode response(Answer answer, String id, ObjectNode effort) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("object", "chat.completion");
    o.put("created", System.currentTimeMillis() / 1000);
    o.put("model", answer.model());
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", answer.text());
    message.putNull("refusal");
    if (!answer.thinking().isEmpty()) {
      message.put("reasoning_content", answer.thinking());
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    o.set("usage", usage(answer));
    o.set("effort", effort);
    return o;
  }

  private static ObjectNode usage(Answer answer) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    long completion = answer.usage().outputTokens() + answer.usage().thinkingTokens();
    u.put("prompt_tokens", answer.usage().inputTokens());
    u.put("completion_tokens", completion);
    u.put("total_tokens", answer.usage().inputTokens() + completion);
    u.putObject("completion_tokens_details").put("reasoning_tokens", answer.usage().thinkingTokens());
    return u;
  }

  @Override
  public byte[] error(WireError error) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("message", error.getMessage());
    e.put("type", switch (error.kind()) {
      case INVALID_REQUEST, NOT_FOUND, TOO_LARGE -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case RATE_LIMITED -> "rate_limit_error";
      case INTERNAL, UPSTREAM, UNAVAILABLE -> "server_error";
    });
    if (error.param() == null) {
      e.putNull("param");
    } else {
      e.put("param", error.param());
    }
    switch (error.kind()) {
      case NOT_FOUND -> e.put("code", error.param() != null && error.param().equals("model") ? "model_not_found" : "not_found");
      case TOO_LARGE -> e.put("code", "request_too_large");
      case RATE_LIMITED -> e.put("code", "rate_limit_exceeded");
      default -> e.putNull("code");
    }
    return Json.bytes(o);
  }

  @Override
  public Stream stream(SseSink sink, String id, String modelHint, long inputTokensEstimate) {
    return new Stream() {
      final long created = System.currentTimeMillis() / 1000;
      boolean roleSent;
      String model = modelHint;

      @Override
      public void model(String answering) {
        model = answering;
      }

      private ObjectNode chunk(String model) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        return c;
      }

      private void delta(String field, String text) {
        ObjectNode c = chunk(model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (!roleSent) {
          delta.put("role", "assistant");
          roleSent = true;
        }
        delta.put(field, text);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        sink.event(null, Json.string(c));
      }

      @Override
      public void thinking(String text) {
        // Not in OpenAI's own schema; the field OpenAI-compatible servers use for reasoning text.
        delta("reasoning_content", text);
      }

      @Override
      public void text(String text) {
        delta("content", text);
      }

      @Override
      public void finish(Answer answer, ObjectNode effort) {
        if (!roleSent) {
          delta("content", "");
        }
        ObjectNode last = chunk(answer.model());
        ObjectNode choice = last.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        sink.event(null, Json.string(last));
        // The usage chunk of stream_options.include_usage, sent always: it carries the effort trace.
        ObjectNode usage = chunk(answer.model());
        usage.putArray("choices");
        usage.set("usage", usage(answer));
        usage.set("effort", effort);
        sink.event(null, Json.string(usage));
        sink.event(null, "[DONE]");
      }

      @Override
      public void fail(WireError error) {
        sink.event(null, new String(error(error), java.nio.charset.StandardCharsets.UTF_8));
      }
    };
  }
}
