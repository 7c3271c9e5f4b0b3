package dev.effort.server;

import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events onto a response, opened on the first event: until then nothing is sent, so
 * a request that fails before its answer starts still gets a plain JSON error with its status.
 */
final class SseSink {
  private final ServerResponse response;
  private OutputStream out;

  SseSink(ServerResponse response) {
    this.response = response;
  }

  boolean started() {
    return out != null;
  }

  /** One event: an optional {@code event:} line, then the data line, then a blank line. */
  void event(String name, String data) {
    try {
      if (out == null) {
        response.header("Content-Type", "text/event-stream; charset=utf-8");
        response.header("Cache-Control", "no-cache");
        response.header("X-Accel-Buffering", "no");
        out = response.outputStream();
      }
      StringBuilder b = new StringBuilder(data.length() + 32);
      if (name != null) {
        b.append("event: ").append(name).append('\n');
      }
      b.append("data: ").append(data).append("\n\n");
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the client went away", e);
    }
  }

  void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // The client is gone; there is no one left to tell.
      }
    }
  }
}
