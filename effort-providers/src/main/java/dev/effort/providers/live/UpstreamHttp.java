package dev.effort.providers.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Ask;
import dev.effort.core.Json;
import dev.effort.core.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Posts JSON to one upstream, whole or as a stream of server-sent events, within the ask's deadline,
 * and maps every failure to a {@link ProviderException}.
 */
final class UpstreamHttp {
  /** How long a call may take when the ask has no deadline. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  /** Ends streams whose deadline passed; one daemon thread for all providers. */
  private static final ScheduledExecutorService DEADLINES = deadlines();

  private static ScheduledExecutorService deadlines() {
    var pool = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "effort-upstream-deadlines");
      t.setDaemon(true);
      return t;
    });
    // Every call schedules a watchdog and cancels it when done: drop cancelled ones at once,
    // or they pile up until their (long) delay runs out.
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  private final Upstream upstream;
  private final HttpClient http;

  /** Endpoint URIs by path, parsed once: a provider calls one or two paths, many times. */
  private final Map<String, java.net.URI> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * How long a stream may wait for the upstream's response to begin when the ask's deadline is
   * longer (or absent): an upstream that hangs is given up on in minutes, not after the whole
   * {@link #DEFAULT_TIMEOUT}. Streaming upstreams answer their headers at once, thinking or not.
   */
  static final Duration FIRST_BYTE_TIMEOUT = Duration.ofSeconds(120);

  private final Duration firstByteTimeout;

  UpstreamHttp(Upstream upstream, HttpClient http) {
    this(upstream, http, FIRST_BYTE_TIMEOUT);
  }

  UpstreamHttp(Upstream upstream, HttpClient http, Duration firstByteTimeout) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.http = Objects.requireNonNull(http, "http");
    this.firstByteTimeout = Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
  }

  /**
   * The longest a call may take, whatever the ask says: the JDK client's timer arithmetic overflows
   * on huge timeouts and kills the client for every later call.
   */
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  /** The time a call for this ask may take: its deadline, else {@link #DEFAULT_TIMEOUT}. */
  static Duration timeoutOf(Ask ask) {
    return bounded(ask.deadline().orElse(DEFAULT_TIMEOUT));
  }

  /** {@code d} within 1 ms and {@link #MAX_TIMEOUT}. */
  static Duration bounded(Duration d) {
    return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : d;
  }

  /** A JSON POST to {@code path} (e.g. {@code /v1/messages}) with the given headers. */
  HttpRequest post(String path, Map<String, String> headers, ObjectNode body, Duration timeout, boolean stream) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoints.computeIfAbsent(path, upstream::endpoint))
        .timeout(stream ? firstByte(timeout) : bounded(timeout))
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json");
    headers.forEach(b::header);
    try {
      return b.POST(HttpRequest.BodyPublishers.ofByteArray(COMPACT.writeValueAsBytes(body))).build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a request body as JSON", e);
    }
  }

  /** Sends the request and returns the JSON of a 2xx answer, all within {@code timeout}. */
  JsonNode call(HttpRequest request, Duration timeout) {
    HttpResponse<String> response = await(
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)), timeout);
    if (response.statusCode() / 100 != 2) {
      throw UpstreamErrors.fromStatus(upstream, response.statusCode(), response.body(), response.headers());
    }
    return object(response.body());
  }

  /** An upstream's JSON object (a whole answer, or one event's data); anything else is its error. */
  JsonNode object(String data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      if (node == null || !node.isObject()) {
        throw UpstreamErrors.notJson(upstream, data);
      }
      return node;
    } catch (IOException e) {
      throw UpstreamErrors.notJson(upstream, data);
    }
  }

  /**
   * Sends the request and passes each server-sent event of a 2xx answer to {@code listener} as it
   * arrives, until the listener stops or the stream ends; the whole exchange stays within {@code
   * timeout}.
   *
   * @return true when the listener stopped the stream, false when the upstream ended it first
   */
  boolean stream(HttpRequest request, Duration timeout, ServerSentEvents.Listener listener) {
    long deadline = System.nanoTime() + bounded(timeout).toNanos();
    Duration firstByte = firstByte(timeout);
    HttpResponse<InputStream> response = await(http.sendAsync(request, StreamBody.handler()), firstByte,
        firstByte.compareTo(bounded(timeout)) < 0 ? () -> UpstreamErrors.noFirstByte(upstream, firstByte)
            : () -> UpstreamErrors.deadline(upstream, timeout));
    InputStream body = response.body();
    if (response.statusCode() / 100 != 2) {
      String text;
      try (body) {
        text = new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
      } catch (IOException e) {
        text = "";
      }
      throw UpstreamErrors.fromStatus(upstream, response.statusCode(), text, response.headers());
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> watchdog = DEADLINES.schedule(() -> {
      timedOut.set(true);
      closeQuietly(body); // ends a read blocked on the network with an IOException
    }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    try (body) {
      boolean stopped = ServerSentEvents.read(body, listener);
      if (timedOut.get()) {
        throw UpstreamErrors.deadline(upstream, timeout);
      }
      return stopped;
    } catch (IOException e) {
      if (timedOut.get()) {
        throw UpstreamErrors.deadline(upstream, timeout);
      }
      throw UpstreamErrors.brokenStream(upstream, e);
    } finally {
      watchdog.cancel(false);
    }
  }

  /** The time a stream may wait for its response to begin: the deadline, at most {@link #FIRST_BYTE_TIMEOUT}. */
  private Duration firstByte(Duration timeout) {
    Duration d = bounded(timeout);
    return d.compareTo(firstByteTimeout) > 0 ? firstByteTimeout : d;
  }

  private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> pending, Duration timeout) {
    return await(pending, timeout, () -> UpstreamErrors.deadline(upstream, timeout));
  }

  private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> pending, Duration timeout,
      java.util.function.Supplier<ProviderException> late) {
    try {
      return pending.get(bounded(timeout).toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw late.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException
          && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
        throw late.get();
      }
      throw UpstreamErrors.unreachable(upstream, cause);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
          "the call to provider " + upstream.name() + " was interrupted");
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing only to end a read that outlived its deadline
    }
  }
}
