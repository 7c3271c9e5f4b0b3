package dev.effort.server;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.MDC;

/**
 * Every request's id: sent back in {@code Effort-Request-Id} (on answers and errors alike) and put in
 * the logging MDC as {@code request_id} while the request is served, so each of its log lines names it.
 * Threads the request starts (a cascade's parallel probes, a hedged call) see it too, through
 * {@link #current()}, until the request ends. At debug level, one line per request says what it was
 * and what it got.
 */
public final class RequestIds {
  public static final String HEADER = "Effort-Request-Id";
  public static final String MDC_KEY = "request_id";
  private static final Logger LOG = Logger.getLogger(RequestIds.class.getName());

  /** The id of the request being served, inherited by the threads it starts; cleared when it ends. */
  private static final InheritableThreadLocal<Scope> SCOPE = new InheritableThreadLocal<>();

  private static final class Scope {
    volatile String id;

    Scope(String id) {
      this.id = id;
    }
  }

  private RequestIds() {}

  /** A new id: {@code req_} and 24 hex digits. */
  static String next() {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return "req_" + HexFormat.of().formatHex(random);
  }

  /**
   * The id of the request this thread works for: the request's own thread, or one it started while
   * it was served. Empty outside requests, and once the request has ended (a pooled thread a request
   * happened to start does not keep its id).
   */
  public static Optional<String> current() {
    Scope scope = SCOPE.get();
    return scope == null ? Optional.empty() : Optional.ofNullable(scope.id);
  }

  /** Runs {@code work} as the request {@code id}: in the MDC, and {@link #current()} here and in the threads it starts. */
  public static void during(String id, Runnable work) {
    Scope scope = new Scope(id);
    Scope outer = SCOPE.get();
    String outerMdc = MDC.get(MDC_KEY);
    SCOPE.set(scope);
    MDC.put(MDC_KEY, id);
    try {
      work.run();
    } finally {
      scope.id = null;
      if (outer == null) {
        SCOPE.remove();
      } else {
        SCOPE.set(outer);
      }
      if (outerMdc == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, outerMdc);
      }
    }
  }

  /** The first filter of the routes: the id on the response, in the MDC and {@link #current()}, for the whole request. */
  static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String id = next();
    res.header(HEADER, id);
    long start = System.nanoTime();
    during(id, () -> {
      try {
        chain.proceed();
      } finally {
        if (LOG.isLoggable(Level.FINE)) {
          LOG.fine(req.prologue().method().text() + " " + req.path().path() + " -> " + res.status().code() + " in "
              + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
      }
    });
  }
}
