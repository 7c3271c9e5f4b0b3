package dev.effort.server.traces;

import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * OpenTelemetry traces of the gateway: a span per request and one per upstream attempt, exported
 * by OTLP when the standard environment asks for it ({@code OTEL_TRACES_EXPORTER=otlp}, or an
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}); every other
 * {@code OTEL_*} variable (protocol, headers, service name, resource attributes, sampler, batch
 * settings) means what the OpenTelemetry SDK's autoconfiguration says. Off otherwise: then the
 * chain has no tracing links at all, so traces cost nothing.
 */
public final class Tracing implements AutoCloseable {
  private static final Tracing OFF = new Tracing(null, null,
      "off (set OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER=otlp to export them)");

  private final OpenTelemetry openTelemetry;
  /** The SDK this built from the environment, shut down (its spans flushed) on {@link #close()}. */
  private final OpenTelemetrySdk owned;
  private final String description;

  private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk owned, String description) {
    this.openTelemetry = openTelemetry;
    this.owned = owned;
    this.description = description;
  }

  /** No traces. */
  public static Tracing off() {
    return OFF;
  }

  /** Traces through {@code openTelemetry}, which the caller owns (and shuts down). */
  public static Tracing with(OpenTelemetry openTelemetry) {
    return new Tracing(openTelemetry, null, "through the application's OpenTelemetry");
  }

  /** As this process's environment asks. */
  public static Tracing fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * As {@code env} asks (the names and values of environment variables).
   *
   * @throws IllegalArgumentException when {@code OTEL_TRACES_EXPORTER} names an exporter other than
   *     {@code otlp} or {@code none}, or the SDK refuses the settings
   */
  public static Tracing fromEnvironment(Map<String, String> env) {
    if (!wanted(env)) {
      return OFF;
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "otlp");
    // Traces only: Effort's metrics are on /metrics, its logs in its log.
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    String resource = env.getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "");
    if (blank(env.get("OTEL_SERVICE_NAME")) && !resource.contains("service.name=")) {
      properties.put("otel.service.name", "effort");
    }
    env.forEach((name, value) -> {
      if (name.startsWith("OTEL_")) {
        properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    OpenTelemetrySdk sdk;
    try {
      sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> properties)
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("traces: the OTEL_* environment is not valid: " + e.getMessage()
          + "; fix it, or unset OTEL_TRACES_EXPORTER and OTEL_EXPORTER_OTLP_ENDPOINT for no traces", e);
    }
    String endpoint = env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT",
        "its default endpoint on localhost"));
    return new Tracing(sdk, sdk, "by OTLP (" + properties.getOrDefault("otel.exporter.otlp.traces.protocol",
        properties.getOrDefault("otel.exporter.otlp.protocol", "grpc")) + ") to "
        + endpoint);
  }

  /** Whether {@code env} asks for traces. */
  static boolean wanted(Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim().toLowerCase(Locale.ROOT);
    if (exporter.equals("none")) {
      return false;
    }
    if (!exporter.isEmpty() && !exporter.equals("otlp")) {
      throw new IllegalArgumentException("OTEL_TRACES_EXPORTER=" + exporter + ": Effort exports traces by OTLP only;"
          + " set it to otlp (with OTEL_EXPORTER_OTLP_ENDPOINT), or to none, or leave it unset for no traces");
    }
    return exporter.equals("otlp") || !blank(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !blank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Whether traces are on, and where they go. */
  public String describe() {
    return description;
  }

  public boolean on() {
    return openTelemetry != null;
  }

  /**
   * The request span, as the first link around each request; none when off.
   *
   * @param providerOf the provider name of a model the fleet serves, for the request span
   */
  public List<Executor.ExchangeLink> requestLinks(Function<String, String> providerOf) {
    return on() ? List.of(new RequestSpanLink(tracer(), providerOf)) : List.of();
  }

  /**
   * Leaves on {@code exchange} the trace context the client sent ({@code traceparent}, by the
   * propagators {@code OTEL_PROPAGATORS} names; W3C trace context by default), so that the request's
   * span continues the client's trace. Nothing when off.
   *
   * @param header a request header's value by name, null when absent
   */
  public void continueTrace(Exchange exchange, Function<String, String> header) {
    if (!on()) {
      return;
    }
    Context incoming = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), header,
        new TextMapGetter<Function<String, String>>() {
          @Override
          public Iterable<String> keys(Function<String, String> carrier) {
            return List.of();
          }

          @Override
          public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
          }
        });
    if (Span.fromContext(incoming).getSpanContext().isValid()) {
      exchange.put(ClientTrace.class, new ClientTrace(incoming));
    }
  }

  /** The attempt span, as the innermost link around each upstream call; none when off. */
  public List<Executor.CallLink> attemptLinks() {
    return on() ? List.of(new AttemptSpanLink(tracer())) : List.of();
  }

  /** The provider name a span gives a model's upstream: its API, or its own name when it speaks none. */
  public static String providerName(dev.effort.core.Provider provider) {
    return AttemptSpanLink.providerName(provider);
  }

  private Tracer tracer() {
    return openTelemetry.getTracer("dev.effort.server");
  }

  /** Sends the spans not yet exported and stops, when this built the SDK (else its owner does). */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
