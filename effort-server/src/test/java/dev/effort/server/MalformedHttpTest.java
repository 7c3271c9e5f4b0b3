package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed HTTP, sent byte for byte over a raw socket: chunked bodies with extensions, trailers
 * and bad sizes, and paths that do not URL-decode. Each is one 4xx (never a 500, never a second
 * response on the same connection) and the gateway keeps answering.
 */
class MalformedHttpTest {
  static final String BODY = "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}";
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    gateway = new RunningGateway();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static int port() {
    return gateway.gateway.port();
  }

  static String hex(String s) {
    return Integer.toHexString(s.length());
  }

  static Stream<Arguments> chunkedBodies() {
    String half = BODY.substring(0, 20);
    return Stream.of(
        Arguments.of("a chunk extension", "2;ext=1\r\n{\"\r\n0\r\n\r\n"),
        Arguments.of("a whole body with a chunk extension", hex(BODY) + ";name=value\r\n" + BODY + "\r\n0\r\n\r\n"),
        Arguments.of("a trailer", hex(BODY) + "\r\n" + BODY + "\r\n0\r\nX-Trailer: 1\r\n\r\n"),
        Arguments.of("a size of zz", "zz\r\n" + BODY + "\r\n0\r\n\r\n"),
        Arguments.of("a size of -1", "-1\r\n" + BODY + "\r\n0\r\n\r\n"),
        Arguments.of("a size of ffffffffffffffff", "ffffffffffffffff\r\n" + BODY + "\r\n0\r\n\r\n"),
        Arguments.of("a size of 7fffffffffffffff", "7fffffffffffffff\r\n" + BODY + "\r\n0\r\n\r\n"),
        Arguments.of("a declared size larger than the data", "400\r\n" + half + "\r\n0\r\n\r\n"),
        Arguments.of("no final chunk", hex(BODY) + "\r\n" + BODY + "\r\n"),
        Arguments.of("an empty size line", "\r\n" + BODY + "\r\n0\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chunkedBodies")
  void aMalformedChunkedBodyIsOneClientErrorNeverA500(String what, String chunks) throws Exception {
    for (String path : List.of("/v1/chat/completions", "/v1/messages")) {
      RawHttp.Exchange r = RawHttp.send(port(), RawHttp.chunked(path, chunks, "anthropic-version", "2023-06-01"));

      assertThat(r.hung()).as(what + " on " + path + ": the gateway answered").isFalse();
      assertThat(r.statuses()).as(what + " on " + path + ":\n" + r.text()).isNotEmpty().allMatch(s -> s < 500);
      assertThat(r.statuses()).as(what + ": one response per request\n" + r.text()).hasSize(1);
    }
    assertThat(gateway.get("/healthz").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/models/%25", "/v1/models/%25zz", "/v1/models/%", "/v1/models/%zz", "/v1/models/a%2", "/admin/keys/%zz"})
  void aPathThatDoesNotUrlDecodeIsA400InJson(String path) throws Exception {
    RawHttp.Exchange r = RawHttp.send(port(), (path.startsWith("/admin") ? "DELETE " : "GET ") + path
        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    assertThat(r.first()).as(r.text()).isBetween(400, 499);
    assertThat(r.text()).as(r.text()).contains("application/json").doesNotContain("Exception");
  }

  @Test
  void aModelIdWithAnEncodedPercentIsLookedUpDecoded() throws Exception {
    var r = gateway.get("/v1/models/%2525");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(r.body()).contains("'%25'");
  }
}
