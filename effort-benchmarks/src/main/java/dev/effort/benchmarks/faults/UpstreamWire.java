package dev.effort.benchmarks.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream API's wire format as {@link FaultyUpstream} speaks it: whole answers, streams as
 * their events (so that a fault can cut, break or interrupt them between any two), and error bodies,
 * each in the shape the real API sends.
 */
sealed interface UpstreamWire {

  /** Token counts of one answer. */
  record Usage(long input, long output) {}

  /** An error answer: status and body. */
  record ErrorReply(int status, ObjectNode body) {}

  /**
   * A streamed answer as server-sent events (each with its blank line): the events before the
   * content, one per piece of text, and those after it.
   */
  record Stream(List<String> start, List<String> deltas, List<String> end) {}

  String path();

  String name();

  ObjectNode whole(String id, String model, String text, Usage usage);

  /** @param requestBody the request, for options that change the stream (OpenAI's include_usage) */
  Stream stream(String id, String model, List<String> pieces, Usage usage, JsonNode requestBody);

  /** An error body of {@code type} in this format. */
  ObjectNode error(String type, String message);

  /** The answer of an HTTP error fault ({@link Fault.Kind#isStatus()}). */
  ErrorReply statusFault(Fault fault);

  /** A stream event carrying an error, as the API sends one mid-stream. */
  String streamError();

  /** An event of the stream's own kind whose JSON breaks off: what a broken encoder or proxy sends. */
  String brokenEvent(String id, String model);

  /** Why a request cannot be answered, as the real API says it, or null when it can. */
  default String invalid(JsonNode body) {
    if (body == null || !body.isObject()) {
      return "The request body is not a JSON object.";
    }
    if (!body.path("model").isTextual()) {
      return "model: Field required";
    }
    if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
      return "messages: Field required (a non-empty list)";
    }
    return null;
  }

  private static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  /** OpenAI Chat Completions: {@code POST /v1/chat/completions}. */
  record OpenAiChat() implements UpstreamWire {
    @Override
    public String path() {
      return "/v1/chat/completions";
    }

    @Override
    public String name() {
      return "openai";
    }

    @Override
    public ObjectNode whole(String id, String model, String text, Usage usage) {
      ObjectNode o = header(id, "chat.completion", model);
      ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
      choice.putNull("logprobs");
      choice.put("finish_reason", "stop");
      o.set("usage", usage(usage));
      return o;
    }

    @Override
    public Stream stream(String id, String model, List<String> pieces, Usage usage, JsonNode requestBody) {
      // With include_usage every chunk has "usage": null, and one more chunk without choices carries it.
      boolean includeUsage = requestBody.path("stream_options").path("include_usage").asBoolean(false);
      List<String> deltas = new ArrayList<>();
      for (String piece : pieces) {
        deltas.add(data(chunk(id, model, includeUsage, false, piece, null)));
      }
      List<String> end = new ArrayList<>();
      end.add(data(chunk(id, model, includeUsage, false, null, "stop")));
      if (includeUsage) {
        ObjectNode last = header(id, "chat.completion.chunk", model);
        last.putArray("choices");
        last.set("usage", usage(usage));
        end.add(data(last));
      }
      end.add("data: [DONE]\n\n");
      return new Stream(List.of(data(chunk(id, model, includeUsage, true, "", null))), deltas, end);
    }

    /**
     * One chunk with a single choice: the first names the role, the finishing one has an empty
     * delta ({@code content} null) and the finish reason.
     */
    private static ObjectNode chunk(String id, String model, boolean includeUsage, boolean role, String content,
        String finish) {
      ObjectNode c = header(id, "chat.completion.chunk", model);
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      ObjectNode delta = choice.putObject("delta");
      if (role) {
        delta.put("role", "assistant");
      }
      if (content != null) {
        delta.put("content", content);
      }
      choice.putNull("logprobs");
      if (finish == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finish);
      }
      if (includeUsage) {
        c.putNull("usage");
      }
      return c;
    }

    @Override
    public ObjectNode error(String type, String message) {
      ObjectNode o = object();
      o.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
      return o;
    }

    @Override
    public ErrorReply statusFault(Fault fault) {
      return switch (fault.kind()) {
        case HTTP_500 -> new ErrorReply(500,
            error("server_error", "The server had an error while processing your request. Sorry about that!"));
        case HTTP_502 -> new ErrorReply(502, error("server_error", "Bad gateway."));
        case HTTP_503 -> new ErrorReply(503, error("server_error", "The server is overloaded or not ready yet."));
        case HTTP_529 -> new ErrorReply(503, error("server_error",
            "The engine is currently overloaded, please try again later."));
        case HTTP_429 -> {
          ObjectNode o = error("requests", "Rate limit reached for requests. Please try again in "
              + fault.retryAfterSeconds().orElse(1) + "s.");
          ((ObjectNode) o.get("error")).put("code", "rate_limit_exceeded");
          yield new ErrorReply(429, o);
        }
        default -> throw new IllegalArgumentException(fault + " is not an HTTP error");
      };
    }

    @Override
    public String streamError() {
      return data(error("server_error", "The server had an error while processing your request. Sorry about that!"));
    }

    @Override
    public String brokenEvent(String id, String model) {
      return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"br\n\n";
    }

    private static ObjectNode header(String id, String object, String model) {
      return object().put("id", id).put("object", object).put("created", System.currentTimeMillis() / 1000)
          .put("model", model);
    }

    private static ObjectNode usage(Usage u) {
      return object().put("prompt_tokens", u.input()).put("completion_tokens", u.output())
          .put("total_tokens", u.input() + u.output());
    }

    private static String data(ObjectNode o) {
      return "data: " + Json.string(o) + "\n\n";
    }
  }

  /** Anthropic Messages: {@code POST /v1/messages}. */
  record Anthropic() implements UpstreamWire {
    @Override
    public String path() {
      return "/v1/messages";
    }

    @Override
    public String name() {
      return "anthropic";
    }

    @Override
    public String invalid(JsonNode body) {
      String invalid = UpstreamWire.super.invalid(body);
      if (invalid == null && !body.path("max_tokens").canConvertToLong()) {
        return "max_tokens: Field required";
      }
      return invalid;
    }

    @Override
    public ObjectNode whole(String id, String model, String text, Usage usage) {
      ObjectNode m = message(id, model);
      m.putArray("content").addObject().put("type", "text").put("text", text);
      m.put("stop_reason", "end_turn").putNull("stop_sequence");
      m.putObject("usage").put("input_tokens", usage.input()).put("output_tokens", usage.output());
      return m;
    }

    @Override
    public Stream stream(String id, String model, List<String> pieces, Usage usage, JsonNode requestBody) {
      ObjectNode m = message(id, model);
      m.putArray("content");
      m.putNull("stop_reason").putNull("stop_sequence");
      // The start reports the input and a first output token; message_delta the final output count.
      m.putObject("usage").put("input_tokens", usage.input()).put("output_tokens", 1);
      List<String> start = List.of(
          event("message_start", object().put("type", "message_start").set("message", m)),
          event("content_block_start", object().put("type", "content_block_start").put("index", 0)
              .set("content_block", object().put("type", "text").put("text", ""))),
          event("ping", object().put("type", "ping")));
      List<String> deltas = new ArrayList<>();
      for (String piece : pieces) {
        deltas.add(event("content_block_delta", object().put("type", "content_block_delta").put("index", 0)
            .set("delta", object().put("type", "text_delta").put("text", piece))));
      }
      ObjectNode messageDelta = object().put("type", "message_delta");
      messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
      messageDelta.putObject("usage").put("output_tokens", usage.output());
      List<String> end = List.of(
          event("content_block_stop", object().put("type", "content_block_stop").put("index", 0)),
          event("message_delta", messageDelta),
          event("message_stop", object().put("type", "message_stop")));
      return new Stream(start, deltas, end);
    }

    @Override
    public ObjectNode error(String type, String message) {
      ObjectNode o = object().put("type", "error");
      o.putObject("error").put("type", type).put("message", message);
      return o;
    }

    @Override
    public ErrorReply statusFault(Fault fault) {
      return switch (fault.kind()) {
        case HTTP_500 -> new ErrorReply(500, error("api_error", "Internal server error"));
        case HTTP_502 -> new ErrorReply(502, error("api_error", "Bad gateway"));
        case HTTP_503 -> new ErrorReply(503, error("api_error", "Service unavailable"));
        case HTTP_529 -> new ErrorReply(529, error("overloaded_error", "Overloaded"));
        case HTTP_429 -> new ErrorReply(429, error("rate_limit_error",
            "This request would exceed the rate limit for your organization. Please try again in "
                + fault.retryAfterSeconds().orElse(1) + "s."));
        default -> throw new IllegalArgumentException(fault + " is not an HTTP error");
      };
    }

    @Override
    public String streamError() {
      return event("error", error("overloaded_error", "Overloaded"));
    }

    @Override
    public String brokenEvent(String id, String model) {
      return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
          + "{\"type\":\"text_delta\",\"text\":\"br\n\n";
    }

    private static ObjectNode message(String id, String model) {
      return object().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    }

    private static String event(String name, JsonNode data) {
      return "event: " + name + "\ndata: " + Json.string(data) + "\n\n";
    }
  }
}
