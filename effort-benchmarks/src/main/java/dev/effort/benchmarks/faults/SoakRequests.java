package dev.effort.benchmarks.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The soak's mix of requests: mostly clean ones, in both formats, streamed or not, at several
 * levels; some carrying fault directives for the upstreams (recoverable once, permanent, hanging
 * under a short deadline, slow to start), bad input, clients that leave mid-stream and wrong keys.
 * Drawn from one seeded generator, so that a run's sequence of requests is repeatable.
 */
final class SoakRequests {

  /** What a request tests, with its share of the mix in percent. */
  enum Kind {
    CLEAN(55),
    /** A fault on the first attempt only ({@code [fault:NAMEx1:TOKEN]}): a retry succeeds. */
    RECOVERABLE(12),
    /** A fault on every attempt: the gateway must answer a clean error, never a 500. */
    PERMANENT(6),
    /** An upstream that never answers, under a short {@code Effort-Deadline}. */
    HANG(3),
    /** First token after {@link #SLOW_MS}: nothing before it ({@code slow}), or a stream's start only ({@code stall}). */
    SLOW(6),
    /** Bad input: broken JSON, wrong types, huge fields. */
    FUZZ(10),
    /** A streamed request whose client closes the connection after the first event. */
    DISCONNECT(5),
    /** A missing or unknown API key. */
    BAD_KEY(3);

    final int percent;

    Kind(int percent) {
      this.percent = percent;
    }
  }

  /** One request to send, and how the client behaves with it. */
  record Planned(Kind kind, String detail, String api, boolean stream, HttpRequest request) {}

  static final int SLOW_MS = 1200;
  static final String HANG_DEADLINE = "1500ms";
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> RECOVERABLE_FAULTS =
      List.of("500", "502", "503", "529", "429@1", "reset", "malformed-json");
  private static final List<String> PERMANENT_FAULTS =
      List.of("500", "503", "529", "reset", "malformed-json", "cut", "malformed-sse", "mid-stream-error");
  private static final List<String> LEVELS = List.of("low", "medium", "high");
  static final List<String> FUZZ = List.of("truncated-json", "not-json", "wrong-types", "string-max-tokens",
      "huge-body", "huge-model-name", "unknown-effort", "deep-nesting", "bad-role", "empty-messages");

  private final URI gateway;
  private final String secret;
  private final Random random;

  SoakRequests(URI gateway, String secret, long seed) {
    this.gateway = gateway;
    this.secret = secret;
    this.random = new Random(seed);
  }

  /** The {@code n}th request of the run; called from one thread, in order. */
  Planned next(long n) {
    Kind kind = kind();
    boolean anthropic = random.nextBoolean();
    String api = anthropic ? "anthropic" : "openai";
    boolean stream = kind == Kind.DISCONNECT || random.nextBoolean();
    String level = LEVELS.get(random.nextInt(LEVELS.size()));
    String prompt = "Soak request " + n + ": say hello in one short sentence.";
    String detail = "";
    String deadline = null;
    switch (kind) {
      case RECOVERABLE -> {
        detail = pick(RECOVERABLE_FAULTS);
        prompt += " " + FaultDirective.firstTimes(Fault.parse(detail), 1, "soak-" + n);
      }
      case PERMANENT -> {
        detail = pick(PERMANENT_FAULTS);
        prompt += " " + FaultDirective.always(Fault.parse(detail));
      }
      case HANG -> {
        detail = "deadline " + HANG_DEADLINE;
        prompt += " " + FaultDirective.always(Fault.of(Fault.Kind.HANG));
        deadline = HANG_DEADLINE;
      }
      case SLOW -> {
        // Held back before the status line, or (stall) after a stream's start, as a thinking upstream does.
        Fault fault = Fault.of(random.nextBoolean() ? Fault.Kind.SLOW : Fault.Kind.STALL, SLOW_MS);
        detail = fault.toString();
        prompt += " " + FaultDirective.always(fault);
      }
      default -> { }
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve(anthropic ? "/v1/messages" : "/v1/chat/completions"))
        .timeout(CLIENT_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Effort", level);
    if (anthropic) {
      b.header("anthropic-version", "2023-06-01");
    }
    if (deadline != null) {
      b.header("Effort-Deadline", deadline);
    }
    if (kind == Kind.BAD_KEY) {
      detail = random.nextBoolean() ? "no key" : "unknown key";
      if (detail.equals("unknown key")) {
        b.header(anthropic ? "x-api-key" : "Authorization", (anthropic ? "" : "Bearer ") + "ek_not_a_key_" + n);
      }
    } else {
      b.header(anthropic ? "x-api-key" : "Authorization", (anthropic ? "" : "Bearer ") + secret);
    }
    String body;
    if (kind == Kind.FUZZ) {
      detail = pick(FUZZ);
      body = fuzz(detail, anthropic, stream);
      if (detail.equals("unknown-effort")) {
        b.setHeader("Effort", "turbo"); // the header wins over the body, so the bad level goes there
      }
    } else {
      body = Json.string(body(anthropic, prompt, stream));
    }
    return new Planned(kind, detail, api, stream, b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Kind kind() {
    int roll = random.nextInt(100);
    for (Kind k : Kind.values()) {
      roll -= k.percent;
      if (roll < 0) {
        return k;
      }
    }
    return Kind.CLEAN;
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** A valid request: the dial's model, a small output cap (small reservations against the budget). */
  private static ObjectNode body(boolean anthropic, String prompt, boolean stream) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", "effort");
    o.put("max_tokens", 64);
    o.putArray("messages").addObject().put("role", "user").put("content", prompt);
    if (stream) {
      o.put("stream", true);
      if (!anthropic) {
        o.putObject("stream_options").put("include_usage", true);
      }
    }
    return o;
  }

  /** Bad input of one kind; each must be refused with a 4xx in the client's format. */
  static String fuzz(String what, boolean anthropic, boolean stream) {
    ObjectNode o = body(anthropic, "Fuzz: " + what, stream);
    return switch (what) {
      case "truncated-json" -> {
        String s = Json.string(o);
        yield s.substring(0, s.length() / 2);
      }
      case "not-json" -> "\u0000\u00ff\u00fe binary garbage, not JSON";
      case "wrong-types" -> "{\"model\":42,\"messages\":\"hello\",\"stream\":\"yes\"}";
      case "string-max-tokens" -> Json.string(o.put("max_tokens", "ten"));
      case "huge-body" -> Json.string(o.put("padding", "x".repeat(2 << 20))); // above the 1 MiB limit
      case "huge-model-name" -> Json.string(o.put("model", "m".repeat(200_000)));
      case "unknown-effort" -> Json.string(o);
      case "deep-nesting" -> "{\"model\":\"effort\",\"messages\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
      case "bad-role" -> {
        ((ObjectNode) o.get("messages").get(0)).put("role", "wizard").put("content", 7);
        yield Json.string(o);
      }
      case "empty-messages" -> {
        o.putArray("messages");
        yield Json.string(o);
      }
      default -> throw new IllegalArgumentException(what);
    };
  }
}
