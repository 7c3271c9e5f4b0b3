package dev.effort.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a raw socket: sends exactly the bytes given (malformed framing included, which no
 * HTTP client library would send) and reads whatever comes back until the server closes the
 * connection or stays silent for the read timeout.
 */
final class RawHttp {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  /** What came back: every status line's code in order, the raw text, and whether the server hung. */
  record Exchange(List<Integer> statuses, String text, boolean hung) {
    int first() {
      return statuses.isEmpty() ? -1 : statuses.get(0);
    }
  }

  private RawHttp() {}

  /**
   * @param silenceMillis how long the server may stay silent before the exchange is over; with
   *     {@code Connection: close} in the request, a server that is still silent after the first
   *     response is not hanging, so hung is only set when nothing came back at all
   */
  static Exchange send(int port, byte[] request, int silenceMillis) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(silenceMillis);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
        s.shutdownOutput();
      } catch (IOException serverClosedEarly) {
        // the server may answer and close before reading everything: read what it said
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      boolean hung = false;
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          got.write(buf, 0, n);
          if (got.size() > 1 << 20) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        hung = got.size() == 0;
      } catch (IOException reset) {
        // a reset after the answer is the server closing a connection it will not reuse
      }
      String text = got.toString(StandardCharsets.ISO_8859_1);
      List<Integer> statuses = new ArrayList<>();
      Matcher m = STATUS.matcher(text);
      while (m.find()) {
        statuses.add(Integer.parseInt(m.group(1)));
      }
      return new Exchange(statuses, text, hung);
    }
  }

  static Exchange send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), 3_000);
  }

  /** A chunked POST with the given raw chunk text (after the headers). */
  static String chunked(String path, String chunks, String... headers) {
    StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return b.append("\r\n").append(chunks).toString();
  }
}
