package dev.effort.server;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.MDC;

/**
 * Every request's id: sent back in {@code Effort-Request-Id} (on answers and errors alike) and put in
 * the logging MDC as {@code request_id} while the request is served, so each of its log lines names it.
 * At debug level, one line per request says what it was and what it got.
 */
final class RequestIds {
  static final String HEADER = "Effort-Request-Id";
  static final String MDC_KEY = "request_id";
  private static final Logger LOG = Logger.getLogger(RequestIds.class.getName());

  private RequestIds() {}

  /** A new id: {@code req_} and 24 hex digits. */
  static String next() {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return "req_" + HexFormat.of().formatHex(random);
  }

  /** The first filter of the routes: the id on the response and in the MDC, for the whole request. */
  static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String id = next();
    res.header(HEADER, id);
    MDC.put(MDC_KEY, id);
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine(req.prologue().method().text() + " " + req.path().path() + " -> " + res.status().code() + " in "
            + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
      MDC.remove(MDC_KEY);
    }
  }
}
