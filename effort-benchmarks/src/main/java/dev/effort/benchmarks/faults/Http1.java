package dev.effort.benchmarks.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough HTTP/1.1 for a test upstream: a request with a Content-Length or chunked body, and
 * responses written byte for byte, so that a fault can stop them at any byte. Not a general server:
 * no pipelining, no trailers kept, no limits beyond {@link #MAX_BODY_BYTES}.
 */
final class Http1 {
  static final int MAX_BODY_BYTES = 32 << 20;
  private static final int MAX_LINE = 64 * 1024;

  private Http1() {}

  /** A request; header names lower-cased. */
  record Request(String method, String path, Map<String, String> headers, byte[] body) {
    boolean keepAlive() {
      String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
      return !connection.contains("close");
    }
  }

  /** A request that breaks the protocol; answered with a 400 and the connection closed. */
  static final class BadRequest extends IOException {
    BadRequest(String message) {
      super(message);
    }
  }

  /**
   * The next request, or null when the client closed the connection between requests. A client that
   * waits for {@code 100 Continue} before its body gets it on {@code out}.
   */
  static Request read(InputStream in, OutputStream out) throws IOException {
    String requestLine = line(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("bad request line: " + requestLine);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String header;
    while (!(header = line(in, false)).isEmpty()) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("bad header line: " + header);
      }
      headers.merge(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip(),
          (a, b) -> a + ", " + b);
    }
    if (headers.getOrDefault("expect", "").equalsIgnoreCase("100-continue")) {
      head(out, 100, Map.of());
      out.flush();
    }
    byte[] body;
    if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
      body = chunked(in);
    } else if (headers.containsKey("content-length")) {
      long length;
      try {
        length = Long.parseLong(headers.get("content-length"));
      } catch (NumberFormatException e) {
        throw new BadRequest("bad content-length: " + headers.get("content-length"));
      }
      if (length < 0 || length > MAX_BODY_BYTES) {
        throw new BadRequest("content-length out of range: " + length);
      }
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
      }
    } else {
      body = new byte[0];
    }
    return new Request(parts[0], parts[1], headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, false);
      int semicolon = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
        throw new BadRequest("chunked body too large");
      }
      if (size == 0) {
        while (!line(in, false).isEmpty()) {
          // trailers: read and dropped
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new IOException("a chunk ended early");
      }
      body.write(chunk);
      if (!line(in, false).isEmpty()) {
        throw new BadRequest("a chunk was longer than its size");
      }
    }
  }

  /**
   * One CRLF- (or LF-) ended line as ISO-8859-1.
   *
   * @param atStart true when an end of stream before any byte is a clean close (null), not an error
   */
  private static String line(InputStream in, boolean atStart) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        if (atStart && sb.isEmpty()) {
          return null;
        }
        throw new IOException("the connection closed mid-request");
      }
      if (sb.length() >= MAX_LINE) {
        throw new BadRequest("line too long");
      }
      sb.append((char) b);
    }
    int end = sb.length();
    if (end > 0 && sb.charAt(end - 1) == '\r') {
      sb.setLength(end - 1);
    }
    return sb.toString();
  }

  /** The status line and headers, then a blank line. */
  static void head(OutputStream out, int status, Map<String, String> headers) throws IOException {
    StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One chunk of a chunked body, flushed: each server-sent event leaves at once, as a real upstream sends it. */
  static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** The last chunk: the body is complete. */
  static void endChunks(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 529 -> "Overloaded";
      default -> "Status";
    };
  }
}
