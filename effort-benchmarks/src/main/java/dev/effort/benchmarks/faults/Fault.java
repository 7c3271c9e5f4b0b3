package dev.effort.benchmarks.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What {@link FaultyUpstream} does wrong with one request, written as in a prompt directive:
 * {@code 429@2} (a 429 with {@code retry-after: 2}), {@code slow@1500}, {@code reset}.
 *
 * @param kind what goes wrong
 * @param parameter the number after {@code @}: retry-after seconds for the HTTP errors, the delay
 *     in ms for {@code slow} and {@code stall}, the deltas sent before a {@code cut}; empty for the
 *     kind's default
 */
public record Fault(Kind kind, OptionalInt parameter) {

  /** The kinds, by the name a directive uses. */
  public enum Kind {
    /** Answered normally. */
    NONE("none"),
    HTTP_500("500"),
    HTTP_502("502"),
    HTTP_503("503"),
    /** With {@code retry-after} (default 1 s); Anthropic {@code rate_limit_error}. */
    HTTP_429("429"),
    /** Anthropic's {@code overloaded_error}; on the OpenAI path a 503, as OpenAI says overloaded. */
    HTTP_529("529"),
    /** The socket closed with SO_LINGER 0 after the request was read: the client sees a reset. */
    RESET("reset"),
    /** The request is read and never answered, until the client goes away or the upstream closes. */
    HANG("hang"),
    /** Nothing is sent for the delay (default 1000 ms), not even the status line, then the normal answer. */
    SLOW("slow"),
    /**
     * A stream's headers and start events at once, then a pause (default 1000 ms) before its first
     * content: how a real upstream that thinks long starts a stream. A whole answer is as {@code slow}.
     */
    STALL("stall"),
    /**
     * A stream's start and a few deltas (default 2), then the connection closes without the end
     * event or {@code [DONE]}; a whole answer closes after half of its announced body.
     */
    CUT("cut"),
    /** A 200 whose body is not JSON, stream asked or not. */
    MALFORMED_JSON("malformed-json"),
    /** A stream with a {@code data:} line whose JSON is broken after the first delta; whole answers get malformed-json. */
    MALFORMED_SSE("malformed-sse"),
    /**
     * A stream that starts, then carries an error (Anthropic {@code event: error} with
     * {@code overloaded_error}, OpenAI a chunk with an {@code error} object) and ends; a whole answer gets the 529 fault.
     */
    MID_STREAM_ERROR("mid-stream-error");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The name a directive uses, e.g. {@code malformed-sse}. */
    public String label() {
      return label;
    }

    static Kind named(String label) {
      for (Kind k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown fault '" + label + "'; accepted: " + accepted());
    }

    static String accepted() {
      return Arrays.stream(values()).map(Kind::label).collect(Collectors.joining(", "));
    }

    boolean takesParameter() {
      return switch (this) {
        case NONE, RESET, HANG, MALFORMED_JSON, MALFORMED_SSE, MID_STREAM_ERROR -> false;
        default -> true;
      };
    }

    /** An error status answered at once, before any body. */
    boolean isStatus() {
      return switch (this) {
        case HTTP_500, HTTP_502, HTTP_503, HTTP_429, HTTP_529 -> true;
        default -> false;
      };
    }
  }

  public static final Fault NONE = new Fault(Kind.NONE, OptionalInt.empty());

  public Fault {
    if (parameter.isPresent() && (!kind.takesParameter() || parameter.getAsInt() < 0)) {
      throw new IllegalArgumentException("fault " + kind.label() + " takes " + (kind.takesParameter()
          ? "a number of 0 or more" : "no parameter") + " after @, got " + parameter.getAsInt());
    }
  }

  public static Fault of(Kind kind) {
    return new Fault(kind, OptionalInt.empty());
  }

  public static Fault of(Kind kind, int parameter) {
    return new Fault(kind, OptionalInt.of(parameter));
  }

  /**
   * Reads a name as a directive writes it: a kind's label, optionally {@code @} and a number.
   *
   * @throws IllegalArgumentException naming the accepted kinds
   */
  public static Fault parse(String name) {
    String s = name.strip().toLowerCase(Locale.ROOT);
    int at = s.indexOf('@');
    Kind kind = Kind.named(at < 0 ? s : s.substring(0, at));
    if (at < 0) {
      return of(kind);
    }
    try {
      return of(kind, Integer.parseInt(s.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fault " + name + ": expected a whole number after @");
    }
  }

  /** Seconds for the {@code retry-after} header, or empty for none (only 429 has one by default). */
  OptionalInt retryAfterSeconds() {
    if (parameter.isPresent() && kind.isStatus()) {
      return parameter;
    }
    return kind == Kind.HTTP_429 ? OptionalInt.of(1) : OptionalInt.empty();
  }

  long delayMillis() {
    return parameter.orElse(1000);
  }

  int deltasBeforeCut() {
    return parameter.orElse(2);
  }

  /** As a directive writes it: {@code 429@2}. */
  @Override
  public String toString() {
    return kind.label() + (parameter.isPresent() ? "@" + parameter.getAsInt() : "");
  }
}
