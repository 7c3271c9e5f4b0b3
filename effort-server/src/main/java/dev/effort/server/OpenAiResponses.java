package dev.effort.server;

import dev.effort.providers.wire.InvalidRequest;
import dev.effort.providers.wire.JsonTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.StopReason;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import dev.effort.providers.wire.OpenAiChatWire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenAI Responses API: {@code POST /v1/responses}, the Response object and its streaming
 * event sequence. Stateless: the whole conversation comes in {@code input} every time.
 *
 * <p>No upstream speaks this format, so every provider serves it through the core model: input
 * items become messages of content blocks (function calls in assistant messages, their outputs in
 * user messages), tools become {@link Tool.Function}s, and hosted tools ({@code web_search},
 * {@code file_search}, {@code code_interpreter}, computer use, custom tools) become {@link
 * Tool.Hosted} of format {@code responses}: no upstream can run them, so the gateway names them
 * in {@code Effort-Dropped-Tools} and a tool choice that forces one is a 400.
 *
 * <p>Grouped tools ({@code {"type": "namespace", "name": "ns", "tools": [...]}}) are flattened to
 * functions named {@code ns__name} (OpenAI and Anthropic take only {@code [a-zA-Z0-9_-]} in tool
 * names); a call of one is answered as {@code {"name": "name", "namespace": "ns"}}, and a {@code
 * function_call} input item with a {@code namespace} maps back to the flat name.
 *
 * <p>Reasoning: an answer's thinking is a {@code reasoning} output item whose summary is the
 * thinking text. Its {@code encrypted_content} carries the upstream's signature so that a client
 * that sends the item back in the next turn (as stateless clients do) gives the upstream its own
 * signed thinking: {@code effort:anthropic:<signature>} for Anthropic thinking, {@code
 * effort:redacted:<data>} for Anthropic redacted thinking. Unsigned thinking has none. A reasoning
 * item with OpenAI's own {@code encrypted_content} becomes thinking of origin {@code openai}.
 */
final class OpenAiResponses implements WireFormat {
  /** Joins a namespace and a tool name into one function name. */
  static final String NAMESPACE_SEPARATOR = "__";
  /** Prefix of the {@code encrypted_content} this gateway writes. */
  static final String SIGNATURE_PREFIX = "effort:";

  private static final OpenAiChat ERRORS = new OpenAiChat();
  private static final List<String> ROLES = List.of("user", "assistant", "system", "developer");
  private static final Set<String> USED = Set.of("model", "input", "instructions", "tools", "tool_choice",
      "parallel_tool_calls", "max_output_tokens", "reasoning", "stream", "store", "previous_response_id", "conversation",
      "effort", "reasoning_effort", "output_config", "deadline", "ttft_deadline", "max_cost_usd");

  /** The request this instance answers (its fields are echoed in the Response object), or null. */
  private final JsonNode request;
  /** Flat function name to {namespace, name}, for calls of grouped tools. */
  private final Map<String, String[]> namespaced;

  OpenAiResponses() {
    this(null);
  }

  private OpenAiResponses(JsonNode request) {
    this.request = request;
    this.namespaced = new HashMap<>();
    if (request != null) {
      for (JsonNode tool : request.path("tools")) {
        if ("namespace".equals(tool.path("type").asText())) {
          String ns = tool.path("name").asText();
          for (JsonNode inner : tool.path("tools")) {
            String name = inner.path("name").asText();
            namespaced.put(ns + NAMESPACE_SEPARATOR + name, new String[] {ns, name});
          }
        }
      }
    }
  }

  @Override
  public String name() {
    return "responses";
  }

  /** No upstream speaks the Responses API: unused fields go nowhere. */
  @Override
  public String upstreamFormat() {
    return "responses";
  }

  @Override
  public WireFormat answering(JsonNode body) {
    return new OpenAiResponses(body);
  }

  // ---------------------------------------------------------------------------------------------
  // Request

  @Override
  public ChatRequest parse(JsonNode body) {
    RequestFields.requireObject(body);
    String model = RequestFields.requiredString(body, "model");
    for (String stateful : List.of("previous_response_id", "conversation")) {
      JsonNode v = body.get(stateful);
      if (v != null && !v.isNull()) {
        throw WireError.invalid(stateful + ": this gateway keeps no conversation state, so it cannot continue a stored"
            + " response or conversation; send the whole conversation in input (earlier output items included) with"
            + " store: false", stateful);
      }
    }
    RequestFields.optionalBoolean(body, "store"); // true is accepted; the response says nothing was stored
    Tools tools = tools(body);
    Messages messages = new Messages();
    JsonNode instructions = body.get("instructions");
    if (instructions != null && !instructions.isNull()) {
      if (!instructions.isTextual()) {
        throw WireError.invalid("instructions: expected a string, got " + JsonTypes.describe(instructions), "instructions");
      }
      messages.add("system", new Content.Text(instructions.asText()), false);
    }
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      throw WireError.invalid("input: field required; send a string or a list of input items", "input");
    }
    if (input.isTextual()) {
      messages.add("user", new Content.Text(input.asText()), false);
    } else if (input.isArray()) {
      if (input.isEmpty()) {
        throw WireError.invalid("input: must hold at least one item", "input");
      }
      Set<String> callIds = new HashSet<>();
      for (int i = 0; i < input.size(); i++) {
        item(input.get(i), "input[" + i + "]", messages, callIds);
      }
    } else {
      throw WireError.invalid("input: expected a string or an array of input items, got " + JsonTypes.describe(input),
          "input");
    }
    if (messages.list.stream().noneMatch(m -> m.role().equals("user"))) {
      throw WireError.invalid("input: at least one item must be a message with role 'user'", "input");
    }
    OptionalInt maxTokens = RequestFields.optionalPositiveInt(body, "max_output_tokens", RequestFields.MAX_OUTPUT_TOKENS);
    ObjectNode unused = Json.MAPPER.createObjectNode();
    body.fields().forEachRemaining(f -> {
      if (!USED.contains(f.getKey())) {
        unused.set(f.getKey(), f.getValue());
      }
    });
    return new ChatRequest(messages.list, model, RequestFields.optionalBoolean(body, "stream"), maxTokens,
        RequestFields.effortFields(body), RequestFields.optionalDeadline(body, "deadline"),
        RequestFields.optionalCost(body, "max_cost_usd"), tools, List.of(), unused);
  }

  /** Messages as items arrive: an item of a turn joins the message of the item before it. */
  private static final class Messages {
    final List<Message> list = new ArrayList<>();

    /** @param join whether to add to the last message when it has this role */
    void add(String role, Content block, boolean join) {
      if (join && !list.isEmpty() && list.get(list.size() - 1).role().equals(role)) {
        Message last = list.remove(list.size() - 1);
        List<Content> content = new ArrayList<>(last.content());
        content.add(block);
        list.add(new Message(role, content));
      } else {
        list.add(new Message(role, List.of(block)));
      }
    }

    boolean lastHolds(Class<? extends Content> type) {
      return !list.isEmpty() && list.get(list.size() - 1).content().stream().anyMatch(type::isInstance);
    }
  }

  private void item(JsonNode item, String where, Messages messages, Set<String> callIds) {
    if (!item.isObject()) {
      throw WireError.invalid(where + ": expected an input item object, got " + JsonTypes.describe(item), where);
    }
    String type = item.hasNonNull("type") ? item.get("type").asText() : item.has("role") ? "message" : "";
    switch (type) {
      case "message" -> message(item, where, messages);
      case "function_call" -> {
        String callId = string(item, "call_id", where);
        String name = string(item, "name", where);
        JsonNode ns = item.get("namespace");
        if (ns != null && ns.isTextual() && !ns.asText().isEmpty()) {
          name = ns.asText() + NAMESPACE_SEPARATOR + name;
        }
        String arguments = string(item, "arguments", where, true);
        requireJsonObject(arguments, where + ".arguments");
        callIds.add(callId);
        // Calls of one turn follow its reasoning and text: one assistant message.
        messages.add("assistant", new Content.ToolCall(callId, name, arguments), true);
      }
      case "function_call_output" -> {
        String callId = string(item, "call_id", where);
        if (!callIds.contains(callId)) {
          throw WireError.invalid(where + ".call_id: no function_call item with call_id '" + callId + "' comes before this"
              + " output; send the function_call item, then its output", where + ".call_id");
        }
        JsonNode output = item.get("output");
        List<Content> content = new ArrayList<>();
        if (output == null || output.isNull()) {
          throw WireError.invalid(where + ".output: field required (a string or a list of input_text and input_image parts)",
              where + ".output");
        } else if (output.isTextual()) {
          content.add(new Content.Text(output.asText()));
        } else if (output.isArray()) {
          for (int i = 0; i < output.size(); i++) {
            content.add(part(output.get(i), where + ".output[" + i + "]", false));
          }
        } else {
          throw WireError.invalid(where + ".output: expected a string or a list of input_text and input_image parts, got "
              + JsonTypes.describe(output), where + ".output");
        }
        messages.add("user", new Content.ToolResult(callId, content, false, null), messages.lastHolds(Content.ToolResult.class));
      }
      case "reasoning" -> messages.add("assistant", reasoning(item, where), true);
      case "item_reference" -> throw WireError.invalid(where + ": item_reference points at a stored item, and this gateway"
          + " keeps no state; send the item itself", where);
      case "" -> throw WireError.invalid(where + ".type: field required (message, function_call, function_call_output,"
          + " reasoning)", where + ".type");
      default -> {
        // Hosted tool calls and their outputs from earlier turns: no upstream can take them back.
        boolean output = type.endsWith("_output");
        messages.add(output ? "user" : "assistant", new Content.Opaque("responses", type, (ObjectNode) item), !output);
      }
    }
  }

  private void message(JsonNode item, String where, Messages messages) {
    JsonNode role = item.get("role");
    if (role == null || !role.isTextual()) {
      throw WireError.invalid(where + ".role: field required, one of " + String.join(", ", ROLES), where + ".role");
    }
    if (!ROLES.contains(role.asText())) {
      throw WireError.invalid(where + ".role: '" + role.asText() + "' is not supported; accepted: " + String.join(", ", ROLES),
          where + ".role");
    }
    String r = role.asText().equals("developer") ? "system" : role.asText();
    JsonNode content = item.get("content");
    List<Content> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      throw WireError.invalid(where + ".content: field required", where + ".content");
    } else if (content.isTextual()) {
      blocks.add(new Content.Text(content.asText()));
    } else if (content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        blocks.add(part(content.get(i), where + ".content[" + i + "]", r.equals("assistant")));
      }
    } else {
      throw WireError.invalid(where + ".content: expected a string or an array of content parts, got "
          + JsonTypes.describe(content), where + ".content");
    }
    boolean join = r.equals("assistant");
    if (blocks.isEmpty()) {
      blocks.add(new Content.Text(""));
    }
    for (int i = 0; i < blocks.size(); i++) {
      messages.add(r, blocks.get(i), join || i > 0);
    }
  }

  /** A content part of a message or of a function call's output. */
  private static Content part(JsonNode part, String where, boolean assistant) {
    if (!part.isObject()) {
      throw WireError.invalid(where + ": expected a content part object, got " + JsonTypes.describe(part), where);
    }
    String type = part.path("type").asText("");
    return switch (type) {
      case "input_text", "output_text", "text" -> new Content.Text(string(part, "text", where, true));
      case "refusal" -> new Content.Text(string(part, "refusal", where, true));
      case "input_image" -> {
        if (assistant) {
          throw WireError.invalid(where + ": an assistant message holds output_text parts, not images", where);
        }
        yield image(part, where);
      }
      case "input_file" -> throw WireError.invalid(where + ": input_file parts are not supported; send the file's text as"
          + " input_text, or an image as input_image", where);
      default -> throw WireError.invalid(where + ".type: '" + type + "' is not supported; accepted: input_text, output_text,"
          + " input_image", where + ".type");
    };
  }

  private static Content.Image image(JsonNode part, String where) {
    if (part.hasNonNull("file_id") && !part.hasNonNull("image_url")) {
      throw WireError.invalid(where + ".file_id: not supported: send the image inline (image_url with a data: URL or an"
          + " https URL)", where + ".file_id");
    }
    String url = string(part, "image_url", where);
    ObjectNode passthrough = ((ObjectNode) part).deepCopy();
    passthrough.remove(List.of("type", "image_url", "file_id"));
    try {
      return OpenAiChatWire.image(url, passthrough, where + ".image_url");
    } catch (InvalidRequest e) {
      throw WireError.invalid(e.getMessage(), e.param());
    }
  }

  /** A reasoning item sent back: its thinking, signed as this gateway wrote it (class comment). */
  private static Content reasoning(JsonNode item, String where) {
    StringBuilder text = new StringBuilder();
    JsonNode summary = item.get("summary");
    if (summary != null && !summary.isNull() && !summary.isArray()) {
      throw WireError.invalid(where + ".summary: expected an array of summary_text parts", where + ".summary");
    }
    JsonNode parts = summary == null || summary.isEmpty() ? item.path("content") : summary;
    for (JsonNode p : parts) {
      if (!p.path("text").isTextual()) {
        throw WireError.invalid(where + ".summary: each part needs a text", where + ".summary");
      }
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append(p.get("text").asText());
    }
    JsonNode encrypted = item.get("encrypted_content");
    if (encrypted == null || !encrypted.isTextual() || encrypted.asText().isEmpty()) {
      return Content.Thinking.unsigned(text.toString());
    }
    String e = encrypted.asText();
    if (e.startsWith(SIGNATURE_PREFIX + "anthropic:")) {
      return new Content.Thinking(text.toString(), e.substring((SIGNATURE_PREFIX + "anthropic:").length()),
          Content.Thinking.ANTHROPIC);
    }
    if (e.startsWith(SIGNATURE_PREFIX + "redacted:")) {
      return new Content.RedactedThinking(e.substring((SIGNATURE_PREFIX + "redacted:").length()));
    }
    if (e.startsWith(SIGNATURE_PREFIX) || e.equals("effort")) {
      return Content.Thinking.unsigned(text.toString());
    }
    return new Content.Thinking(text.toString(), e, Content.Thinking.OPENAI);
  }

  private static Tools tools(JsonNode body) {
    List<Tool> offered = new ArrayList<>();
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw WireError.invalid("tools: expected an array of tools, got " + JsonTypes.describe(tools), "tools");
      }
      for (int i = 0; i < tools.size(); i++) {
        String where = "tools[" + i + "]";
        JsonNode t = tools.get(i);
        if (!t.isObject() || !t.path("type").isTextual()) {
          throw WireError.invalid(where + ": expected an object with a type (function, namespace, web_search, ...)", where);
        }
        String type = t.get("type").asText();
        switch (type) {
          case "function" -> offered.add(function(t, where, ""));
          case "namespace" -> {
            String ns = string(t, "name", where);
            JsonNode inner = t.get("tools");
            if (inner == null || !inner.isArray() || inner.isEmpty()) {
              throw WireError.invalid(where + ".tools: a namespace holds a non-empty array of tools", where + ".tools");
            }
            for (int j = 0; j < inner.size(); j++) {
              String innerWhere = where + ".tools[" + j + "]";
              JsonNode f = inner.get(j);
              if ("function".equals(f.path("type").asText())) {
                offered.add(function(f, innerWhere, ns + NAMESPACE_SEPARATOR));
              } else {
                offered.add(new Tool.Hosted("responses", f.path("type").asText("custom"),
                    ns + NAMESPACE_SEPARATOR + string(f, "name", innerWhere), (ObjectNode) f));
              }
            }
          }
          default -> offered.add(new Tool.Hosted("responses", type, t.path("name").asText(type), (ObjectNode) t));
        }
      }
    }
    Set<String> names = new HashSet<>();
    for (Tool tool : offered) {
      if (!names.add(tool.name())) {
        throw WireError.invalid("tools: two tools are named '" + tool.name() + "'; tool names must be unique", "tools");
      }
    }
    Optional<ToolChoice> choice = toolChoice(body, offered);
    JsonNode parallel = body.get("parallel_tool_calls");
    Optional<Boolean> parallelCalls = parallel == null || parallel.isNull()
        ? Optional.empty() : Optional.of(RequestFields.optionalBoolean(body, "parallel_tool_calls"));
    return new Tools(offered, choice, parallelCalls);
  }

  private static Tool.Function function(JsonNode t, String where, String prefix) {
    String name = string(t, "name", where);
    JsonNode description = t.get("description");
    if (description != null && !description.isNull() && !description.isTextual()) {
      throw WireError.invalid(where + ".description: expected a string", where + ".description");
    }
    JsonNode parameters = t.get("parameters");
    ObjectNode schema;
    if (parameters == null || parameters.isNull()) {
      schema = Json.MAPPER.createObjectNode().put("type", "object");
      schema.putObject("properties");
    } else if (parameters.isObject() && parameters.path("type").asText("object").equals("object")) {
      schema = (ObjectNode) parameters;
    } else {
      throw WireError.invalid(where + ".parameters: expected a JSON Schema object of type object, such as {\"type\":"
          + " \"object\", \"properties\": {...}}, got " + (parameters.isObject() ? "type " + parameters.get("type")
          : JsonTypes.describe(parameters)), where + ".parameters");
    }
    JsonNode strict = t.get("strict");
    if (strict != null && !strict.isNull() && !strict.isBoolean()) {
      throw WireError.invalid(where + ".strict: expected true or false", where + ".strict");
    }
    ObjectNode passthrough = ((ObjectNode) t).deepCopy();
    passthrough.remove(List.of("type", "name", "description", "parameters", "strict"));
    return new Tool.Function(prefix + name, description == null || description.isNull() ? "" : description.asText(), schema,
        strict == null || strict.isNull() ? Optional.empty() : Optional.of(strict.asBoolean()), passthrough);
  }

  private static Optional<ToolChoice> toolChoice(JsonNode body, List<Tool> offered) {
    JsonNode c = body.get("tool_choice");
    if (c == null || c.isNull()) {
      return Optional.empty();
    }
    if (c.isTextual()) {
      return Optional.of(switch (c.asText()) {
        case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
        case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
        case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
        default -> throw WireError.invalid("tool_choice: '" + c.asText() + "' is not one of auto, none, required",
            "tool_choice");
      });
    }
    if (!c.isObject() || !c.path("type").isTextual()) {
      throw WireError.invalid("tool_choice: expected auto, none, required or {\"type\": \"function\", \"name\": ...}",
          "tool_choice");
    }
    String type = c.get("type").asText();
    if (type.equals("allowed_tools")) {
      throw WireError.invalid("tool_choice: allowed_tools is not supported; send only the allowed tools in tools",
          "tool_choice");
    }
    String name;
    if (type.equals("function") || type.equals("custom") || type.equals("mcp")) {
      name = string(c, "name", "tool_choice");
      if (c.path("namespace").isTextual()) {
        name = c.get("namespace").asText() + NAMESPACE_SEPARATOR + name;
      }
    } else {
      // A hosted tool forced by its type, e.g. {"type": "web_search_preview"}.
      name = offered.stream().filter(t -> t instanceof Tool.Hosted h && h.type().equals(type)).map(Tool::name)
          .findFirst().orElse(type);
    }
    String chosen = name;
    if (offered.stream().noneMatch(t -> t.name().equals(chosen))) {
      throw WireError.invalid("tool_choice: names the tool '" + chosen + "', which is not in tools", "tool_choice");
    }
    return Optional.of(ToolChoice.named(chosen));
  }

  private static String string(JsonNode node, String field, String where) {
    return string(node, field, where, false);
  }

  private static String string(JsonNode node, String field, String where, boolean emptyAllowed) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw WireError.invalid(where + "." + field + ": field required", where + "." + field);
    }
    if (!v.isTextual()) {
      throw WireError.invalid(where + "." + field + ": expected a string, got " + JsonTypes.describe(v), where + "." + field);
    }
    if (!emptyAllowed && v.asText().isBlank()) {
      throw WireError.invalid(where + "." + field + ": must not be empty", where + "." + field);
    }
    return v.asText();
  }

  private static void requireJsonObject(String json, String where) {
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw WireError.invalid(where + ": not valid JSON; the arguments of a function call are a JSON object as text, e.g."
          + " \"{\\\"city\\\": \\\"Paris\\\"}\"", where);
    }
    if (parsed == null || !parsed.isObject()) {
      throw WireError.invalid(where + ": expected a JSON object as text, got " + (parsed == null ? "nothing"
          : JsonTypes.describe(parsed)), where);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Response

  private static String itemId(String prefix) {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return prefix + HexFormat.of().formatHex(random);
  }

  /** The Response object with the request's settings echoed, as the API returns it. */
  private ObjectNode responseObject(String id, String status, String model) {
    JsonNode req = request == null ? Json.MAPPER.createObjectNode() : request;
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("object", "response");
    o.put("created_at", System.currentTimeMillis() / 1000);
    o.put("status", status);
    o.put("background", false);
    o.putNull("error");
    o.putNull("incomplete_details");
    o.set("instructions", echo(req, "instructions"));
    o.set("max_output_tokens", echo(req, "max_output_tokens"));
    o.putNull("max_tool_calls");
    o.put("model", model);
    o.putArray("output");
    o.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
    o.putNull("previous_response_id");
    ObjectNode reasoning = o.putObject("reasoning");
    reasoning.set("effort", echo(req.path("reasoning"), "effort"));
    reasoning.set("summary", echo(req.path("reasoning"), "summary"));
    o.set("temperature", echo(req, "temperature"));
    o.set("text", req.hasNonNull("text") ? req.get("text") : Json.MAPPER.createObjectNode().set("format",
        Json.MAPPER.createObjectNode().put("type", "text")));
    o.set("tool_choice", req.hasNonNull("tool_choice") ? req.get("tool_choice") : Json.MAPPER.getNodeFactory().textNode("auto"));
    ArrayNode tools = o.putArray("tools");
    for (JsonNode t : req.path("tools")) {
      ObjectNode echoed = t.deepCopy();
      if ("function".equals(t.path("type").asText())) {
        echoed.set("parameters", echo(t, "parameters"));
        echoed.set("strict", echo(t, "strict"));
      }
      tools.add(echoed);
    }
    o.set("top_p", echo(req, "top_p"));
    o.put("truncation", req.path("truncation").asText("disabled"));
    o.putNull("usage");
    o.set("metadata", req.hasNonNull("metadata") ? req.get("metadata") : Json.MAPPER.createObjectNode());
    return o;
  }

  private static JsonNode echo(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null ? Json.MAPPER.getNodeFactory().nullNode() : v;
  }

  private static ObjectNode usage(Answer answer) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    long output = answer.usage().outputTokens() + answer.usage().thinkingTokens();
    u.put("input_tokens", answer.usage().inputTokens());
    u.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
    u.put("output_tokens", output);
    u.putObject("output_tokens_details").put("reasoning_tokens", answer.usage().thinkingTokens());
    u.put("total_tokens", answer.usage().inputTokens() + output);
    return u;
  }

  /** Status, incomplete details, usage and trace of a finished response; {@code output} is set by the caller. */
  private void finished(ObjectNode o, Answer answer, ObjectNode effort) {
    StopReason stop = answer.stopReason();
    if (stop == StopReason.MAX_TOKENS || stop == StopReason.REFUSAL) {
      o.put("status", "incomplete");
      o.putObject("incomplete_details").put("reason", stop == StopReason.MAX_TOKENS ? "max_output_tokens" : "content_filter");
    } else {
      o.put("status", "completed");
    }
    o.put("completed_at", System.currentTimeMillis() / 1000);
    o.put("model", answer.model());
    o.set("usage", usage(answer));
    if (request != null && request.path("store").asBoolean(false)) {
      ObjectNode withNote = effort.deepCopy();
      withNote.withArray("notes").add("store: true was accepted, but this gateway keeps no state: nothing was stored,"
          + " and no later request can refer to this response");
      effort = withNote;
    }
    o.set("effort", effort);
  }

  private ObjectNode functionCall(String itemId, String callId, String name, String arguments, String status) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", itemId);
    item.put("type", "function_call");
    item.put("status", status);
    item.put("arguments", arguments);
    item.put("call_id", callId);
    String[] ns = namespaced.get(name);
    if (ns != null) {
      item.put("name", ns[1]);
      item.put("namespace", ns[0]);
    } else {
      item.put("name", name);
    }
    return item;
  }

  private static ObjectNode message(String itemId, String status, List<String> texts) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", itemId);
    item.put("type", "message");
    item.put("status", status);
    item.put("role", "assistant");
    ArrayNode content = item.putArray("content");
    texts.forEach(t -> content.add(outputText(t)));
    return item;
  }

  private static ObjectNode outputText(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    part.put("type", "output_text");
    part.put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  /** A reasoning item; {@code encrypted} is null for unsigned thinking. */
  private static ObjectNode reasoningItem(String itemId, String text, String encrypted) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", itemId);
    item.put("type", "reasoning");
    ArrayNode summary = item.putArray("summary");
    if (text != null) {
      summary.addObject().put("type", "summary_text").put("text", text);
    }
    if (encrypted != null) {
      item.put("encrypted_content", encrypted);
    }
    return item;
  }

  /** The {@code encrypted_content} that carries an upstream's signature through the client (class comment). */
  private static String encrypted(String signature, String origin) {
    if (signature == null || signature.isEmpty() || origin.equals(Content.Thinking.GATEWAY)) {
      return null;
    }
    return origin.equals(Content.Thinking.OPENAI) ? signature : SIGNATURE_PREFIX + origin + ":" + signature;
  }

  @Override
  public ObjectNode response(Answer answer, String id, ObjectNode effort) {
    ObjectNode o = responseObject(id, "completed", answer.model());
    ArrayNode output = o.putArray("output");
    ObjectNode message = null;
    for (Content c : answer.content()) {
      switch (c) {
        case Content.Thinking t -> output.add(reasoningItem(itemId("rs_"), t.text(), encrypted(t.signature(), t.origin())));
        case Content.RedactedThinking r -> output.add(reasoningItem(itemId("rs_"), null, SIGNATURE_PREFIX + "redacted:" + r.data()));
        case Content.Text t -> {
          if (message == null) {
            message = message(itemId("msg_"), "completed", List.of());
            output.add(message);
          }
          ArrayNode parts = (ArrayNode) message.get("content");
          if (parts.isEmpty()) {
            parts.add(outputText(t.text()));
          } else {
            ObjectNode first = (ObjectNode) parts.get(0);
            first.put("text", first.get("text").asText() + t.text());
          }
        }
        case Content.ToolCall call -> output.add(functionCall(itemId("fc_"), call.id(), call.name(), call.arguments(), "completed"));
        default -> { } // an answer holds no other blocks
      }
    }
    if (output.isEmpty()) {
      output.add(message(itemId("msg_"), "completed", List.of("")));
    }
    finished(o, answer, effort);
    return o;
  }

  @Override
  public byte[] error(WireError error) {
    return ERRORS.error(error);
  }

  // ---------------------------------------------------------------------------------------------
  // Stream

  @Override
  public Stream stream(SseSink sink, String id, String modelHint, long inputTokensEstimate) {
    return new Stream() {
      int sequence;
      String model = modelHint;
      final ArrayNode done = Json.MAPPER.createArrayNode();
      /** The item streaming now: reasoning, message or function_call; null between items. */
      ObjectNode open;
      final StringBuilder buffer = new StringBuilder();
      String signature;
      String origin;

      @Override
      public void model(String answering) {
        model = answering;
      }

      private void event(String type, ObjectNode data) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("type", type);
        e.put("sequence_number", sequence++);
        e.setAll(data);
        sink.event(type, Json.string(e));
      }

      private ObjectNode fields() {
        return Json.MAPPER.createObjectNode();
      }

      private void start() {
        if (sequence > 0) {
          return;
        }
        ObjectNode response = responseObject(id, "in_progress", model);
        event("response.created", fields().set("response", response));
        event("response.in_progress", fields().set("response", response));
      }

      private String openType() {
        return open == null ? "" : open.get("type").asText();
      }

      /** Fields naming the open item: {@code item_id} and {@code output_index}. */
      private ObjectNode ofItem() {
        ObjectNode f = fields();
        f.put("item_id", open.get("id").asText());
        f.put("output_index", done.size());
        return f;
      }

      private void add(ObjectNode item) {
        start();
        close();
        open = item;
        buffer.setLength(0);
        ObjectNode f = fields();
        f.put("output_index", done.size());
        f.set("item", item);
        event("response.output_item.added", f);
      }

      private void openReasoning() {
        if (!openType().equals("reasoning")) {
          add(reasoningItem(itemId("rs_"), null, null));
          event("response.reasoning_summary_part.added", ofItem().put("summary_index", 0)
              .set("part", summaryPart("")));
        }
      }

      @Override
      public void thinking(String delta) {
        openReasoning();
        buffer.append(delta);
        event("response.reasoning_summary_text.delta", ofItem().put("summary_index", 0).put("delta", delta));
      }

      private ObjectNode summaryPart(String text) {
        return fields().put("type", "summary_text").put("text", text);
      }

      @Override
      public void thinkingSignature(String sig, String from) {
        openReasoning();
        signature = sig;
        origin = from;
      }

      @Override
      public void redactedThinking(Content.RedactedThinking block) {
        add(reasoningItem(itemId("rs_"), null, SIGNATURE_PREFIX + "redacted:" + block.data()));
        close();
      }

      @Override
      public void text(String delta) {
        if (!openType().equals("message")) {
          openMessage();
        }
        buffer.append(delta);
        event("response.output_text.delta", ofItem().put("content_index", 0).put("delta", delta)
            .set("logprobs", Json.MAPPER.createArrayNode()));
      }

      private void openMessage() {
        add(message(itemId("msg_"), "in_progress", List.of()));
        event("response.content_part.added", ofItem().put("content_index", 0).set("part", outputText("")));
      }

      @Override
      public void toolCall(String callId, String name) {
        add(functionCall(itemId("fc_"), callId, name, "", "in_progress"));
      }

      @Override
      public void toolArguments(String fragment) {
        if (openType().equals("function_call") && !fragment.isEmpty()) {
          buffer.append(fragment);
          event("response.function_call_arguments.delta", ofItem().put("delta", fragment));
        }
      }

      /** Ends the open item with its done events. */
      private void close() {
        if (open == null) {
          return;
        }
        String text = buffer.toString();
        ObjectNode item = open;
        switch (openType()) {
          case "reasoning" -> {
            if (item.get("summary").isEmpty() && !item.has("encrypted_content")) {
              event("response.reasoning_summary_text.done", ofItem().put("summary_index", 0).put("text", text));
              event("response.reasoning_summary_part.done", ofItem().put("summary_index", 0).set("part", summaryPart(text)));
              item = reasoningItem(item.get("id").asText(), text, origin == null ? null : encrypted(signature, origin));
            }
            signature = null;
            origin = null;
          }
          case "message" -> {
            event("response.output_text.done", ofItem().put("content_index", 0).put("text", text)
                .set("logprobs", Json.MAPPER.createArrayNode()));
            event("response.content_part.done", ofItem().put("content_index", 0).set("part", outputText(text)));
            item = message(item.get("id").asText(), "completed", List.of(text));
          }
          case "function_call" -> {
            ObjectNode f = ofItem().put("arguments", text);
            f.set("name", item.get("name"));
            event("response.function_call_arguments.done", f);
            item = item.deepCopy().put("status", "completed").put("arguments", text);
          }
          default -> { }
        }
        ObjectNode f = fields();
        f.put("output_index", done.size());
        f.set("item", item);
        event("response.output_item.done", f);
        done.add(item);
        open = null;
      }

      @Override
      public void finish(Answer answer, ObjectNode effort) {
        start();
        if (open == null && done.isEmpty()) {
          openMessage();
        }
        close();
        ObjectNode response = responseObject(id, "completed", answer.model());
        response.set("output", done);
        finished(response, answer, effort);
        String last = response.get("status").asText().equals("incomplete") ? "response.incomplete" : "response.completed";
        event(last, fields().set("response", response));
      }

      @Override
      public void fail(WireError error) {
        start();
        JsonNode e;
        try {
          e = Json.MAPPER.readTree(new String(error(error), StandardCharsets.UTF_8)).path("error");
        } catch (JsonProcessingException impossible) {
          throw new IllegalStateException(impossible);
        }
        ObjectNode errorEvent = fields();
        errorEvent.set("code", e.path("code").isNull() ? Json.MAPPER.getNodeFactory().textNode(e.path("type").asText())
            : e.get("code"));
        errorEvent.set("message", e.get("message"));
        errorEvent.set("param", e.get("param"));
        event("error", errorEvent);
        ObjectNode response = responseObject(id, "failed", model);
        response.set("output", done);
        response.putObject("error").put("code", switch (error.kind()) {
          case RATE_LIMITED -> "rate_limit_exceeded";
          case INVALID_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE, AUTHENTICATION, PERMISSION -> "invalid_prompt";
          case INTERNAL, UPSTREAM, UNAVAILABLE, TIMEOUT -> "server_error";
        }).put("message", error.getMessage());
        event("response.failed", fields().set("response", response));
      }
    };
  }

}
