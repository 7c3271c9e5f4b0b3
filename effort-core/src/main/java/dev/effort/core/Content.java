package dev.effort.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One block of a message: what every wire format parses into and renders from. A block with no
 * counterpart in the format it must be sent in is dropped and named in the trace, never silently.
 *
 * <p>{@code passthrough} holds the fields of a block that this gateway does not use (Anthropic's
 * {@code cache_control}, {@code citations}, …): they go back upstream unchanged when the upstream
 * speaks the client's format, and are left out otherwise.
 */
public sealed interface Content {

  /** A short name for traces and errors: {@code text}, {@code image}, {@code tool_call}, … */
  String kind();

  /** Plain text. */
  record Text(String text, ObjectNode passthrough) implements Content {
    public Text {
      Objects.requireNonNull(text, "text");
      passthrough = Passthrough.copy(passthrough);
    }

    public Text(String text) {
      this(text, null);
    }

    @Override
    public String kind() {
      return "text";
    }
  }

  /**
   * An image, inline ({@code data}, base64, with its media type) or by {@code url}.
   *
   * @param mediaType e.g. {@code image/png}; empty for a URL whose type is not known
   */
  record Image(String mediaType, Optional<String> data, Optional<String> url, ObjectNode passthrough) implements Content {
    public Image {
      Objects.requireNonNull(mediaType, "mediaType");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(url, "url");
      if (data.isPresent() == url.isPresent()) {
        throw new IllegalArgumentException("an image has either inline data or a url");
      }
      passthrough = Passthrough.copy(passthrough);
    }

    public static Image inline(String mediaType, String base64) {
      return new Image(mediaType, Optional.of(base64), Optional.empty(), null);
    }

    public static Image at(String url) {
      return new Image("", Optional.empty(), Optional.of(url), null);
    }

    @Override
    public String kind() {
      return "image";
    }
  }

  /**
   * A call of a client-defined tool by the model.
   *
   * @param id the call's id, kept as it came so that results find their call across formats
   * @param arguments the arguments as JSON text (an object), exactly as the model wrote them
   */
  record ToolCall(String id, String name, String arguments, ObjectNode passthrough) implements Content {
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(arguments, "arguments");
      passthrough = Passthrough.copy(passthrough);
    }

    public ToolCall(String id, String name, String arguments) {
      this(id, name, arguments, null);
    }

    /** Name and canonical arguments: two calls with the same key do the same thing. */
    public String key() {
      return name + Json.canonical(arguments);
    }

    @Override
    public String kind() {
      return "tool_call";
    }
  }

  /** What a tool returned for the call {@code callId}: text and images, or an error. */
  record ToolResult(String callId, List<Content> content, boolean isError, ObjectNode passthrough) implements Content {
    public ToolResult {
      Objects.requireNonNull(callId, "callId");
      content = List.copyOf(content);
      passthrough = Passthrough.copy(passthrough);
    }

    public ToolResult(String callId, String text, boolean isError) {
      this(callId, List.of(new Text(text)), isError, null);
    }

    /** The result's text parts, joined. */
    public String text() {
      return Message.textOf(content);
    }

    @Override
    public String kind() {
      return "tool_result";
    }
  }

  /**
   * The model's visible thinking.
   *
   * @param signature what the upstream signed it with (Anthropic's {@code signature}, OpenAI's
   *     {@code encrypted_content}), kept byte for byte; empty when it came unsigned
   * @param origin who signed it: {@link #ANTHROPIC}, {@link #OPENAI}, or {@link #GATEWAY} when the
   *     signature is this gateway's own (thinking of another provider, or none), which no upstream
   *     may be sent
   */
  record Thinking(String text, String signature, String origin) implements Content {
    public static final String ANTHROPIC = "anthropic";
    public static final String OPENAI = "openai";
    public static final String GATEWAY = "effort";

    public Thinking {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(origin, "origin");
    }

    /** Thinking that no upstream signed. */
    public static Thinking unsigned(String text) {
      return new Thinking(text, "", GATEWAY);
    }

    @Override
    public String kind() {
      return "thinking";
    }
  }

  /** Anthropic's encrypted thinking, passed back to Anthropic untouched. */
  record RedactedThinking(String data) implements Content {
    public RedactedThinking {
      Objects.requireNonNull(data, "data");
    }

    @Override
    public String kind() {
      return "redacted_thinking";
    }
  }

  /**
   * A block only its own format knows (an Anthropic {@code document}, a server tool's use or
   * result): sent unchanged to an upstream of that format, dropped and named for any other.
   *
   * @param format {@code anthropic} or {@code openai}
   * @param raw the block as the client sent it
   */
  record Opaque(String format, String type, ObjectNode raw) implements Content {
    public Opaque {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(type, "type");
      raw = raw.deepCopy();
    }

    @Override
    public String kind() {
      return type;
    }
  }
}
