package dev.effort.benchmarks.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One upstream wire format as the agent upstream speaks it: what a request offers and carries back
 * ({@link ToolLoop.Turn}), and an {@link ToolLoop.Action} rendered as that API's JSON body or
 * server-sent event stream, event for event as the real API sends it.
 */
sealed interface UpstreamFormat {
  /** A reply body with its content type. */
  record Reply(String contentType, String body) {
    static Reply json(JsonNode body) {
      return new Reply("application/json", Json.string(body));
    }

    static Reply sse(String events) {
      return new Reply("text/event-stream", events);
    }
  }

  String name();

  ToolLoop.Turn read(JsonNode body);

  /**
   * What the real API would refuse in this request with a 400 (a few rules agents' tool loops
   * depend on: tool results answer the calls before them; Anthropic thinking blocks come back
   * signed and first in the assistant turn that called tools), as its error message.
   */
  Optional<String> invalid(JsonNode body);

  /** A 400 with {@code message}, in the format's error shape. */
  Reply error(String message);

  Reply reply(ToolLoop.Action action, ToolLoop.Turn turn, String model, String id, boolean stream, long inputTokens);

  /** Text of a tool result's content: a string, or an array of parts with {@code text}. */
  static String text(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.has("text")) {
        sb.append(part.get("text").asText());
      }
    }
    return sb.toString();
  }

  private static List<String> names(JsonNode tools, String... path) {
    List<String> names = new ArrayList<>();
    for (JsonNode t : tools) {
      JsonNode n = t;
      for (String p : path) {
        n = n.path(p);
      }
      if (n.isTextual()) {
        names.add(n.asText());
      }
    }
    return names;
  }

  /** Anthropic Messages: {@code POST /v1/messages}. */
  record Anthropic() implements UpstreamFormat {
    @Override
    public String name() {
      return "anthropic";
    }

    @Override
    public ToolLoop.Turn read(JsonNode body) {
      JsonNode messages = body.path("messages");
      Optional<String> result = Optional.empty();
      if (!messages.isEmpty()) {
        JsonNode last = messages.get(messages.size() - 1);
        List<String> parts = new ArrayList<>();
        if (last.path("role").asText().equals("user") && last.path("content").isArray()) {
          for (JsonNode block : last.get("content")) {
            if (block.path("type").asText().equals("tool_result")) {
              parts.add(text(block.get("content")));
            }
          }
        }
        if (!parts.isEmpty()) {
          result = Optional.of(String.join("\n", parts));
        }
      }
      String thinking = body.path("thinking").path("type").asText("disabled");
      return new ToolLoop.Turn(names(body.path("tools"), "name"), result,
          thinking.equals("enabled") || thinking.equals("adaptive"),
          body.path("thinking").path("display").asText("").equals("omitted"));
    }

    /** Signs thinking as the real API does, opaquely; a block changed on the way back fails. */
    private static final byte[] KEY = java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static String signature(String thinking) {
      try {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        return java.util.Base64.getEncoder().encodeToString(
            mac.doFinal(thinking.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Optional<String> invalid(JsonNode body) {
      JsonNode thinking = body.path("thinking");
      boolean enabled = thinking.path("type").asText("").equals("enabled");
      if (enabled && thinking.path("budget_tokens").asLong(0) >= body.path("max_tokens").asLong(0)) {
        return Optional.of("`max_tokens` must be greater than `thinking.budget_tokens`");
      }
      JsonNode messages = body.path("messages");
      for (int i = 0; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        List<String> calls = new ArrayList<>();
        for (JsonNode block : m.path("content")) {
          String type = block.path("type").asText();
          if (type.equals("thinking")) {
            String text = block.path("thinking").asText("");
            // The signature covers the reasoning; omitted thinking comes back with empty text.
            if (!block.path("signature").asText("").equals(signature(ToolLoop.THINKING))
                || !(text.isEmpty() || text.equals(ToolLoop.THINKING))) {
              return Optional.of("messages." + i + ".content: Invalid `signature` in `thinking` block");
            }
          }
          if (type.equals("tool_use")) {
            calls.add(block.path("id").asText());
          }
        }
        if (!calls.isEmpty()) {
          JsonNode next = i + 1 < messages.size() ? messages.get(i + 1) : null;
          List<String> answered = new ArrayList<>();
          if (next != null) {
            for (JsonNode block : next.path("content")) {
              if (block.path("type").asText().equals("tool_result")) {
                answered.add(block.path("tool_use_id").asText());
              }
            }
          }
          if (next != null && !answered.containsAll(calls)) {
            return Optional.of("messages." + (i + 1) + ": `tool_use` ids were found without `tool_result` blocks"
                + " immediately after: " + calls);
          }
          // With thinking on, the assistant turn that called tools must open with its thinking.
          if (enabled && i == messages.size() - 2
              && !m.path("content").path(0).path("type").asText().matches("thinking|redacted_thinking")) {
            return Optional.of("messages." + i + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `"
                + m.path("content").path(0).path("type").asText() + "`. When `thinking` is enabled, a final `assistant`"
                + " message must start with a thinking block");
          }
        }
        if (i > 0) {
          List<String> before = new ArrayList<>();
          for (JsonNode block : messages.get(i - 1).path("content")) {
            if (block.path("type").asText().equals("tool_use")) {
              before.add(block.path("id").asText());
            }
          }
          for (JsonNode block : m.path("content")) {
            if (block.path("type").asText().equals("tool_result") && !before.contains(block.path("tool_use_id").asText())) {
              return Optional.of("messages." + i + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                  + block.path("tool_use_id").asText() + ". Each `tool_result` block must have a corresponding"
                  + " `tool_use` block in the previous message.");
            }
          }
        }
      }
      return Optional.empty();
    }

    @Override
    public Reply error(String message) {
      ObjectNode o = Json.MAPPER.createObjectNode().put("type", "error");
      o.putObject("error").put("type", "invalid_request_error").put("message", message);
      return Reply.json(o);
    }

    @Override
    public Reply reply(ToolLoop.Action action, ToolLoop.Turn turn, String model, String id, boolean stream,
        long inputTokens) {
      String stop = action instanceof ToolLoop.CallTool ? "tool_use" : "end_turn";
      long outputTokens = 12;
      String thought = turn.thinkingOmitted() ? "" : ToolLoop.THINKING;
      int index = turn.thinking() ? 1 : 0;
      if (!stream) {
        ObjectNode m = message(model, id, inputTokens);
        var content = m.putArray("content");
        if (turn.thinking()) {
          content.addObject().put("type", "thinking").put("thinking", thought)
              .put("signature", signature(ToolLoop.THINKING));
        }
        ObjectNode block = content.addObject();
        switch (action) {
          case ToolLoop.CallTool c -> block.put("type", "tool_use").put("id", c.id()).put("name", c.name())
              .set("input", parse(c.argumentsJson()));
          case ToolLoop.Answer a -> block.put("type", "text").put("text", a.text());
        }
        m.put("stop_reason", stop);
        m.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", outputTokens);
        return Reply.json(m);
      }
      StringBuilder sse = new StringBuilder();
      ObjectNode start = Json.MAPPER.createObjectNode().put("type", "message_start");
      ObjectNode m = message(model, id, inputTokens);
      m.putArray("content");
      m.putNull("stop_reason");
      m.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 1);
      start.set("message", m);
      event(sse, "message_start", start);
      event(sse, "ping", Json.MAPPER.createObjectNode().put("type", "ping"));
      if (turn.thinking()) {
        ObjectNode start0 = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", 0);
        start0.putObject("content_block").put("type", "thinking").put("thinking", "").put("signature", "");
        event(sse, "content_block_start", start0);
        if (!thought.isEmpty()) {
          ObjectNode d = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 0);
          d.putObject("delta").put("type", "thinking_delta").put("thinking", thought);
          event(sse, "content_block_delta", d);
        }
        ObjectNode sig = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 0);
        sig.putObject("delta").put("type", "signature_delta").put("signature", signature(ToolLoop.THINKING));
        event(sse, "content_block_delta", sig);
        event(sse, "content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", 0));
      }
      ObjectNode blockStart = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", index);
      List<ObjectNode> deltas = new ArrayList<>();
      switch (action) {
        case ToolLoop.CallTool c -> {
          blockStart.putObject("content_block").put("type", "tool_use").put("id", c.id()).put("name", c.name())
              .putObject("input");
          // Arguments arrive in fragments that are not JSON on their own, as Anthropic sends them.
          for (String piece : halves(c.argumentsJson())) {
            deltas.add(Json.MAPPER.createObjectNode().put("type", "input_json_delta").put("partial_json", piece));
          }
        }
        case ToolLoop.Answer a -> {
          blockStart.putObject("content_block").put("type", "text").put("text", "");
          for (String piece : halves(a.text())) {
            deltas.add(Json.MAPPER.createObjectNode().put("type", "text_delta").put("text", piece));
          }
        }
      }
      event(sse, "content_block_start", blockStart);
      for (ObjectNode d : deltas) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
        e.set("delta", d);
        event(sse, "content_block_delta", e);
      }
      event(sse, "content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", index));
      ObjectNode md = Json.MAPPER.createObjectNode().put("type", "message_delta");
      md.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
      md.putObject("usage").put("output_tokens", outputTokens);
      event(sse, "message_delta", md);
      event(sse, "message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop"));
      return Reply.sse(sse.toString());
    }

    private static ObjectNode message(String model, String id, long inputTokens) {
      ObjectNode m = Json.MAPPER.createObjectNode();
      m.put("id", "msg_" + id).put("type", "message").put("role", "assistant").put("model", model);
      m.putNull("stop_sequence");
      return m;
    }

    private static void event(StringBuilder sse, String name, JsonNode data) {
      sse.append("event: ").append(name).append("\ndata: ").append(Json.string(data)).append("\n\n");
    }
  }

  /** OpenAI Chat Completions: {@code POST /v1/chat/completions}. */
  record Chat() implements UpstreamFormat {
    @Override
    public String name() {
      return "openai-chat";
    }

    @Override
    public ToolLoop.Turn read(JsonNode body) {
      JsonNode messages = body.path("messages");
      List<String> parts = new ArrayList<>();
      // The tool messages after the last assistant message answer its calls.
      for (int i = messages.size() - 1; i >= 0 && messages.get(i).path("role").asText().equals("tool"); i--) {
        parts.addFirst(text(messages.get(i).get("content")));
      }
      Optional<String> result = parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", parts));
      return new ToolLoop.Turn(names(body.path("tools"), "function", "name"), result);
    }

    @Override
    public Optional<String> invalid(JsonNode body) {
      List<String> calls = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        for (JsonNode c : m.path("tool_calls")) {
          calls.add(c.path("id").asText());
        }
        if (m.path("role").asText().equals("tool") && !calls.contains(m.path("tool_call_id").asText())) {
          return Optional.of("Invalid parameter: messages with role 'tool' must be a response to a preceeding"
              + " message with 'tool_calls'.");
        }
      }
      return Optional.empty();
    }

    @Override
    public Reply error(String message) {
      return Reply.json(openAiError(message));
    }

    @Override
    public Reply reply(ToolLoop.Action action, ToolLoop.Turn turn, String model, String id, boolean stream,
        long inputTokens) {
      String finish = action instanceof ToolLoop.CallTool ? "tool_calls" : "stop";
      long created = System.currentTimeMillis() / 1000;
      if (!stream) {
        ObjectNode o = header("chatcmpl-" + id, "chat.completion", created, model);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        switch (action) {
          case ToolLoop.CallTool c -> {
            msg.putNull("content");
            msg.putArray("tool_calls").addObject().put("id", c.id()).put("type", "function")
                .putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
          }
          case ToolLoop.Answer a -> msg.put("content", a.text());
        }
        choice.put("finish_reason", finish);
        o.set("usage", usage(inputTokens));
        return Reply.json(o);
      }
      StringBuilder sse = new StringBuilder();
      String cid = "chatcmpl-" + id;
      switch (action) {
        case ToolLoop.CallTool c -> {
          chunk(sse, cid, created, model, d -> d.put("role", "assistant").putNull("content")
              .putArray("tool_calls").addObject().put("index", 0).put("id", c.id()).put("type", "function")
              .putObject("function").put("name", c.name()).put("arguments", ""));
          for (String piece : halves(c.argumentsJson())) {
            chunk(sse, cid, created, model, d -> d.putArray("tool_calls").addObject().put("index", 0)
                .putObject("function").put("arguments", piece));
          }
        }
        case ToolLoop.Answer a -> {
          chunk(sse, cid, created, model, d -> d.put("role", "assistant").put("content", ""));
          for (String piece : halves(a.text())) {
            chunk(sse, cid, created, model, d -> d.put("content", piece));
          }
        }
      }
      ObjectNode last = header(cid, "chat.completion.chunk", created, model);
      last.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).putObject("delta");
      data(sse, Json.string(last));
      ObjectNode usage = header(cid, "chat.completion.chunk", created, model);
      usage.putArray("choices");
      usage.set("usage", usage(inputTokens));
      data(sse, Json.string(usage));
      data(sse, "[DONE]");
      return Reply.sse(sse.toString());
    }

    /** One chunk whose single choice has the delta {@code fill} writes and no finish reason yet. */
    private static void chunk(StringBuilder sse, String id, long created, String model,
        java.util.function.Consumer<ObjectNode> fill) {
      ObjectNode chunk = header(id, "chat.completion.chunk", created, model);
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      fill.accept(choice.putObject("delta"));
      choice.putNull("finish_reason");
      data(sse, Json.string(chunk));
    }

    private static ObjectNode header(String id, String object, long created, String model) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("id", id).put("object", object).put("created", created).put("model", model);
      return o;
    }

    private static ObjectNode usage(long inputTokens) {
      return Json.MAPPER.createObjectNode().put("prompt_tokens", inputTokens).put("completion_tokens", 12)
          .put("total_tokens", inputTokens + 12);
    }

    private static void data(StringBuilder sse, String data) {
      sse.append("data: ").append(data).append("\n\n");
    }
  }

  /** OpenAI Responses: {@code POST /v1/responses}. */
  record Responses() implements UpstreamFormat {
    @Override
    public String name() {
      return "openai-responses";
    }

    @Override
    public ToolLoop.Turn read(JsonNode body) {
      JsonNode input = body.path("input");
      List<String> parts = new ArrayList<>();
      // The function_call_output items after the last message answer the calls of this turn.
      for (int i = input.size() - 1; i >= 0; i--) {
        JsonNode item = input.get(i);
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        if (type.equals("message")) {
          break;
        }
        if (type.equals("function_call_output")) {
          parts.addFirst(text(item.get("output")));
        }
      }
      Optional<String> result = parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", parts));
      List<String> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) {
        if (t.path("type").asText().equals("function") && t.path("name").isTextual()) {
          tools.add(t.get("name").asText());
        }
      }
      return new ToolLoop.Turn(tools, result);
    }

    @Override
    public Optional<String> invalid(JsonNode body) {
      List<String> calls = new ArrayList<>();
      for (JsonNode item : body.path("input")) {
        String type = item.path("type").asText();
        if (type.equals("function_call")) {
          calls.add(item.path("call_id").asText());
        }
        if (type.equals("function_call_output") && !calls.contains(item.path("call_id").asText())) {
          return Optional.of("No tool call found for function call output with call_id "
              + item.path("call_id").asText() + ".");
        }
      }
      return Optional.empty();
    }

    @Override
    public Reply error(String message) {
      return Reply.json(openAiError(message));
    }

    @Override
    public Reply reply(ToolLoop.Action action, ToolLoop.Turn turn, String model, String id, boolean stream,
        long inputTokens) {
      ObjectNode item = Json.MAPPER.createObjectNode();
      switch (action) {
        case ToolLoop.CallTool c -> item.put("id", "fc_" + id).put("type", "function_call").put("status", "completed")
            .put("arguments", c.argumentsJson()).put("call_id", c.id()).put("name", c.name());
        case ToolLoop.Answer a -> {
          item.put("id", "msg_" + id).put("type", "message").put("status", "completed").put("role", "assistant");
          item.putArray("content").addObject().put("type", "output_text").put("text", a.text()).putArray("annotations");
        }
      }
      ObjectNode done = response(id, model, "completed");
      done.putArray("output").add(item);
      done.set("usage", Json.MAPPER.createObjectNode().put("input_tokens", inputTokens).put("output_tokens", 12)
          .put("total_tokens", inputTokens + 12));
      ((ObjectNode) done.get("usage")).putObject("input_tokens_details").put("cached_tokens", 0);
      ((ObjectNode) done.get("usage")).putObject("output_tokens_details").put("reasoning_tokens", 0);
      if (!stream) {
        return Reply.json(done);
      }
      Events sse = new Events();
      ObjectNode created = response(id, model, "in_progress");
      created.putArray("output");
      sse.add("response.created", e -> e.set("response", created));
      sse.add("response.in_progress", e -> e.set("response", created));
      ObjectNode added = item.deepCopy().put("status", "in_progress");
      switch (action) {
        case ToolLoop.CallTool c -> {
          added.put("arguments", "");
          sse.add("response.output_item.added", e -> e.put("output_index", 0).set("item", added));
          for (String piece : halves(c.argumentsJson())) {
            sse.add("response.function_call_arguments.delta",
                e -> e.put("item_id", "fc_" + id).put("output_index", 0).put("delta", piece));
          }
          sse.add("response.function_call_arguments.done",
              e -> e.put("item_id", "fc_" + id).put("output_index", 0).put("arguments", c.argumentsJson()));
        }
        case ToolLoop.Answer a -> {
          added.putArray("content");
          sse.add("response.output_item.added", e -> e.put("output_index", 0).set("item", added));
          ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", "");
          part.putArray("annotations");
          sse.add("response.content_part.added", e -> at(e, id).set("part", part));
          for (String piece : halves(a.text())) {
            sse.add("response.output_text.delta", e -> at(e, id).put("delta", piece));
          }
          sse.add("response.output_text.done", e -> at(e, id).put("text", a.text()));
          ObjectNode full = part.deepCopy().put("text", a.text());
          sse.add("response.content_part.done", e -> at(e, id).set("part", full));
        }
      }
      sse.add("response.output_item.done", e -> e.put("output_index", 0).set("item", item));
      sse.add("response.completed", e -> e.set("response", done));
      return Reply.sse(sse.text.toString());
    }

    private static ObjectNode at(ObjectNode e, String id) {
      return e.put("item_id", "msg_" + id).put("output_index", 0).put("content_index", 0);
    }

    private static ObjectNode response(String id, String model, String status) {
      ObjectNode r = Json.MAPPER.createObjectNode();
      r.put("id", "resp_" + id).put("object", "response").put("created_at", System.currentTimeMillis() / 1000)
          .put("status", status).put("model", model);
      return r;
    }

    /** Responses events: {@code event:} name, and data with type and sequence_number. */
    private static final class Events {
      final StringBuilder text = new StringBuilder();
      int sequence;

      void add(String type, java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
        fill.accept(e);
        text.append("event: ").append(type).append("\ndata: ").append(Json.string(e)).append("\n\n");
      }
    }
  }

  private static ObjectNode openAiError(String message) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("param").putNull("code");
    return o;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  /** A text in two pieces, so that a client must join deltas. */
  private static List<String> halves(String s) {
    int mid = s.length() / 2;
    return mid == 0 ? List.of(s) : List.of(s.substring(0, mid), s.substring(mid));
  }
}
