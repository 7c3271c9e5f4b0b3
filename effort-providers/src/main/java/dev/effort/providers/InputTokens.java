package dev.effort.providers;

import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Tool;
import dev.effort.core.Tools;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Input tokens of a request as this gateway counts them (cl100k, {@link TokenCounter}): message
 * text, tool calls and results, thinking, tool definitions, and images at Anthropic's published
 * rate of width × height / 750 tokens (an image whose size is not known, one given by URL, counts
 * as {@value #UNKNOWN_IMAGE_TOKENS}, the rate's value for the largest image sent unscaled).
 */
public final class InputTokens {
  /** Tokens per message for role and separators, as OpenAI counts them. */
  static final int PER_MESSAGE = 4;
  static final int UNKNOWN_IMAGE_TOKENS = 1_600;
  /** Images above about 1.15 megapixels are scaled down before the model sees them. */
  static final long MAX_IMAGE_PIXELS = 1_200_000;

  private InputTokens() {}

  public static long of(List<Message> messages, Tools tools) {
    long n = 0;
    for (Message m : messages) {
      n += PER_MESSAGE;
      for (Content c : m.content()) {
        n += of(c);
      }
    }
    for (Tool t : tools.offered()) {
      n += switch (t) {
        case Tool.Function f -> TokenCounter.count(f.name()) + TokenCounter.count(f.description())
            + TokenCounter.count(Json.string(f.parameters())) + PER_MESSAGE;
        case Tool.Hosted h -> TokenCounter.count(Json.string(h.raw())) + PER_MESSAGE;
      };
    }
    return n;
  }

  private static long of(Content c) {
    return switch (c) {
      case Content.Text t -> TokenCounter.count(t.text());
      case Content.Image i -> i.data().flatMap(InputTokens::pixels).map(p -> Math.max(1, Math.min(p, MAX_IMAGE_PIXELS) / 750))
          .orElse((long) UNKNOWN_IMAGE_TOKENS);
      case Content.ToolCall call -> TokenCounter.count(call.name()) + TokenCounter.count(call.arguments());
      case Content.ToolResult r -> r.content().stream().mapToLong(InputTokens::of).sum();
      case Content.Thinking t -> TokenCounter.count(t.text());
      case Content.RedactedThinking r -> r.data().length() / 4;
      case Content.Opaque o -> TokenCounter.count(Json.string(o.raw()));
    };
  }

  /** Width × height of a PNG, GIF, JPEG or WebP image, read from its header. */
  static Optional<Long> pixels(String base64) {
    byte[] head;
    try {
      // The header is near the start; decode a prefix only (a multiple of 4 characters).
      String prefix = base64.length() > 65_536 ? base64.substring(0, 65_536) : base64;
      head = Base64.getMimeDecoder().decode(prefix);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return ImageHeader.size(head).map(s -> (long) s[0] * s[1]);
  }
}
