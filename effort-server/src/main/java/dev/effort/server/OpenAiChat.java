package dev.effort.server;

import dev.effort.providers.wire.InvalidRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Tools;
import dev.effort.providers.wire.OpenAiChatWire;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** OpenAI Chat Completions: {@code POST /v1/chat/completions}, JSON and streaming chunks. */
final class OpenAiChat implements WireFormat {
  @Override
  public String name() {
    return "openai";
  }

  /** Body fields the gateway reads; every other field is forwarded to an OpenAI upstream. */
  private static final Set<String> USED = Set.of("model", "messages", "stream", "n", "max_tokens", "max_completion_tokens",
      "tools", "tool_choice", "parallel_tool_calls", "stop", "effort", "reasoning_effort", "reasoning", "output_config",
      "deadline", "ttft_deadline", "max_cost_usd");

  @Override
  public ChatRequest parse(JsonNode body) {
    RequestFields.requireObject(body);
    String model = RequestFields.requiredString(body, "model");
    JsonNode messages = RequestFields.messages(body);
    try {
      List<Message> parsed = OpenAiChatWire.messages(messages);
      RequestFields.requireUserMessage(parsed);
      Tools tools = OpenAiChatWire.tools(body);
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
          RequestFields.optionalCost(body, "max_cost_usd"), tools, OpenAiChatWire.stop(body.get("stop")), unused(body));
    } catch (InvalidRequest e) {
      throw WireError.invalid(e.getMessage(), e.param());
    }
  }

  private static ObjectNode unused(JsonNode body) {
    ObjectNode unused = Json.MAPPER.createObjectNode();
    body.fields().forEachRemaining(f -> {
      if (!USED.contains(f.getKey())) {
        unused.set(f.getKey(), f.getValue());
      }
    });
    return unused;
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
    ObjectNode message = OpenAiChatWire.assistantMessage(answer.content(), false);
    message.putNull("refusal");
    if (!answer.thinking().isEmpty()) {
      message.put("reasoning_content", answer.thinking());
    }
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", answer.stopReason().openAi());
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
      case INVALID_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case RATE_LIMITED -> "rate_limit_error";
      case INTERNAL, UPSTREAM, UNAVAILABLE, TIMEOUT -> "server_error";
    });
    if (error.param() == null) {
      e.putNull("param");
    } else {
      e.put("param", error.param());
    }
    switch (error.kind()) {
      case NOT_FOUND -> e.put("code", error.param() != null && error.param().equals("model") ? "model_not_found" : "not_found");
      case METHOD_NOT_ALLOWED -> e.put("code", "method_not_allowed");
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
      int toolCalls;
      /** Whether the current tool call has had a piece of its arguments. */
      boolean argumentsSent;
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

      /** A text or thinking piece, written field by field: the most frequent event of a stream. */
      private void delta(String field, String text) {
        delta(g -> g.writeStringField(field, text));
      }

      /** A chunk whose delta holds what {@code fields} writes (after the role, in the first). */
      private void delta(SseSink.JsonWriter fields) {
        boolean first = !roleSent;
        roleSent = true;
        sink.json(null, g -> {
          g.writeStartObject();
          g.writeStringField("id", id);
          g.writeStringField("object", "chat.completion.chunk");
          g.writeNumberField("created", created);
          g.writeStringField("model", model);
          g.writeArrayFieldStart("choices");
          g.writeStartObject();
          g.writeNumberField("index", 0);
          g.writeObjectFieldStart("delta");
          if (first) {
            g.writeStringField("role", "assistant");
          }
          fields.write(g);
          g.writeEndObject();
          g.writeNullField("logprobs");
          g.writeNullField("finish_reason");
          g.writeEndObject();
          g.writeEndArray();
          g.writeEndObject();
        });
      }

      private void toolCallDelta(ObjectNode call) {
        delta(g -> {
          g.writeArrayFieldStart("tool_calls");
          Json.write(g, call);
          g.writeEndArray();
        });
      }

      @Override
      public void toolCall(String id, String name) {
        endToolCall();
        toolCalls++;
        argumentsSent = false;
        toolCallDelta(OpenAiChatWire.toolCallStart(toolCalls - 1, id, name));
      }

      @Override
      public void toolArguments(String fragment) {
        if (!fragment.isEmpty()) {
          argumentsSent = true;
          toolCallDelta(OpenAiChatWire.toolCallArguments(toolCalls - 1, fragment));
        }
      }

      /**
       * A call that had no arguments (Anthropic streams a tool without parameters as none, or an
       * empty input_json_delta) gets {@code {}}, as OpenAI streams it: a client that accumulates
       * the pieces sends the call back, and arguments of "" are not a JSON object.
       */
      private void endToolCall() {
        if (toolCalls > 0 && !argumentsSent) {
          argumentsSent = true;
          toolCallDelta(OpenAiChatWire.toolCallArguments(toolCalls - 1, "{}"));
        }
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
        endToolCall();
        if (!roleSent) {
          delta("content", "");
        }
        ObjectNode last = chunk(answer.model());
        ObjectNode choice = last.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", answer.stopReason().openAi());
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
