package dev.effort.providers.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body event by event, as each arrives: {@code event:} names the
 * event, {@code data:} lines are joined with newlines, a blank line ends the event, lines starting
 * with {@code :} are comments.
 */
final class ServerSentEvents {

  /** One event: its name ({@code message} when the stream gave none) and its data. */
  record Event(String name, String data) {}

  /** Receives events in order; returns false to stop reading. */
  @FunctionalInterface
  interface Listener {
    boolean onEvent(Event event);
  }

  private ServerSentEvents() {}

  /**
   * Reads events until the stream ends or the listener stops it.
   *
   * @return true when the listener stopped the reading, false when the stream ended first
   */
  static boolean read(InputStream body, Listener listener) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String name = null;
    StringBuilder data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null && !listener.onEvent(new Event(name == null ? "message" : name, data.toString()))) {
          return true;
        }
        name = null;
        data = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> name = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { } // id, retry: not used by the upstreams here
      }
    }
    return data != null && !listener.onEvent(new Event(name == null ? "message" : name, data.toString()));
  }
}
