package dev.effort.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.effort.server.RequestIds;
import java.util.Objects;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Keeps {@code request_id} in the MDC of the logging thread equal to {@link RequestIds#current()}:
 * the gateway sets it on the request's own thread; this carries it to the threads the request starts
 * (a cascade's parallel probes, a hedged call), and takes it away from a thread whose request ended.
 */
final class RequestIdFilter extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    String id = RequestIds.current().orElse(null);
    if (!Objects.equals(MDC.get(RequestIds.MDC_KEY), id)) {
      if (id == null) {
        MDC.remove(RequestIds.MDC_KEY);
      } else {
        MDC.put(RequestIds.MDC_KEY, id);
      }
    }
    return FilterReply.NEUTRAL;
  }
}
