package dev.effort.providers.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Anthropic Messages JSON to and from the core blocks, tools and tool choice: the one codec of the
 * format. The gateway parses client requests and renders answers with it; the Anthropic provider
 * renders upstream requests and parses upstream answers with the same block code (a request's
 * blocks and an answer's blocks have one shape in this format).
 *
 * <p>Thinking signatures: a signature Anthropic made is kept byte for byte (origin {@code
 * anthropic}). Thinking Anthropic did not sign (another provider's, or none) is shown to an
 * Anthropic client with a signature of the gateway's own, {@value #GATEWAY_SIGNATURE} (followed by
 * {@code .openai.} and OpenAI's encrypted content when OpenAI signed it), so that a client sending it
 * back is recognized and it is never forwarded to Anthropic.
 *
 * <p>Tool call ids go unchanged when they fit Anthropic's pattern {@code [a-zA-Z0-9_-]+} (OpenAI's
 * {@code call_…} and {@code fc_…} do); any other id is mapped by {@link #toolId}, the same way every
 * time, so that a call and its result still match.
 */
public final class AnthropicWire {
  public static final String FORMAT = "anthropic";

  /** How every signature the gateway writes on thinking begins. */
  public static final String GATEWAY_SIGNATURE = "effort-gateway";

  private static final String OPENAI_SIGNATURE = GATEWAY_SIGNATURE + ".openai.";
  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final Pattern TOOL_ID = Pattern.compile("[a-zA-Z0-9_-]+");

  private AnthropicWire() {}

  // ---------------------------------------------------------------- parse

  /** The {@code system} field: a string, or text blocks (their {@code cache_control} kept). */
  public static List<Content> system(JsonNode system) {
    if (system.isTextual()) {
      return List.of(new Content.Text(system.asText()));
    }
    if (!system.isArray()) {
      throw new InvalidRequest("system: expected a string or an array of text blocks, got " + JsonTypes.describe(system), "system");
    }
    List<Content> blocks = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      Content c = block(system.get(i), "system." + i, "system");
      if (!(c instanceof Content.Text)) {
        throw new InvalidRequest("system." + i + ": only text blocks are accepted in system, not '" + c.kind() + "'",
            "system." + i);
      }
      blocks.add(c);
    }
    return blocks;
  }

  /** A message's {@code content}: a string, or an array of blocks. */
  public static List<Content> blocks(JsonNode content, String where, String role) {
    if (content.isTextual()) {
      return List.of(new Content.Text(content.asText()));
    }
    if (!content.isArray()) {
      throw new InvalidRequest(where + ": expected a string or an array of content blocks, got " + JsonTypes.describe(content), where);
    }
    List<Content> blocks = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      blocks.add(block(content.get(i), where + "." + i, role));
    }
    return blocks;
  }

  /**
   * One block. Blocks this codec has no core counterpart for ({@code document}, {@code
   * server_tool_use}, {@code web_search_tool_result}, …) are kept whole as {@link Content.Opaque}.
   *
   * @param role {@code user}, {@code assistant} or {@code system}: tool calls are the assistant's,
   *     tool results the user's
   */
  public static Content block(JsonNode block, String where, String role) {
    if (!block.isObject()) {
      throw new InvalidRequest(where + ": expected a content block object, got " + JsonTypes.describe(block), where);
    }
    String type = block.path("type").asText("");
    if (!block.path("type").isTextual() || type.isEmpty()) {
      throw new InvalidRequest(where + ".type: field required (text, image, tool_use, tool_result, thinking, document, …)",
          where + ".type");
    }
    ObjectNode o = (ObjectNode) block;
    return switch (type) {
      case "text" -> new Content.Text(string(o, "text", where), rest(o, "type", "text"));
      case "image" -> image(o, where);
      case "tool_use" -> {
        requireRole(role, "assistant", type, where);
        String id = nonEmpty(o, "id", where);
        String name = nonEmpty(o, "name", where);
        JsonNode input = o.get("input");
        if (input == null || !input.isObject()) {
          throw new InvalidRequest(where + ".input: expected the tool's arguments as a JSON object, got "
              + (input == null ? "nothing" : JsonTypes.describe(input)), where + ".input");
        }
        yield new Content.ToolCall(id, name, Json.string(input), rest(o, "type", "id", "name", "input"));
      }
      case "tool_result" -> {
        requireRole(role, "user", type, where);
        String id = nonEmpty(o, "tool_use_id", where);
        JsonNode content = o.get("content");
        List<Content> parts = new ArrayList<>();
        if (content != null && !content.isNull()) {
          for (Content c : blocks(content, where + ".content", "tool_result")) {
            if (c instanceof Content.ToolCall || c instanceof Content.ToolResult) {
              throw new InvalidRequest(where + ".content: a tool result holds text, images or documents, not " + c.kind(),
                  where + ".content");
            }
            parts.add(c);
          }
        }
        JsonNode isError = o.get("is_error");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
          throw new InvalidRequest(where + ".is_error: expected true or false, got " + JsonTypes.describe(isError), where + ".is_error");
        }
        yield new Content.ToolResult(id, parts, isError != null && isError.asBoolean(),
            rest(o, "type", "tool_use_id", "content", "is_error"));
      }
      case "thinking" -> thinking(string(o, "thinking", where), o.path("signature").asText(""));
      case "redacted_thinking" -> new Content.RedactedThinking(string(o, "data", where));
      default -> new Content.Opaque(FORMAT, type, o);
    };
  }

  /** Thinking as sent with {@code signature}: Anthropic's, or one the gateway wrote. */
  static Content.Thinking thinking(String text, String signature) {
    if (signature.startsWith(OPENAI_SIGNATURE)) {
      return new Content.Thinking(text, signature.substring(OPENAI_SIGNATURE.length()), Content.Thinking.OPENAI);
    }
    if (signature.isEmpty() || signature.startsWith(GATEWAY_SIGNATURE)) {
      return Content.Thinking.unsigned(text);
    }
    return new Content.Thinking(text, signature, Content.Thinking.ANTHROPIC);
  }

  private static Content image(ObjectNode o, String where) {
    JsonNode source = o.get("source");
    if (source == null || !source.isObject()) {
      throw new InvalidRequest(where + ".source: an image block needs a source object, {\"type\": \"base64\", \"media_type\","
          + " \"data\"} or {\"type\": \"url\", \"url\"}; other block types: text, tool_use, tool_result, document",
          where + ".source");
    }
    ObjectNode passthrough = rest(o, "type", "source");
    switch (source.path("type").asText("")) {
      case "base64" -> {
        String mediaType = source.path("media_type").asText("");
        if (!IMAGE_TYPES.contains(mediaType)) {
          throw new InvalidRequest(where + ".source.media_type: '" + mediaType + "' is not an image type this format takes;"
              + " accepted: image/jpeg, image/png, image/gif, image/webp", where + ".source.media_type");
        }
        String data = source.path("data").asText("");
        if (data.isEmpty() || !isBase64(data)) {
          throw new InvalidRequest(where + ".source.data: expected the image as base64 (no data: prefix, no line breaks)",
              where + ".source.data");
        }
        return new Content.Image(mediaType, Optional.of(data), Optional.empty(), passthrough);
      }
      case "url" -> {
        String url = source.path("url").asText("");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
          throw new InvalidRequest(where + ".source.url: expected an http(s) URL of the image", where + ".source.url");
        }
        return new Content.Image("", Optional.empty(), Optional.of(url), passthrough);
      }
      default -> {
        return new Content.Opaque(FORMAT, "image", o); // e.g. a file_id source: only Anthropic knows it
      }
    }
  }

  private static boolean isBase64(String data) {
    try {
      Base64.getDecoder().decode(data);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The {@code tools} and {@code tool_choice} fields. */
  public static Tools tools(JsonNode tools, JsonNode toolChoice) {
    List<Tool> offered = new ArrayList<>();
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw new InvalidRequest("tools: expected an array of tools, got " + JsonTypes.describe(tools), "tools");
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < tools.size(); i++) {
        Tool t = tool(tools.get(i), "tools." + i);
        if (!names.add(t.name())) {
          throw new InvalidRequest("tools." + i + ".name: '" + t.name() + "' is offered twice; tool names must be unique",
              "tools." + i + ".name");
        }
        offered.add(t);
      }
    }
    Optional<ToolChoice> choice = Optional.empty();
    Optional<Boolean> parallel = Optional.empty();
    if (toolChoice != null && !toolChoice.isNull()) {
      if (!toolChoice.isObject()) {
        throw new InvalidRequest("tool_choice: expected an object such as {\"type\": \"auto\"}, got " + JsonTypes.describe(toolChoice),
            "tool_choice");
      }
      choice = Optional.of(switch (toolChoice.path("type").asText("")) {
        case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
        case "any" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
        case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
        case "tool" -> {
          String name = nonEmpty((ObjectNode) toolChoice, "name", "tool_choice");
          if (offered.stream().noneMatch(t -> t.name().equals(name))) {
            throw new InvalidRequest("tool_choice.name: no tool named '" + name + "' is offered in tools", "tool_choice.name");
          }
          yield ToolChoice.named(name);
        }
        default -> throw new InvalidRequest("tool_choice.type: expected auto, any, tool or none, got "
            + toolChoice.path("type"), "tool_choice.type");
      });
      JsonNode disable = toolChoice.get("disable_parallel_tool_use");
      if (disable != null && !disable.isNull()) {
        if (!disable.isBoolean()) {
          throw new InvalidRequest("tool_choice.disable_parallel_tool_use: expected true or false, got " + JsonTypes.describe(disable),
              "tool_choice.disable_parallel_tool_use");
        }
        parallel = Optional.of(!disable.asBoolean());
      }
    }
    return new Tools(offered, choice, parallel);
  }

  private static Tool tool(JsonNode tool, String where) {
    if (!tool.isObject()) {
      throw new InvalidRequest(where + ": expected a tool object, got " + JsonTypes.describe(tool), where);
    }
    ObjectNode o = (ObjectNode) tool;
    String type = o.path("type").asText("custom");
    if (type.equals("function")) {
      throw new InvalidRequest(where + ".type: 'function' tools are the OpenAI format and not supported on /v1/messages;"
          + " send {\"name\", \"description\", \"input_schema\"}", where + ".type");
    }
    if (!type.equals("custom")) {
      // A server tool (web search, code execution, computer use, …): Anthropic runs it.
      String name = o.path("name").isTextual() && !o.path("name").asText().isEmpty() ? o.path("name").asText() : type;
      return new Tool.Hosted(FORMAT, type, name, o);
    }
    String name = nonEmpty(o, "name", where);
    JsonNode description = o.get("description");
    if (description != null && !description.isNull() && !description.isTextual()) {
      throw new InvalidRequest(where + ".description: expected a string, got " + JsonTypes.describe(description), where + ".description");
    }
    JsonNode schema = o.get("input_schema");
    if (schema == null || schema.isNull()) {
      throw new InvalidRequest(where + ".input_schema: field required (a JSON Schema of type object)", where + ".input_schema");
    }
    if (!schema.isObject() || (schema.has("type") && !schema.path("type").asText().equals("object"))) {
      throw new InvalidRequest(where + ".input_schema: expected a JSON Schema object with \"type\": \"object\", got "
          + (schema.isObject() ? "type " + schema.get("type") : JsonTypes.describe(schema)), where + ".input_schema");
    }
    JsonNode strict = o.get("strict");
    return new Tool.Function(name, description == null || description.isNull() ? "" : description.asText(),
        (ObjectNode) schema, strict != null && strict.isBoolean() ? Optional.of(strict.asBoolean()) : Optional.empty(),
        rest(o, "type", "name", "description", "input_schema", "strict"));
  }

  /**
   * Every tool result answers a tool call made earlier in the conversation (Anthropic refuses
   * anything else, and so does the gateway, before any upstream is paid).
   */
  public static void requireKnownToolResults(List<Message> messages) {
    Set<String> calls = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      for (Content c : messages.get(i).content()) {
        if (c instanceof Content.ToolCall call) {
          calls.add(call.id());
        } else if (c instanceof Content.ToolResult result && !calls.contains(result.callId())) {
          throw new InvalidRequest("a tool_result has tool_use_id '" + result.callId() + "', which no earlier tool_use block"
              + " of the conversation has; send each tool result after the assistant message that called the tool",
              "messages");
        }
      }
    }
  }

  // ---------------------------------------------------------------- render

  /**
   * One block as Anthropic JSON, or empty when the format has no way to write it (another
   * format's opaque block). Thinking gets its Anthropic signature, else the gateway's.
   *
   * @param passthrough whether the block's unused fields ({@code cache_control}, {@code citations})
   *     go with it: only toward the format they came from
   */
  public static Optional<ObjectNode> render(Content block, boolean passthrough) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    switch (block) {
      case Content.Text t -> {
        o.put("type", "text").put("text", t.text());
        extra(o, t.passthrough(), passthrough);
      }
      case Content.Image i -> {
        o.put("type", "image");
        ObjectNode source = o.putObject("source");
        if (i.data().isPresent()) {
          source.put("type", "base64").put("media_type", i.mediaType()).put("data", i.data().get());
        } else {
          source.put("type", "url").put("url", i.url().orElseThrow());
        }
        extra(o, i.passthrough(), passthrough);
      }
      case Content.ToolCall c -> {
        o.put("type", "tool_use").put("id", toolId(c.id())).put("name", c.name());
        o.set("input", input(c.arguments()));
        extra(o, c.passthrough(), passthrough);
      }
      case Content.ToolResult r -> {
        o.put("type", "tool_result").put("tool_use_id", toolId(r.callId()));
        JsonNode content = content(r.content(), passthrough);
        if (!content.isArray() || !content.isEmpty()) {
          o.set("content", content);
        }
        if (r.isError()) {
          o.put("is_error", true);
        }
        extra(o, r.passthrough(), passthrough);
      }
      case Content.Thinking t -> o.put("type", "thinking").put("thinking", t.text()).put("signature", signature(t));
      case Content.RedactedThinking r -> o.put("type", "redacted_thinking").put("data", r.data());
      case Content.Opaque x -> {
        if (!x.format().equals(FORMAT)) {
          return Optional.empty();
        }
        return Optional.of(x.raw());
      }
    }
    return Optional.of(o);
  }

  /** Blocks as an array. */
  public static ArrayNode renderAll(List<Content> blocks, boolean passthrough) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Content c : blocks) {
      render(c, passthrough).ifPresent(out::add);
    }
    return out;
  }

  /**
   * A message's or tool result's {@code content}: one plain text block is written as a string,
   * anything else as an array of blocks.
   */
  public static JsonNode content(List<Content> blocks, boolean passthrough) {
    if (blocks.size() == 1 && blocks.get(0) instanceof Content.Text t && (!passthrough || t.passthrough().isEmpty())) {
      return Json.MAPPER.getNodeFactory().textNode(t.text());
    }
    return renderAll(blocks, passthrough);
  }

  /** The signature an Anthropic client sees on this thinking. */
  public static String signature(Content.Thinking t) {
    return switch (t.origin()) {
      case Content.Thinking.ANTHROPIC -> t.signature();
      case Content.Thinking.OPENAI -> t.signature().isEmpty() ? GATEWAY_SIGNATURE : OPENAI_SIGNATURE + t.signature();
      default -> GATEWAY_SIGNATURE;
    };
  }

  /** The signature of streamed thinking, as {@link #signature(Content.Thinking)} writes it. */
  public static String signature(String signature, String origin) {
    return signature(new Content.Thinking("", signature, origin));
  }

  /**
   * A tool call id Anthropic accepts: the id itself when it fits {@code [a-zA-Z0-9_-]+}, else the id
   * with every other character written as {@code _}, then {@code -} and 8 hex digits of its
   * SHA-256, so that two different ids never meet and the same id always maps alike.
   */
  public static String toolId(String id) {
    if (TOOL_ID.matcher(id).matches()) {
      return id;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return id.replaceAll("[^a-zA-Z0-9_-]", "_") + "-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * A tool call's arguments as the object {@code input} must be: none is {@code {}}; text that is
   * not a JSON object (a call cut off by the output cap) is {@code {}} too, Anthropic taking no other.
   */
  public static ObjectNode input(String arguments) {
    if (arguments.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode parsed = Json.MAPPER.readTree(arguments);
      return parsed != null && parsed.isObject() ? (ObjectNode) parsed : Json.MAPPER.createObjectNode();
    } catch (JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  /** A client tool as Anthropic's custom tool, a hosted one as it came. */
  public static ObjectNode render(Tool tool, boolean passthrough) {
    return switch (tool) {
      case Tool.Hosted h -> h.raw();
      case Tool.Function f -> {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", f.name());
        if (!f.description().isEmpty()) {
          o.put("description", f.description());
        }
        ObjectNode schema = f.parameters();
        if (!schema.has("type")) { // Anthropic requires it; OpenAI takes {} for a function without arguments
          schema = Json.MAPPER.createObjectNode().put("type", "object");
          schema.setAll(f.parameters());
        }
        o.set("input_schema", schema);
        if (passthrough) {
          f.strict().ifPresent(s -> o.put("strict", s)); // Anthropic's strict takes a beta: same format only
        }
        extra(o, f.passthrough(), passthrough);
        yield o;
      }
    };
  }

  /**
   * The {@code tool_choice} object, or empty when the client set neither a choice nor parallel calls.
   * Anthropic's {@code none} takes no {@code disable_parallel_tool_use}.
   */
  public static Optional<ObjectNode> toolChoice(Optional<ToolChoice> choice, Optional<Boolean> parallel) {
    if (choice.isEmpty() && parallel.isEmpty()) {
      return Optional.empty();
    }
    if (choice.isEmpty() && parallel.get()) {
      return Optional.empty(); // parallel calls are Anthropic's default
    }
    ToolChoice c = choice.orElse(ToolChoice.of(ToolChoice.Mode.AUTO));
    ObjectNode o = Json.MAPPER.createObjectNode();
    switch (c.mode()) {
      case AUTO -> o.put("type", "auto");
      case NONE -> o.put("type", "none");
      case REQUIRED -> o.put("type", "any");
      case NAMED -> o.put("type", "tool").put("name", c.name().orElseThrow());
    }
    if (c.mode() != ToolChoice.Mode.NONE) {
      parallel.ifPresent(p -> o.put("disable_parallel_tool_use", !p));
    }
    return Optional.of(o);
  }

  // ---------------------------------------------------------------- helpers

  private static void extra(ObjectNode o, ObjectNode passthrough, boolean include) {
    if (include) {
      for (var e : passthrough.properties()) {
        if (!o.has(e.getKey())) {
          o.set(e.getKey(), e.getValue());
        }
      }
    }
  }

  /** The block's fields but {@code used}: what the gateway passes through. */
  private static ObjectNode rest(ObjectNode o, String... used) {
    ObjectNode rest = o.deepCopy();
    rest.remove(List.of(used));
    return rest;
  }

  private static void requireRole(String role, String expected, String type, String where) {
    if (!role.equals(expected)) {
      throw new InvalidRequest(where + ": a " + type + " block belongs in " + ("assistant".equals(expected) ? "an" : "a") + " "
          + expected + " message, not " + ("assistant".equals(role) ? "an" : "a") + " " + role.replace('_', ' '),
          where);
    }
  }

  private static String string(ObjectNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidRequest(where + "." + field + ": expected a string, got " + (v == null ? "nothing" : JsonTypes.describe(v)),
          where + "." + field);
    }
    return v.asText();
  }

  private static String nonEmpty(ObjectNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidRequest(where + "." + field + ": field required", where + "." + field);
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new InvalidRequest(where + "." + field + ": expected a non-empty string, got " + JsonTypes.describe(v), where + "." + field);
    }
    return v.asText();
  }
}
