package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Json;
import dev.effort.core.ProviderException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An upstream that accepts a stream and never answers is given up on at the first-byte limit, not the deadline. */
class FirstByteTimeoutTest {

  @Test
  void aStreamWhoseUpstreamNeverAnswersFailsAtTheFirstByteLimitAndSaysSo() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // read nothing, answer nothing
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      Upstream upstream = new Upstream("silent", URI.create("http://127.0.0.1:" + silent.getLocalPort()), "k", "");
      UpstreamHttp http = new UpstreamHttp(upstream, LiveProviders.newHttpClient(), Duration.ofMillis(300));
      Duration deadline = Duration.ofMinutes(10);
      var request = http.post("/v1/messages", Map.of(), Json.MAPPER.createObjectNode(), deadline, true);

      assertThat(request.timeout()).contains(Duration.ofMillis(300));
      assertThatThrownBy(() -> http.stream(request, deadline, event -> true))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("did not begin its answer within 300 ms (the time-to-first-byte limit of streams)");
      acceptor.interrupt();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aDeadlineShorterThanTheLimitStaysTheDeadline() {
    Upstream upstream = new Upstream("u", URI.create("http://127.0.0.1:9"), "k", "");
    UpstreamHttp http = new UpstreamHttp(upstream, LiveProviders.newHttpClient(), Duration.ofSeconds(120));
    var request = http.post("/v1/messages", Map.of(), Json.MAPPER.createObjectNode(), Duration.ofSeconds(2), true);
    assertThat(request.timeout()).contains(Duration.ofSeconds(2));
    var whole = http.post("/v1/messages", Map.of(), Json.MAPPER.createObjectNode(), Duration.ofMinutes(10), false);
    assertThat(whole.timeout()).as("a whole answer comes at its end: the deadline is its limit").contains(Duration.ofMinutes(10));
  }
}
