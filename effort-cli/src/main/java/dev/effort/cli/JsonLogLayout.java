package dev.effort.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object a line ({@code --log-format json}): {@code time} (ISO-8601, UTC), {@code level},
 * {@code logger}, {@code thread}, {@code request_id} (on a gateway request's lines), {@code message},
 * and {@code error} (the stack trace) when the line carries one; other MDC entries as they are.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    o.put("level", event.getLevel().toString());
    o.put("logger", event.getLoggerName());
    o.put("thread", event.getThreadName());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach(o::put);
    }
    o.put("message", event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      o.put("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    return o.toString() + System.lineSeparator();
  }
}
