package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections: a silent client is dropped after the header timeout, one client address holds at
 * most so many connections, and {@code /healthz} answers another address under a flood of idle
 * connections.
 */
class ConnectionLimitsTest {
  @TempDir Path dir;

  static RunningGateway gateway(Duration headerTimeout, int perClient) {
    GatewayConfig d = GatewayConfig.defaults();
    return new RunningGateway(new GatewayConfig(0, d.data(), d.defaultEffort(), d.maxBodyBytes(), d.router(), d.target(),
        d.providers(), d.catalog(), d.ladder(), d.governance(),
        new GatewayConfig.ListenerConfig("127.0.0.1", headerTimeout, Duration.ofSeconds(60), perClient)));
  }

  static Socket connect(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    return s;
  }

  /** Whether the server closed the connection within {@code millis} (end of stream or a reset). */
  static boolean closedWithin(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // a 408 or the like may come first: read to the end
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void aClientSilentLongerThanTheHeaderTimeoutIsDisconnected() throws Exception {
    try (RunningGateway g = gateway(Duration.ofSeconds(1), 64);
        Socket idle = connect("127.0.0.1", g.gateway.port());
        Socket halfway = connect("127.0.0.1", g.gateway.port())) {
      halfway.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
      assertThat(closedWithin(idle, 5_000)).as("a connection that sends nothing").isTrue();
      assertThat(closedWithin(halfway, 5_000)).as("a request whose headers stop halfway").isTrue();
      assertThat(g.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void oneClientsIdleConnectionsAreCappedAndHealthzAnswersAnotherAddress() throws Exception {
    List<Socket> flood = new ArrayList<>();
    try (RunningGateway g = gateway(Duration.ofSeconds(60), 20)) {
      try {
        for (int i = 0; i < 300; i++) {
          flood.add(connect("127.0.0.2", g.gateway.port()));
        }
        int refused = 0;
        for (Socket s : flood) {
          refused += closedWithin(s, 50) ? 1 : 0;
        }
        assertThat(refused).as("connections over the cap of 20 from 127.0.0.2").isGreaterThanOrEqualTo(280);

        RawHttp.Exchange health = RawHttp.send(g.gateway.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(health.first()).as(health.text()).isEqualTo(200);
      } finally {
        for (Socket s : flood) {
          s.close();
        }
      }
      // Closed connections free their slots.
      try (Socket again = connect("127.0.0.2", g.gateway.port())) {
        again.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        again.setSoTimeout(5_000);
        assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void timeoutsAndTheCapAreReadFromTheConfigInSeconds() throws Exception {
    Path file = Files.writeString(dir.resolve("effort.yaml"),
        "header_timeout_seconds: 5\nidle_timeout_seconds: 120\nmax_connections_per_client: 8\n");
    GatewayConfig.ListenerConfig l = GatewayConfig.read(file).listener();
    assertThat(l.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(l.maxConnectionsPerClient()).isEqualTo(8);
    GatewayConfig.ListenerConfig defaults = GatewayConfig.defaults().listener();
    assertThat(defaults.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.maxConnectionsPerClient()).isEqualTo(1024);
  }
}
