package dev.effort.benchmarks.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One upstream wire format as the agent upstream speaks it: what a request offers and carries back
 * ({@link ToolLoop.Turn}), what the real API would refuse in it, and an {@link ToolLoop.Action}
 * rendered as that API's JSON body or server-sent event stream, event for event as it sends them.
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
   * What the real API would refuse in this request with a 400 (the rules agents' tool loops depend
   * on: every call answered by a result right after it and no result without its call; Anthropic
   * thinking blocks come back signed and unchanged, first in the assistant turn that called tools),
   * as its error message.
   */
  Optional<String> invalid(JsonNode body);

  /** A 400 with {@code message}, in the format's error shape. */
  Reply error(String message);

  Reply reply(ToolLoop.Action action, ToolLoop.Turn turn, String model, String id, boolean stream, long inputTokens);

  /** An overloaded API's answer: status and error body. */
  record Overload(int status, JsonNode body) {}

  /** What the API answers when it is overloaded (Anthropic 529 overloaded_error, OpenAI 503). */
  default Overload overloaded() {
    ObjectNode o = object();
    o.putObject("error").put("message", "The server is overloaded or not ready yet.").put("type", "server_error")
        .putNull("param").putNull("code");
    return new Overload(503, o);
  }

  /** Output tokens reported in usage: a constant, enough for cost to be non-zero. */
  long OUTPUT_TOKENS = 12;

  /** Text of a content value: a string, or an array of parts with {@code text}. */
  static String text(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      switch (part.path("type").asText()) {
        // Images show as a marker naming their type and size, so that a check can see one arrived.
        case "image" -> sb.append(imageMarker(part.path("source").path("media_type").asText("?"),
            part.path("source").path("data").asText(part.path("source").path("url").asText(""))));
        case "image_url" -> sb.append(imageMarker("url", part.path("image_url").path("url").asText("")));
        case "input_image" -> sb.append(imageMarker("input_image", part.path("image_url").asText(part.path("file_id").asText(""))));
        default -> sb.append(part.path("text").asText(""));
      }
    }
    return sb.toString();
  }

  static String imageMarker(String type, String data) {
    return "[image " + type + " " + data.length() + " chars]";
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

  private static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
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

  private static ObjectNode openAiError(String message) {
    ObjectNode o = object();
    o.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("param").putNull("code");
    return o;
  }

  /** Anthropic Messages: {@code POST /v1/messages}. */
  record Anthropic() implements UpstreamFormat {
    /** Signs thinking opaquely, as the real API does; a block changed on the way back fails. */
    private static final byte[] KEY = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);

    static String signature(String thinking) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(thinking.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String name() {
      return "anthropic";
    }

    @Override
    public ToolLoop.Turn read(JsonNode body) {
      JsonNode messages = body.path("messages");
      List<String> results = new ArrayList<>();
      String prompt = "";
      for (JsonNode m : messages) {
        if (!m.path("role").asText().equals("user")) {
          continue;
        }
        List<String> here = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (JsonNode block : m.path("content")) {
          switch (block.path("type").asText()) {
            case "tool_result" -> here.add(text(block.get("content")));
            case "text" -> text.append(block.path("text").asText()).append('\n');
            default -> { }
          }
        }
        if (m.path("content").isTextual()) {
          text.append(m.get("content").asText());
        }
        results = here;
        if (here.isEmpty()) {
          prompt = text.toString();
        }
      }
      if (!messages.isEmpty() && !messages.get(messages.size() - 1).path("role").asText().equals("user")) {
        results = List.of();
      }
      int rounds = 0;
      for (JsonNode m : messages) {
        for (JsonNode block : m.path("content")) {
          if (block.path("type").asText().equals("tool_use")) {
            rounds++;
            break;
          }
        }
      }
      String thinking = body.path("thinking").path("type").asText("disabled");
      List<String> callable = body.path("tool_choice").path("type").asText("").equals("none")
          ? List.of() : names(body.path("tools"), "name");
      return new ToolLoop.Turn(callable, results, prompt,
          thinking.equals("enabled") || thinking.equals("adaptive"),
          body.path("thinking").path("display").asText("").equals("omitted"), rounds);
    }

    @Override
    public Optional<String> invalid(JsonNode body) {
      if (body.has("tool_choice") && body.path("tools").isEmpty()) {
        return Optional.of("tool_choice may only be specified while providing tools.");
      }
      if (body.path("tools").isEmpty() && body.path("messages").findValues("type").stream()
          .anyMatch(t -> t.asText().equals("tool_use") || t.asText().equals("tool_result"))) {
        return Optional.of("Requests which include `tool_use` or `tool_result` blocks must define tools.");
      }
      JsonNode thinking = body.path("thinking");
      boolean enabled = thinking.path("type").asText("").equals("enabled");
      if (enabled && thinking.path("budget_tokens").asLong(0) >= body.path("max_tokens").asLong(0)) {
        return Optional.of("`max_tokens` must be greater than `thinking.budget_tokens`");
      }
      JsonNode messages = body.path("messages");
      List<String> before = List.of();
      for (int i = 0; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        List<String> calls = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (JsonNode block : m.path("content")) {
          switch (block.path("type").asText()) {
            case "thinking" -> {
              String text = block.path("thinking").asText("");
              // The signature covers the reasoning; omitted thinking comes back with empty text.
              if (!block.path("signature").asText("").equals(signature(ToolLoop.THINKING))
                  || !(text.isEmpty() || text.equals(ToolLoop.THINKING))) {
                return Optional.of("messages." + i + ".content: Invalid `signature` in `thinking` block");
              }
            }
            case "tool_use" -> calls.add(block.path("id").asText());
            case "tool_result" -> results.add(block.path("tool_use_id").asText());
            default -> { }
          }
        }
        for (String r : results) {
          if (!before.contains(r)) {
            return Optional.of("messages." + i + ".content: unexpected `tool_use_id` found in `tool_result` blocks: "
                + r + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
          }
        }
        if (!before.isEmpty() && !results.containsAll(before)) {
          return Optional.of("messages." + i + ": `tool_use` ids were found without `tool_result` blocks immediately"
              + " after: " + before.stream().filter(c -> !results.contains(c)).toList()
              + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
        }
        // With thinking on, the assistant turn whose calls the request answers must open with its thinking.
        if (enabled && !calls.isEmpty() && i == messages.size() - 2
            && !m.path("content").path(0).path("type").asText().matches("thinking|redacted_thinking")) {
          return Optional.of("messages." + i + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `"
              + m.path("content").path(0).path("type").asText() + "`. When `thinking` is enabled, a final `assistant`"
              + " message must start with a thinking block");
        }
        before = calls;
      }
      return Optional.empty();
    }

    @Override
    public Overload overloaded() {
      ObjectNode o = object().put("type", "error");
      o.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
      return new Overload(529, o);
    }

    @Override
    public Reply error(String message) {
      ObjectNode o = object().put("type", "error");
      o.putObject("error").put("type", "invalid_request_error").put("message", message);
      return Reply.json(o);
    }

    @Override
    public Reply reply(ToolLoop.Action action, ToolLoop.Turn turn, String model, String id, boolean stream,
        long inputTokens) {
      String stop = action instanceof ToolLoop.CallTools ? "tool_use" : "end_turn";
      String thought = turn.thinkingOmitted() ? "" : ToolLoop.THINKING;
      // The content blocks, whole; streamed below as start, deltas and stop.
      List<ObjectNode> blocks = new ArrayList<>();
      if (turn.thinking()) {
        blocks.add(object().put("type", "thinking").put("thinking", thought)
            .put("signature", signature(ToolLoop.THINKING)));
      }
      switch (action) {
        case ToolLoop.CallTools c -> c.calls().forEach(call -> {
          ObjectNode b = object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
          b.set("input", parse(call.argumentsJson()));
          blocks.add(b);
        });
        case ToolLoop.Answer a -> blocks.add(object().put("type", "text").put("text", a.text()));
      }
      ObjectNode m = object().put("id", "msg_" + id).put("type", "message").put("role", "assistant").put("model", model);
      if (!stream) {
        m.putArray("content").addAll(blocks);
        m.put("stop_reason", stop).putNull("stop_sequence");
        m.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", OUTPUT_TOKENS);
        return Reply.json(m);
      }
      StringBuilder sse = new StringBuilder();
      m.putArray("content");
      m.putNull("stop_reason").putNull("stop_sequence");
      m.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 1);
      event(sse, "message_start", object().put("type", "message_start").set("message", m));
      event(sse, "ping", object().put("type", "ping"));
      for (int i = 0; i < blocks.size(); i++) {
        ObjectNode b = blocks.get(i);
        ObjectNode start = b.deepCopy();
        List<ObjectNode> deltas = new ArrayList<>();
        switch (b.get("type").asText()) {
          case "thinking" -> {
            start.put("thinking", "").put("signature", "");
            if (!thought.isEmpty()) {
              deltas.add(object().put("type", "thinking_delta").put("thinking", thought));
            }
            deltas.add(object().put("type", "signature_delta").put("signature", b.get("signature").asText()));
          }
          case "tool_use" -> {
            start.putObject("input");
            // Arguments arrive in fragments that are not JSON on their own, as Anthropic sends them.
            halves(Json.string(b.get("input")))
                .forEach(p -> deltas.add(object().put("type", "input_json_delta").put("partial_json", p)));
          }
          default -> {
            start.put("text", "");
            halves(b.get("text").asText()).forEach(p -> deltas.add(object().put("type", "text_delta").put("text", p)));
          }
        }
        event(sse, "content_block_start", object().put("type", "content_block_start").put("index", i)
            .set("content_block", start));
        for (ObjectNode d : deltas) {
          event(sse, "content_block_delta", object().put("type", "content_block_delta").put("index", i).set("delta", d));
        }
        event(sse, "content_block_stop", object().put("type", "content_block_stop").put("index", i));
      }
      ObjectNode md = object().put("type", "message_delta");
      md.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
      md.putObject("usage").put("output_tokens", OUTPUT_TOKENS);
      event(sse, "message_delta", md);
      event(sse, "message_stop", object().put("type", "message_stop"));
      return Reply.sse(sse.toString());
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
      int lastAssistant = -1;
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i).path("role").asText().equals("assistant")) {
          lastAssistant = i;
        }
      }
      // The tool messages after the last assistant message answer its calls; tool messages hold
      // only text, so a tool's image can only follow them in a user message.
      List<String> results = new ArrayList<>();
      StringBuilder images = new StringBuilder();
      for (int i = lastAssistant + 1; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        if (m.path("role").asText().equals("tool")) {
          results.add(text(m.get("content")));
        } else if (!results.isEmpty() && m.path("role").asText().equals("user") && m.path("content").isArray()) {
          for (JsonNode part : m.get("content")) {
            if (part.path("type").asText().equals("image_url")) {
              images.append(text(Json.MAPPER.createArrayNode().add(part)));
            }
          }
        }
      }
      if (!images.isEmpty()) {
        results.set(results.size() - 1, results.getLast() + images);
      }
      String prompt = "";
      for (JsonNode m : messages) {
        if (m.path("role").asText().equals("user")) {
          prompt = text(m.get("content"));
        }
      }
      int rounds = 0;
      for (JsonNode m : messages) {
        rounds += m.path("tool_calls").isEmpty() ? 0 : 1;
      }
      List<String> callable = body.path("tool_choice").asText("").equals("none")
          ? List.of() : names(body.path("tools"), "function", "name");
      return new ToolLoop.Turn(callable, results, prompt, rounds);
    }

    @Override
    public Optional<String> invalid(JsonNode body) {
      if (body.has("tool_choice") && body.path("tools").isEmpty()) {
        return Optional.of("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
      }
      List<String> open = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        String role = m.path("role").asText();
        if (!role.equals("user")) {
          for (JsonNode part : m.path("content")) {
            if (part.path("type").asText().equals("image_url")) {
              return Optional.of("Image URLs are only allowed for messages with role 'user', but this message with role '"
                  + role + "' contains an image URL.");
            }
          }
        }
        if (role.equals("tool")) {
          if (!open.remove(m.path("tool_call_id").asText())) {
            return Optional.of("Invalid parameter: messages with role 'tool' must be a response to a preceeding"
                + " message with 'tool_calls'.");
          }
          continue;
        }
        if (!open.isEmpty()) {
          return Optional.of("An assistant message with 'tool_calls' must be followed by tool messages responding"
              + " to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
              + String.join(", ", open));
        }
        for (JsonNode c : m.path("tool_calls")) {
          open.add(c.path("id").asText());
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
      String finish = action instanceof ToolLoop.CallTools ? "tool_calls" : "stop";
      long created = System.currentTimeMillis() / 1000;
      String cid = "chatcmpl-" + id;
      if (!stream) {
        ObjectNode o = header(cid, "chat.completion", created, model);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        switch (action) {
          case ToolLoop.CallTools c -> {
            msg.putNull("content");
            ArrayNode calls = msg.putArray("tool_calls");
            c.calls().forEach(call -> calls.addObject().put("id", call.id()).put("type", "function")
                .putObject("function").put("name", call.name()).put("arguments", call.argumentsJson()));
          }
          case ToolLoop.Answer a -> msg.put("content", a.text());
        }
        choice.put("finish_reason", finish);
        o.set("usage", usage(inputTokens));
        return Reply.json(o);
      }
      StringBuilder sse = new StringBuilder();
      switch (action) {
        case ToolLoop.CallTools c -> {
          chunk(sse, cid, created, model, d -> d.put("role", "assistant").putNull("content"));
          for (int i = 0; i < c.calls().size(); i++) {
            ToolLoop.Call call = c.calls().get(i);
            int index = i;
            chunk(sse, cid, created, model, d -> d.putArray("tool_calls").addObject().put("index", index)
                .put("id", call.id()).put("type", "function")
                .putObject("function").put("name", call.name()).put("arguments", ""));
            for (String piece : halves(call.argumentsJson())) {
              chunk(sse, cid, created, model, d -> d.putArray("tool_calls").addObject().put("index", index)
                  .putObject("function").put("arguments", piece));
            }
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
    private static void chunk(StringBuilder sse, String id, long created, String model, Consumer<ObjectNode> fill) {
      ObjectNode chunk = header(id, "chat.completion.chunk", created, model);
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      fill.accept(choice.putObject("delta"));
      choice.putNull("finish_reason");
      data(sse, Json.string(chunk));
    }

    private static ObjectNode header(String id, String object, long created, String model) {
      return object().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static ObjectNode usage(long inputTokens) {
      return object().put("prompt_tokens", inputTokens).put("completion_tokens", OUTPUT_TOKENS)
          .put("total_tokens", inputTokens + OUTPUT_TOKENS);
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
      List<String> results = new ArrayList<>();
      // The function_call_output items after the last message answer the calls of this turn.
      for (int i = input.size() - 1; i >= 0; i--) {
        JsonNode item = input.get(i);
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        if (type.equals("message")) {
          break;
        }
        if (type.equals("function_call_output")) {
          results.addFirst(text(item.get("output")));
        }
      }
      String prompt = input.isTextual() ? input.asText() : "";
      for (JsonNode item : input) {
        if (item.path("role").asText().equals("user")) {
          prompt = text(item.get("content"));
        }
      }
      List<String> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) {
        if (t.path("type").asText().equals("function") && t.path("name").isTextual()) {
          tools.add(t.get("name").asText());
        }
      }
      // A round: function_call items in a row (parallel calls of one turn).
      int rounds = 0;
      boolean inRound = false;
      for (JsonNode item : input) {
        boolean call = item.path("type").asText().equals("function_call");
        rounds += call && !inRound ? 1 : 0;
        inRound = call || (inRound && item.path("type").asText().equals("reasoning"));
      }
      return new ToolLoop.Turn(body.path("tool_choice").asText("").equals("none") ? List.of() : tools, results,
          prompt, rounds);
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
      List<ObjectNode> items = new ArrayList<>();
      switch (action) {
        case ToolLoop.CallTools c -> c.calls().forEach(call -> items.add(object().put("id", "fc_" + call.id())
            .put("type", "function_call").put("status", "completed").put("arguments", call.argumentsJson())
            .put("call_id", call.id()).put("name", call.name())));
        case ToolLoop.Answer a -> {
          ObjectNode item = object().put("id", "msg_" + id).put("type", "message").put("status", "completed")
              .put("role", "assistant");
          item.putArray("content").addObject().put("type", "output_text").put("text", a.text()).putArray("annotations");
          items.add(item);
        }
      }
      ObjectNode done = response(id, model, "completed");
      done.putArray("output").addAll(items);
      ObjectNode usage = done.putObject("usage").put("input_tokens", inputTokens);
      usage.putObject("input_tokens_details").put("cached_tokens", 0);
      usage.put("output_tokens", OUTPUT_TOKENS);
      usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
      usage.put("total_tokens", inputTokens + OUTPUT_TOKENS);
      if (!stream) {
        return Reply.json(done);
      }
      Events sse = new Events();
      ObjectNode created = response(id, model, "in_progress");
      created.putArray("output");
      sse.add("response.created", e -> e.set("response", created));
      sse.add("response.in_progress", e -> e.set("response", created));
      for (int i = 0; i < items.size(); i++) {
        ObjectNode item = items.get(i);
        String itemId = item.get("id").asText();
        int index = i;
        ObjectNode added = item.deepCopy().put("status", "in_progress");
        if (item.get("type").asText().equals("function_call")) {
          added.put("arguments", "");
          sse.add("response.output_item.added", e -> e.put("output_index", index).set("item", added));
          String arguments = item.get("arguments").asText();
          for (String piece : halves(arguments)) {
            sse.add("response.function_call_arguments.delta",
                e -> e.put("item_id", itemId).put("output_index", index).put("delta", piece));
          }
          sse.add("response.function_call_arguments.done",
              e -> e.put("item_id", itemId).put("output_index", index).put("arguments", arguments));
        } else {
          String text = item.get("content").get(0).get("text").asText();
          added.putArray("content");
          sse.add("response.output_item.added", e -> e.put("output_index", index).set("item", added));
          ObjectNode part = object().put("type", "output_text").put("text", "");
          part.putArray("annotations");
          sse.add("response.content_part.added", e -> at(e, itemId, index).set("part", part));
          for (String piece : halves(text)) {
            sse.add("response.output_text.delta", e -> at(e, itemId, index).put("delta", piece));
          }
          sse.add("response.output_text.done", e -> at(e, itemId, index).put("text", text));
          ObjectNode full = part.deepCopy().put("text", text);
          sse.add("response.content_part.done", e -> at(e, itemId, index).set("part", full));
        }
        sse.add("response.output_item.done", e -> e.put("output_index", index).set("item", item));
      }
      sse.add("response.completed", e -> e.set("response", done));
      return Reply.sse(sse.text.toString());
    }

    private static ObjectNode at(ObjectNode e, String itemId, int index) {
      return e.put("item_id", itemId).put("output_index", index).put("content_index", 0);
    }

    private static ObjectNode response(String id, String model, String status) {
      return object().put("id", "resp_" + id).put("object", "response")
          .put("created_at", System.currentTimeMillis() / 1000).put("status", status).put("model", model);
    }

    /** Responses events: an {@code event:} line, and data with type and sequence_number. */
    private static final class Events {
      final StringBuilder text = new StringBuilder();
      int sequence;

      void add(String type, Consumer<ObjectNode> fill) {
        ObjectNode e = object().put("type", type).put("sequence_number", sequence++);
        fill.accept(e);
        text.append("event: ").append(type).append("\ndata: ").append(Json.string(e)).append("\n\n");
      }
    }
  }
}
