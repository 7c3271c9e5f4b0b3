package dev.effort.server;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An OpenTelemetry collector in the test's own process: OTLP over HTTP with protobuf bodies on
 * {@code /v1/traces}, keeping every span it receives with its resource.
 */
final class OtlpCollector implements AutoCloseable {
  /** One span as received, its attributes as plain values (strings, longs, doubles, lists of strings). */
  record Received(Span span, Map<String, Object> attributes, Map<String, Object> resource) {
    String name() {
      return span.getName();
    }

    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    Object attribute(String key) {
      return attributes.get(key);
    }
  }

  private final HttpServer server;
  private final List<Received> spans = new ArrayList<>();
  private final AtomicInteger posts = new AtomicInteger();

  OtlpCollector() throws IOException {
    this(0);
  }

  OtlpCollector(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", exchange -> {
      posts.incrementAndGet();
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
          receive(ExportTraceServiceRequest.parseFrom(body));
        }
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Requests of any kind that reached this collector. */
  int posts() {
    return posts.get();
  }

  private synchronized void receive(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = values(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.add(new Received(s, values(s.getAttributesList()), resource));
        }
      }
    }
    notifyAll();
  }

  synchronized List<Received> spans() {
    return List.copyOf(spans);
  }

  /** The first span received that matches, waiting up to {@code wait} for it. */
  synchronized Optional<Received> await(Predicate<Received> match, Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<Received> found = spans.stream().filter(match).findFirst();
      long left = end - System.nanoTime();
      if (found.isPresent() || left <= 0) {
        return found;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private static Map<String, Object> values(Resource resource) {
    return values(resource.getAttributesList());
  }

  private static Map<String, Object> values(List<KeyValue> list) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (KeyValue kv : list) {
      map.put(kv.getKey(), value(kv.getValue()));
    }
    return map;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpCollector::value).toList();
      default -> v.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
