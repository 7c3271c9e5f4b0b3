package dev.effort.providers.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Content;
import dev.effort.core.CrossFormat;
import dev.effort.core.Deltas;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.StopReason;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI Chat Completions JSON to and from the core's messages, content blocks, tools and tool
 * choice, both ways: the gateway parses client requests and renders answers with it, and the
 * OpenAI provider renders upstream requests and parses upstream answers with it, so the two sides
 * cannot drift apart.
 *
 * <p>What the format carries that the gateway does not use stays on the blocks as {@code
 * passthrough} (an image's {@code detail}, a text part's {@code cache_control}, a function's
 * unknown fields) and is rendered only when the caller says the target speaks the client's format.
 */
public final class OpenAiChatWire {
  /** The wire format name of {@link CrossFormat} and {@code Provider.wireFormat()}. */
  public static final String FORMAT = "openai";

  private static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool");
  private static final String PART_TYPES = "text, image_url, input_audio, file";
  private static final Pattern DATA_URL = Pattern.compile("data:([^;,]*)((?:;[^;,]*)*),(.*)", Pattern.DOTALL);
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*+={0,2}+");

  private OpenAiChatWire() {}

  // ---------------------------------------------------------------- requests: parse

  /**
   * The {@code messages} array as core messages: {@code developer} is {@code system}; consecutive
   * {@code tool} messages become one user message of tool results, each of which must answer a
   * call an earlier assistant message made.
   */
  public static List<Message> messages(JsonNode messages) {
    List<Message> parsed = new ArrayList<>();
    Set<String> calls = new HashSet<>();
    List<Content> results = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String where = "messages[" + i + "]";
      String role = role(m, where);
      if (role.equals("tool")) {
        results.add(toolResult(m, where, calls));
        continue;
      }
      if (!results.isEmpty()) {
        parsed.add(new Message("user", results));
        results = new ArrayList<>();
      }
      if (role.equals("assistant")) {
        Message a = assistant(m, where);
        a.blocks(Content.ToolCall.class).forEach(c -> calls.add(c.id()));
        a.blocks(Content.Opaque.class).stream().filter(OpenAiChatWire::isCustomCall)
            .forEach(o -> calls.add(o.raw().get("id").asText()));
        parsed.add(a);
      } else {
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
          throw new InvalidRequest(where + ".content: field required", where + ".content");
        }
        parsed.add(new Message(role.equals("developer") ? "system" : role, parts(content, where + ".content")));
      }
    }
    if (!results.isEmpty()) {
      parsed.add(new Message("user", results));
    }
    return parsed;
  }

  private static String role(JsonNode m, String where) {
    if (!m.isObject()) {
      throw new InvalidRequest(where + ": expected an object with role and content, got " + JsonTypes.describe(m), where);
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual()) {
      throw new InvalidRequest(where + ".role: field required, one of " + String.join(", ", ROLES), where + ".role");
    }
    if (!ROLES.contains(role.asText())) {
      throw new InvalidRequest(where + ".role: '" + role.asText() + "' is not supported; accepted: " + String.join(", ", ROLES),
          where + ".role");
    }
    return role.asText();
  }

  private static Message assistant(JsonNode m, String where) {
    List<Content> blocks = new ArrayList<>();
    JsonNode content = m.get("content");
    if (content != null && !content.isNull()) {
      blocks.addAll(parts(content, where + ".content"));
    }
    JsonNode calls = m.get("tool_calls");
    if (calls != null && !calls.isNull()) {
      if (!calls.isArray()) {
        throw new InvalidRequest(where + ".tool_calls: expected an array, got " + JsonTypes.describe(calls), where + ".tool_calls");
      }
      for (int i = 0; i < calls.size(); i++) {
        blocks.add(toolCall(calls.get(i), where + ".tool_calls[" + i + "]"));
      }
    }
    if (blocks.isEmpty()) {
      blocks.add(new Content.Text(""));
    }
    return new Message("assistant", blocks);
  }

  private static Content toolCall(JsonNode call, String where) {
    if (!call.isObject()) {
      throw new InvalidRequest(where + ": expected {\"id\", \"type\": \"function\", \"function\": {\"name\", \"arguments\"}}, got "
          + JsonTypes.describe(call), where);
    }
    String id = requiredText(call, "id", where);
    String type = call.path("type").asText("function");
    if (!type.equals("function")) {
      // A custom tool's call: only an OpenAI upstream knows it; results still find it by id.
      return new Content.Opaque(FORMAT, type, (ObjectNode) call);
    }
    JsonNode function = call.get("function");
    if (function == null || !function.isObject()) {
      throw new InvalidRequest(where + ".function: field required, an object with name and arguments", where + ".function");
    }
    String name = requiredText(function, "name", where + ".function");
    JsonNode arguments = function.get("arguments");
    if (arguments == null || !arguments.isTextual()) {
      throw new InvalidRequest(where + ".function.arguments: field required, a string of JSON such as \"{}\"",
          where + ".function.arguments");
    }
    if (!isJsonObject(arguments.asText())) {
      throw new InvalidRequest(where + ".function.arguments: not a JSON object: '" + shorten(arguments.asText())
          + "'; send the arguments as a string of JSON such as \"{\\\"city\\\": \\\"Paris\\\"}\"", where + ".function.arguments");
    }
    return new Content.ToolCall(id, name, arguments.asText(), rest(call, "id", "type", "function"));
  }

  private static Content.ToolResult toolResult(JsonNode m, String where, Set<String> calls) {
    JsonNode id = m.get("tool_call_id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw new InvalidRequest(where + ".tool_call_id: field required in a tool message: the id of the call it answers",
          where + ".tool_call_id");
    }
    if (!calls.contains(id.asText())) {
      throw new InvalidRequest(where + ".tool_call_id: '" + id.asText() + "' answers no tool call of an earlier assistant message"
          + (calls.isEmpty() ? "" : "; calls made: " + String.join(", ", new java.util.TreeSet<>(calls))),
          where + ".tool_call_id");
    }
    JsonNode content = m.get("content");
    if (content == null || content.isNull()) {
      throw new InvalidRequest(where + ".content: field required", where + ".content");
    }
    return new Content.ToolResult(id.asText(), parts(content, where + ".content"), false,
        rest(m, "role", "tool_call_id", "content"));
  }

  /** Message content: a string, or an array of parts. */
  private static List<Content> parts(JsonNode content, String where) {
    if (content.isTextual()) {
      return List.of(new Content.Text(content.asText()));
    }
    if (!content.isArray()) {
      throw new InvalidRequest(where + ": expected a string or an array of content parts (" + PART_TYPES + "), got "
          + JsonTypes.describe(content), where);
    }
    List<Content> blocks = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      blocks.add(part(content.get(i), where + "[" + i + "]"));
    }
    return blocks;
  }

  private static Content part(JsonNode part, String where) {
    String type = part.isObject() ? part.path("type").asText("") : "";
    return switch (type) {
      case "text" -> {
        if (!part.path("text").isTextual()) {
          throw new InvalidRequest(where + ".text: field required, a string", where + ".text");
        }
        yield new Content.Text(part.get("text").asText(), rest(part, "type", "text"));
      }
      case "image_url" -> image(part.path("image_url"), where + ".image_url");
      case "input_audio", "file", "refusal" -> new Content.Opaque(FORMAT, type, (ObjectNode) part);
      default -> throw new InvalidRequest(where + ": " + (type.isEmpty() ? "expected a content part object with a type"
          : "unknown part type '" + type + "'") + "; accepted: " + PART_TYPES
          + ", e.g. {\"type\": \"text\", \"text\": \"...\"}", where);
    };
  }

  /** {@code {"url": "https://…" | "data:image/png;base64,…", "detail": …}}; {@code detail} passes through. */
  private static Content.Image image(JsonNode image, String where) {
    if (!image.isObject() || !image.path("url").isTextual()) {
      throw new InvalidRequest(where + ".url: field required, an https URL or a data URL such as data:image/png;base64,...",
          where + ".url");
    }
    return image(image.get("url").asText(), rest(image, "url"), where + ".url");
  }

  /**
   * An image by URL: a base64 {@code data:image/...} URL or an http(s) URL, as Chat Completions'
   * {@code image_url.url} and the Responses API's {@code input_image.image_url} carry it.
   *
   * @param where the field holding the URL, for errors
   */
  public static Content.Image image(String url, ObjectNode passthrough, String where) {
    Matcher data = DATA_URL.matcher(url);
    if (data.matches()) {
      String mediaType = data.group(1);
      if (!mediaType.startsWith("image/")) {
        throw new InvalidRequest(where + ": a data URL of type '" + mediaType + "' is not an image; send image/png, image/jpeg, "
            + "image/gif or image/webp", where);
      }
      if (!List.of(data.group(2).split(";")).contains("base64") || !BASE64.matcher(data.group(3)).matches()
          || data.group(3).length() % 4 != 0) {
        throw new InvalidRequest(where + ": the image data URL is not base64; send data:" + mediaType + ";base64,<data>",
            where);
      }
      return new Content.Image(mediaType, Optional.of(data.group(3)), Optional.empty(), passthrough);
    }
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw new InvalidRequest(where + ": '" + shorten(url) + "' is not an image URL; send an https URL or "
          + "data:image/png;base64,<data>", where);
    }
    return new Content.Image("", Optional.empty(), Optional.of(url), passthrough);
  }

  /** {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} of a request body. */
  public static Tools tools(JsonNode body) {
    List<Tool> offered = new ArrayList<>();
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw new InvalidRequest("tools: expected an array of tools, got " + JsonTypes.describe(tools), "tools");
      }
      for (int i = 0; i < tools.size(); i++) {
        offered.add(tool(tools.get(i), "tools[" + i + "]"));
      }
    }
    Optional<ToolChoice> choice = Optional.empty();
    JsonNode c = body.get("tool_choice");
    if (c != null && !c.isNull()) {
      choice = Optional.of(toolChoice(c, offered, "tool_choice"));
    }
    Optional<Boolean> parallel = Optional.empty();
    JsonNode p = body.get("parallel_tool_calls");
    if (p != null && !p.isNull()) {
      if (!p.isBoolean()) {
        throw new InvalidRequest("parallel_tool_calls: expected true or false, got " + JsonTypes.describe(p), "parallel_tool_calls");
      }
      parallel = Optional.of(p.asBoolean());
    }
    return new Tools(offered, choice, parallel);
  }

  /**
   * One tool: {@code {"type": "function", "function": {name, description, parameters, strict}}};
   * any other type (custom tools and the like) is an OpenAI-only {@link Tool.Hosted}.
   */
  public static Tool tool(JsonNode tool, String where) {
    if (!tool.isObject()) {
      throw new InvalidRequest(where + ": expected a tool object such as {\"type\": \"function\", \"function\": {\"name\": ...}}, got "
          + JsonTypes.describe(tool), where);
    }
    JsonNode type = tool.get("type");
    if (type == null || !type.isTextual() || type.asText().isEmpty()) {
      throw new InvalidRequest(where + ".type: field required, e.g. \"function\"", where + ".type");
    }
    if (!type.asText().equals("function")) {
      JsonNode name = tool.path(type.asText()).path("name");
      return new Tool.Hosted(FORMAT, type.asText(), name.isTextual() ? name.asText() : type.asText(), (ObjectNode) tool);
    }
    JsonNode f = tool.get("function");
    if (f == null || !f.isObject()) {
      throw new InvalidRequest(where + ".function: field required, an object with name, description and parameters",
          where + ".function");
    }
    String name = requiredText(f, "name", where + ".function");
    JsonNode description = f.get("description");
    if (description != null && !description.isNull() && !description.isTextual()) {
      throw new InvalidRequest(where + ".function.description: expected a string, got " + JsonTypes.describe(description),
          where + ".function.description");
    }
    JsonNode parameters = f.get("parameters");
    ObjectNode schema = Json.MAPPER.createObjectNode();
    if (parameters != null && !parameters.isNull()) {
      if (!parameters.isObject() || (parameters.has("type") && !parameters.get("type").asText().equals("object"))) {
        throw new InvalidRequest(where + ".function.parameters: expected a JSON Schema of type object, such as "
            + "{\"type\": \"object\", \"properties\": {...}}, got " + (parameters.isObject() ? "type "
            + parameters.get("type") : JsonTypes.describe(parameters)), where + ".function.parameters");
      }
      schema = (ObjectNode) parameters;
    }
    JsonNode strict = f.get("strict");
    if (strict != null && !strict.isNull() && !strict.isBoolean()) {
      throw new InvalidRequest(where + ".function.strict: expected true or false, got " + JsonTypes.describe(strict), where + ".function.strict");
    }
    return new Tool.Function(name, description == null || description.isNull() ? "" : description.asText(), schema,
        strict == null || strict.isNull() ? Optional.empty() : Optional.of(strict.asBoolean()),
        rest(f, "name", "description", "parameters", "strict"));
  }

  /**
   * {@code "auto"}, {@code "none"}, {@code "required"}, {@code {"type": "function", "function":
   * {"name": …}}} (or a custom tool's {@code {"type": "custom", "custom": {"name": …}}}); a named
   * tool must be among {@code offered}. {@code allowed_tools} keeps its mode.
   */
  public static ToolChoice toolChoice(JsonNode choice, List<Tool> offered, String where) {
    String accepted = "accepted: \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": ...}}";
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
        case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
        case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
        default -> throw new InvalidRequest(where + ": '" + choice.asText() + "' is not a tool choice; " + accepted, where);
      };
    }
    String type = choice.path("type").asText("");
    if (type.equals("allowed_tools")) {
      return ToolChoice.of(choice.path("allowed_tools").path("mode").asText("auto").equals("required")
          ? ToolChoice.Mode.REQUIRED : ToolChoice.Mode.AUTO);
    }
    JsonNode name = choice.path(type).path("name");
    if (!choice.isObject() || type.isEmpty() || !name.isTextual()) {
      throw new InvalidRequest(where + ": expected a string or a named tool; " + accepted, where);
    }
    if (offered.stream().noneMatch(t -> t.name().equals(name.asText()))) {
      throw new InvalidRequest(where + ": names tool '" + name.asText() + "', which is not among the tools offered ("
          + (offered.isEmpty() ? "none" : String.join(", ", offered.stream().map(Tool::name).toList())) + ")", where);
    }
    return ToolChoice.named(name.asText());
  }

  /** {@code stop}: a string or an array of strings. */
  public static List<String> stop(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    List<String> sequences = new ArrayList<>();
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        break;
      }
      sequences.add(s.asText());
    }
    if (!stop.isArray() || sequences.size() != stop.size()) {
      throw new InvalidRequest("stop: expected a string or an array of strings, got " + JsonTypes.describe(stop), "stop");
    }
    return sequences;
  }

  // ---------------------------------------------------------------- requests: render

  /**
   * The {@code messages} array for an upstream: blocks it cannot take are left out ({@link
   * CrossFormat#sendable}; thinking has no place in Chat Completions); tool results become
   * {@code tool} messages in their order, followed by the rest of their user message.
   *
   * @param passthrough whether blocks' unused fields go too (the client spoke this format)
   */
  public static ArrayNode messages(List<Message> messages, boolean passthrough) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Message m : messages) {
      List<Content> blocks = m.content().stream()
          .filter(c -> CrossFormat.sendable(c, FORMAT) && !(c instanceof Content.Thinking)).toList();
      switch (m.role()) {
        case "assistant" -> {
          if (!blocks.isEmpty()) { // an earlier turn of thinking only has nothing to say here
            out.add(assistantMessage(blocks, passthrough));
          }
        }
        case "user" -> {
          List<ObjectNode> rest = new ArrayList<>();
          for (Content c : blocks) {
            if (c instanceof Content.ToolResult r) {
              out.add(toolMessage(r, passthrough, rest));
            } else {
              part(c, passthrough).ifPresent(rest::add);
            }
          }
          if (!rest.isEmpty()) {
            out.addObject().put("role", "user").set("content", content(rest));
          }
        }
        default -> {
          List<ObjectNode> parts = new ArrayList<>();
          blocks.forEach(c -> part(c, passthrough).ifPresent(parts::add));
          out.addObject().put("role", m.role()).set("content", content(parts));
        }
      }
    }
    return out;
  }

  /** How a tool message says that its tool failed (Anthropic's {@code is_error: true}). */
  static final String ERROR_PREFIX = "Error: ";

  /** A tool message; what it holds besides text (images) goes to {@code rest}, a user message after it. */
  private static ObjectNode toolMessage(Content.ToolResult r, boolean passthrough, List<ObjectNode> rest) {
    ObjectNode t = Json.MAPPER.createObjectNode();
    t.put("role", "tool");
    t.put("tool_call_id", r.callId());
    List<ObjectNode> texts = new ArrayList<>();
    for (Content c : r.content()) {
      if (c instanceof Content.Text) {
        part(c, passthrough).ifPresent(texts::add);
      } else if (CrossFormat.sendable(c, FORMAT)) {
        part(c, passthrough).ifPresent(rest::add);
      }
    }
    if (r.isError()) {
      // Chat Completions has no is_error: the model learns that the tool failed from the text.
      if (!texts.isEmpty() && texts.get(0).path("text").isTextual()) {
        texts.get(0).put("text", ERROR_PREFIX + texts.get(0).get("text").asText());
      } else {
        texts.add(0, Json.MAPPER.createObjectNode().put("type", "text").put("text", ERROR_PREFIX.strip()));
      }
    }
    JsonNode content = content(texts);
    t.set("content", content.isNull() ? JsonNodeFactory.instance.textNode("") : content);
    if (passthrough) {
      merge(t, r.passthrough());
    }
    return t;
  }

  /**
   * An assistant message: {@code content} (null when there is no text, as OpenAI sends a message
   * that only calls tools) and {@code tool_calls}. Both a client's answer and an upstream's
   * earlier turn are rendered with it.
   */
  public static ObjectNode assistantMessage(List<Content> blocks, boolean passthrough) {
    ObjectNode a = Json.MAPPER.createObjectNode();
    a.put("role", "assistant");
    List<ObjectNode> parts = new ArrayList<>();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (Content c : blocks) {
      switch (c) {
        case Content.ToolCall call -> calls.add(toolCall(call, passthrough));
        case Content.Opaque o when isCustomCall(o) -> calls.add(o.raw());
        case Content.Text t when t.text().isEmpty() && t.passthrough().isEmpty() -> { }
        case Content.Image i -> { } // assistant messages hold no images in this format
        default -> part(c, passthrough).ifPresent(parts::add);
      }
    }
    JsonNode content = content(parts);
    a.set("content", content.isNull() && calls.isEmpty() ? JsonNodeFactory.instance.textNode("") : content);
    if (!calls.isEmpty()) {
      a.set("tool_calls", calls);
    }
    return a;
  }

  /** {@code {"id", "type": "function", "function": {"name", "arguments"}}}. */
  public static ObjectNode toolCall(Content.ToolCall call, boolean passthrough) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("id", call.id());
    c.put("type", "function");
    c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
    if (passthrough) {
      merge(c, call.passthrough());
    }
    return c;
  }

  /** One content part, or empty for a block this format has no part for. */
  private static Optional<ObjectNode> part(Content c, boolean passthrough) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    switch (c) {
      case Content.Text t -> {
        p.put("type", "text").put("text", t.text());
        if (passthrough) {
          merge(p, t.passthrough());
        }
      }
      case Content.Image i -> {
        p.put("type", "image_url");
        ObjectNode image = p.putObject("image_url");
        image.put("url", i.url().orElseGet(() -> "data:" + i.mediaType() + ";base64," + i.data().orElseThrow()));
        if (passthrough) {
          merge(image, i.passthrough());
        }
      }
      case Content.Opaque o when o.format().equals(FORMAT) -> p = o.raw();
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(p);
  }

  /** A lone plain text part is sent as a string, as clients do; no parts is null. */
  private static JsonNode content(List<ObjectNode> parts) {
    if (parts.isEmpty()) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (parts.size() == 1 && parts.get(0).size() == 2 && parts.get(0).path("type").asText().equals("text")) {
      return parts.get(0).get("text");
    }
    ArrayNode a = Json.MAPPER.createArrayNode();
    parts.forEach(a::add);
    return a;
  }

  /**
   * The request's tools: a function as {@code {"type": "function", "function": {…}}}, a hosted
   * OpenAI tool as the client sent it.
   */
  public static ObjectNode tool(Tool tool, boolean passthrough) {
    return switch (tool) {
      case Tool.Hosted h -> h.raw();
      case Tool.Function f -> {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("type", "function");
        ObjectNode fn = t.putObject("function");
        fn.put("name", f.name());
        if (!f.description().isEmpty()) {
          fn.put("description", f.description());
        }
        if (!f.parameters().isEmpty()) {
          fn.set("parameters", f.parameters());
        }
        f.strict().ifPresent(s -> fn.put("strict", s));
        if (passthrough) {
          merge(fn, f.passthrough());
        }
        yield t;
      }
    };
  }

  /** {@code tool_choice} for a tool choice, naming a custom (hosted) tool as OpenAI does. */
  public static JsonNode toolChoice(ToolChoice choice, List<Tool> offered) {
    return switch (choice.mode()) {
      case AUTO -> JsonNodeFactory.instance.textNode("auto");
      case NONE -> JsonNodeFactory.instance.textNode("none");
      case REQUIRED -> JsonNodeFactory.instance.textNode("required");
      case NAMED -> {
        String name = choice.name().orElseThrow();
        String type = offered.stream().filter(t -> t.name().equals(name)).findFirst()
            .map(t -> t instanceof Tool.Hosted h ? h.type() : "function").orElse("function");
        ObjectNode c = Json.MAPPER.createObjectNode().put("type", type);
        c.putObject(type).put("name", name);
        yield c;
      }
    };
  }

  // ---------------------------------------------------------------- answers

  /**
   * The blocks of an answer's {@code message} (or a stream's accumulated message): reasoning
   * text as unsigned thinking (OpenAI-compatible servers' {@code reasoning_content} or {@code
   * reasoning}), text, tool calls with their ids unchanged.
   */
  public static List<Content> answer(JsonNode message) {
    List<Content> blocks = new ArrayList<>();
    String thinking = reasoningText(message);
    if (!thinking.isEmpty()) {
      blocks.add(Content.Thinking.unsigned(thinking));
    }
    String text = message.path("content").asText("");
    JsonNode refusal = message.path("refusal");
    if (text.isEmpty() && refusal.isTextual()) {
      text = refusal.asText();
    }
    List<Content> calls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      if (c.path("type").asText("function").equals("custom") && c.isObject()) {
        calls.add(new Content.Opaque(FORMAT, "custom", (ObjectNode) c));
        continue;
      }
      JsonNode f = c.path("function");
      calls.add(new Content.ToolCall(idOf(c.path("id")), f.path("name").asText(""), argumentsOf(f.path("arguments"))));
    }
    if (!text.isEmpty() || calls.isEmpty()) {
      blocks.add(new Content.Text(text));
    }
    blocks.addAll(calls);
    return blocks;
  }

  /** OpenAI-compatible servers send reasoning as {@code reasoning_content} (vLLM, DeepSeek) or {@code reasoning}. */
  public static String reasoningText(JsonNode messageOrDelta) {
    JsonNode r = messageOrDelta.path("reasoning_content");
    if (!r.isTextual()) {
      r = messageOrDelta.path("reasoning");
    }
    return r.isTextual() ? r.asText() : "";
  }

  /** A choice's {@code finish_reason}, with vLLM's {@code stop_reason} naming the stop sequence written. */
  public static StopReason stopReason(JsonNode choice, List<String> stopSequences) {
    return stopSequence(choice, stopSequences).isPresent() ? StopReason.STOP_SEQUENCE
        : StopReason.fromOpenAi(choice.path("finish_reason").asText(null));
  }

  /** The stop sequence written, when the server says which (vLLM's {@code stop_reason}). */
  public static Optional<String> stopSequence(JsonNode choice, List<String> stopSequences) {
    JsonNode s = choice.path("stop_reason");
    return s.isTextual() && choice.path("finish_reason").asText("").equals("stop") && stopSequences.contains(s.asText())
        ? Optional.of(s.asText()) : Optional.empty();
  }

  /** The first chunk of a streamed tool call: {@code index}, {@code id}, {@code type}, the name and empty arguments. */
  public static ObjectNode toolCallStart(int index, String id, String name) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("index", index);
    c.put("id", id);
    c.put("type", "function");
    c.putObject("function").put("name", name).put("arguments", "");
    return c;
  }

  /** A later chunk of a streamed tool call: a piece of its arguments. */
  public static ObjectNode toolCallArguments(int index, String fragment) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("index", index);
    c.putObject("function").put("arguments", fragment);
    return c;
  }

  /**
   * The tool calls of a streamed answer, from the {@code delta.tool_calls} pieces: per {@code
   * index}, id and name come first and the arguments in pieces. They are passed on so that each
   * call's arguments follow its start ({@link Deltas}): the first call streams as it comes; any
   * other waits for the end of the stream, since OpenAI may interleave the indexes of parallel
   * calls and a call passed on cannot be reopened.
   */
  public static final class StreamedToolCalls {
    private static final class Call {
      String id = "";
      String name = "";
      final StringBuilder arguments = new StringBuilder();
      boolean passedOn;
    }

    private final Map<Integer, Call> calls = new TreeMap<>();
    private Integer live;

    /** Takes one chunk's {@code delta.tool_calls}; returns whether it started or continued a call. */
    public boolean add(JsonNode toolCalls, Deltas deltas) {
      boolean any = false;
      for (JsonNode piece : toolCalls) {
        int index = piece.path("index").asInt(calls.size());
        Call call = calls.computeIfAbsent(index, i -> new Call());
        if (call.id.isEmpty() && piece.path("id").isTextual()) {
          call.id = piece.get("id").asText();
        }
        JsonNode f = piece.path("function");
        if (call.name.isEmpty() && f.path("name").isTextual()) {
          call.name = f.get("name").asText();
        }
        String fragment = f.path("arguments").isTextual() ? f.get("arguments").asText() : "";
        call.arguments.append(fragment);
        if (live == null && !call.name.isEmpty()) {
          live = index;
          call.id = idOf(JsonNodeFactory.instance.textNode(call.id));
          call.passedOn = true;
          deltas.toolCall(call.id, call.name);
          fragment = call.arguments.toString();
        }
        if (live != null && live == index && !fragment.isEmpty()) {
          deltas.toolArguments(fragment);
        }
        any = true;
      }
      return any;
    }

    /** Passes on the calls that waited, in index order; call at the end of the stream. */
    public void finish(Deltas deltas) {
      for (Call call : calls.values()) {
        if (!call.passedOn) {
          call.id = idOf(JsonNodeFactory.instance.textNode(call.id));
          call.passedOn = true;
          deltas.toolCall(call.id, call.name);
          if (!call.arguments.isEmpty()) {
            deltas.toolArguments(call.arguments.toString());
          }
        }
      }
    }

    /** The calls, in index order, with whole arguments. */
    public List<Content.ToolCall> calls() {
      return calls.values().stream()
          .map(c -> new Content.ToolCall(idOf(JsonNodeFactory.instance.textNode(c.id)), c.name,
              argumentsOf(JsonNodeFactory.instance.textNode(c.arguments.toString()))))
          .toList();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A call of a custom (not function) tool, kept whole as the client sent it. */
  private static boolean isCustomCall(Content.Opaque o) {
    return o.format().equals(FORMAT) && o.type().equals("custom") && o.raw().path("id").isTextual();
  }

  /** A call's id as sent; a server that sends none (some compatible ones) gets one, for results to find it. */
  private static String idOf(JsonNode id) {
    return id.isTextual() && !id.asText().isEmpty() ? id.asText() : "call_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Some compatible servers send no arguments for a call without parameters: that is {@code {}}. */
  private static String argumentsOf(JsonNode arguments) {
    return arguments.isTextual() && !arguments.asText().isBlank() ? arguments.asText() : "{}";
  }

  private static String requiredText(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidRequest(where + "." + field + ": field required", where + "." + field);
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new InvalidRequest(where + "." + field + ": expected a non-empty string, got " + JsonTypes.describe(v), where + "." + field);
    }
    return v.asText();
  }

  private static boolean isJsonObject(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      return node != null && node.isObject();
    } catch (IOException e) {
      return false;
    }
  }

  /** The fields of {@code node} other than {@code used}, or null when there are none. */
  private static ObjectNode rest(JsonNode node, String... used) {
    ObjectNode rest = null;
    Set<String> known = Set.of(used);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!known.contains(e.getKey())) {
        if (rest == null) {
          rest = Json.MAPPER.createObjectNode();
        }
        rest.set(e.getKey(), e.getValue());
      }
    }
    return rest;
  }

  /** Adds the passthrough fields the rendered node does not set itself. */
  private static void merge(ObjectNode into, ObjectNode passthrough) {
    passthrough.fields().forEachRemaining(e -> {
      if (!into.has(e.getKey())) {
        into.set(e.getKey(), e.getValue());
      }
    });
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
