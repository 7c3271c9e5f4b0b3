package dev.effort.providers.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import dev.effort.core.ProviderException;
import dev.effort.core.ProviderException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns what went wrong upstream into a {@link ProviderException} a client can act on. Messages say
 * what to do and never contain the API key: an upstream's own message is passed on only where it
 * cannot be about the key, and is scrubbed of the key all the same.
 */
final class UpstreamErrors {
  private static final int MAX_MESSAGE_CHARS = 500;

  private UpstreamErrors() {}

  /**
   * An HTTP error answer: 4xx the request's fault (or the key's), 408, 409, 429 and 5xx the
   * upstream's, worth another try (at once elsewhere, or after its {@code retry-after}).
   */
  static ProviderException fromStatus(Upstream upstream, int status, String body, HttpHeaders headers) {
    if (status == 401 || status == 403) {
      return rejectedKey(upstream, "HTTP " + status);
    }
    String said = upstreamMessage(upstream, body);
    String name = upstream.name();
    Optional<Duration> retryAfter = retryAfter(headers);
    return switch (status) {
      case 400, 404, 413, 422 -> new ProviderException(Kind.INVALID,
          "provider " + name + " rejected the request (HTTP " + status + "): " + said);
      case 408 -> new ProviderException(Kind.UNAVAILABLE,
          "provider " + name + " timed out upstream (HTTP 408): " + said + "; retry later", true, retryAfter);
      case 429 -> new ProviderException(Kind.RATE_LIMITED,
          "provider " + name + " is rate limited upstream (HTTP 429): " + said
              + "; retry later or lower the request rate", true, retryAfter);
      default -> new ProviderException(Kind.UNAVAILABLE,
          "provider " + name + " failed upstream (HTTP " + status + "): " + said
              + "; retry later or choose another model", status == 409 || (status >= 500 && status != 501), retryAfter);
    };
  }

  /**
   * How long the upstream asked to wait: {@code retry-after-ms} (OpenAI), else {@code retry-after}
   * in seconds or as an HTTP date.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    try {
      Optional<String> ms = headers.firstValue("retry-after-ms");
      if (ms.isPresent()) {
        return Optional.of(Duration.ofMillis((long) Math.max(0, Double.parseDouble(ms.get().strip()))));
      }
      Optional<String> value = headers.firstValue("retry-after").map(String::strip);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (value.get().chars().allMatch(Character::isDigit) && !value.get().isEmpty()) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value.get())));
      }
      var when = java.time.ZonedDateTime.parse(value.get(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(java.time.Instant.now(), when.toInstant());
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (RuntimeException unreadable) {
      return Optional.empty(); // a header we cannot read is no instruction
    }
  }

  /**
   * An error reported inside a stream (an Anthropic {@code error} event, an OpenAI chunk with an
   * {@code error} object), by its type.
   */
  static ProviderException midStream(Upstream upstream, String type, String message) {
    String said = clip(upstream.scrub(message == null || message.isBlank() ? "(no message)" : message));
    String t = type == null ? "" : type;
    if (t.equals("authentication_error") || t.equals("permission_error")) {
      return rejectedKey(upstream, t);
    }
    if (t.equals("invalid_request_error") || t.equals("not_found_error") || t.equals("request_too_large")) {
      return new ProviderException(Kind.INVALID,
          "provider " + upstream.name() + " rejected the request mid-stream (" + t + "): " + said);
    }
    return new ProviderException(t.equals("rate_limit_error") ? Kind.RATE_LIMITED : Kind.UNAVAILABLE,
        "provider " + upstream.name() + " failed mid-stream" + (t.isEmpty() ? "" : " (" + t + ")") + ": " + said
            + "; retry later or choose another model", true, Optional.empty());
  }

  static ProviderException rejectedKey(Upstream upstream, String what) {
    return new ProviderException(Kind.UNAVAILABLE,
        "upstream rejected the API key configured for provider " + upstream.name() + upstream.keyOrigin()
            + " (" + what + "); set a valid key that may use this model and restart");
  }

  static ProviderException missingKey(Upstream upstream) {
    return new ProviderException(Kind.UNAVAILABLE,
        "no API key is configured for provider " + upstream.name() + upstream.keyOrigin()
            + "; set it and restart");
  }

  static ProviderException deadline(Upstream upstream, Duration timeout) {
    return new ProviderException(Kind.TIMEOUT,
        "provider " + upstream.name() + " did not finish within the deadline of " + timeout.toMillis()
            + " ms; raise the deadline or lower the effort");
  }

  /** A stream whose response did not begin within the time-to-first-byte limit. */
  static ProviderException noFirstByte(Upstream upstream, Duration limit) {
    return new ProviderException(Kind.UNAVAILABLE,
        "provider " + upstream.name() + " did not begin its answer within "
            + (limit.toMillisPart() == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms")
            + " (the time-to-first-byte limit of streams); it may be overloaded: try again or lower the effort",
        true, Optional.empty());
  }

  /** The call could not be made or broke off: connection refused, unknown host, reset. */
  static ProviderException unreachable(Upstream upstream, Throwable cause) {
    String where = "provider " + upstream.name() + " at " + upstream.baseUrl();
    if (cause instanceof HttpConnectTimeoutException) {
      return new ProviderException(Kind.UNAVAILABLE,
          "cannot reach " + where + ": connecting timed out; check the base URL and the network", true, Optional.empty());
    }
    if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException
        || cause.getCause() instanceof UnresolvedAddressException) {
      return new ProviderException(Kind.UNAVAILABLE, "cannot reach " + where + ": connection refused or host "
          + "unknown; check that the server runs and the base URL is right", true, Optional.empty());
    }
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ProviderException(Kind.UNAVAILABLE,
        "the call to " + where + " failed: " + clip(upstream.scrub(detail)) + "; retry later", true, Optional.empty());
  }

  static ProviderException brokenStream(Upstream upstream, IOException cause) {
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ProviderException(Kind.UNAVAILABLE, "the stream from provider " + upstream.name()
        + " broke off: " + clip(upstream.scrub(detail)) + "; retry later", true, Optional.empty());
  }

  static ProviderException endedEarly(Upstream upstream, String expected) {
    return new ProviderException(Kind.UNAVAILABLE, "the stream from provider " + upstream.name()
        + " ended before " + expected + "; retry later", true, Optional.empty());
  }

  static ProviderException notJson(Upstream upstream, String body) {
    return new ProviderException(Kind.UNAVAILABLE, "provider " + upstream.name()
        + " answered with something that is not the expected JSON: " + clip(upstream.scrub(body.strip()))
        + "; check that the base URL points at the API", true, Optional.empty());
  }

  /**
   * The upstream's own words from an error body: {@code {"error": {"message": ...}}} (OpenAI,
   * Anthropic), {@code {"error": "..."}} (Ollama), {@code {"message": ...}} (vLLM), {@code
   * {"detail": ...}}; else the body itself, clipped.
   */
  static String upstreamMessage(Upstream upstream, String body) {
    String said = null;
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n != null) {
        JsonNode error = n.path("error");
        if (error.isTextual()) {
          said = error.asText();
        } else if (error.path("message").isTextual()) {
          said = error.path("message").asText();
        } else if (n.path("message").isTextual()) {
          said = n.path("message").asText();
        } else if (n.path("detail").isTextual()) {
          said = n.path("detail").asText();
        }
      }
    } catch (IOException notJson) {
      // fall back to the body as text
    }
    if (said == null) {
      said = body == null || body.isBlank() ? "(no message)" : body.strip();
    }
    return clip(upstream.scrub(said));
  }

  private static String clip(String text) {
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
