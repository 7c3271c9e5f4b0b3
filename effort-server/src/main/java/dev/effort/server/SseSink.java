package dev.effort.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.effort.core.Json;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events onto a response, opened on the first event: until then nothing is sent, so
 * a request that fails before its answer starts still gets a plain JSON error with its status.
 */
final class SseSink {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);

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
    ByteArrayOutputStream frame = frame(name, data.length() + 32);
    frame.writeBytes(data.getBytes(StandardCharsets.UTF_8));
    frame.writeBytes(END);
    send(frame);
  }

  /**
   * One event whose data {@code json} writes as one line of JSON, straight into the frame: no
   * tree, no string. {@code name} may be null (no {@code event:} line).
   */
  void json(String name, JsonWriter json) {
    ByteArrayOutputStream frame = frame(name, 256);
    try (JsonGenerator g = Json.generator(frame)) {
      json.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw: a bug
    }
    frame.writeBytes(END);
    send(frame);
  }

  private static ByteArrayOutputStream frame(String name, int size) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(size);
    if (name != null) {
      frame.writeBytes(EVENT);
      frame.writeBytes(name.getBytes(StandardCharsets.UTF_8));
      frame.write('\n');
    }
    frame.writeBytes(DATA);
    return frame;
  }

  /** Writes an event's JSON data. */
  @FunctionalInterface
  interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private void send(ByteArrayOutputStream frame) {
    try {
      if (out == null) {
        response.header("Content-Type", "text/event-stream; charset=utf-8");
        response.header("Cache-Control", "no-cache");
        response.header("X-Accel-Buffering", "no");
        out = response.outputStream();
      }
      frame.writeTo(out);
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
