package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe defaults at start-up: loopback only, no open gateway on live keys, YAML booleans explained. */
class StartupSafetyTest {
  @TempDir Path dir;

  GatewayConfig read(String yaml) throws IOException {
    return GatewayConfig.read(Files.writeString(dir.resolve("effort.yaml"), yaml));
  }

  @Test
  void theGatewayListensOnLoopbackUnlessTheConfigNamesAHost() throws Exception {
    assertThat(GatewayConfig.defaults().listener().host()).isEqualTo("127.0.0.1");
    assertThat(read("port: 9000").listener().host()).isEqualTo("127.0.0.1");
    assertThat(read("host: 0.0.0.0").listener().host()).isEqualTo("0.0.0.0");

    Optional<InetAddress> outside = NetworkInterface.networkInterfaces().filter(i -> {
      try {
        return i.isUp() && !i.isLoopback();
      } catch (IOException e) {
        return false;
      }
    }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
    try (RunningGateway g = new RunningGateway(Gateway.start(GatewayConfig.defaults(),
        Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), RunningGateway.data()), Optional.empty(), 0))) {
      assertThat(g.get("/healthz").statusCode()).isEqualTo(200);
      if (outside.isPresent()) {
        assertThatThrownBy(() -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(outside.get(), g.gateway.port()), 2_000);
          }
        }).as("reachable on " + outside.get()).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void unquotedAuthOffOrFalseIsReadAsOff() throws Exception {
    assertThat(read("auth: off").governance().auth()).contains("off");
    assertThat(read("auth: false").governance().auth()).contains("off");
    assertThat(read("auth: no").governance().auth()).contains("off");
    assertThat(read("auth: 'off'").governance().auth()).contains("off");
    assertThat(read("auth: on").governance().auth()).contains("required");
    assertThat(read("auth: required").governance().auth()).contains("required");
  }

  @Test
  void aBooleanWhereAWordIsExpectedSaysHowToQuoteIt() {
    assertThatThrownBy(() -> read("over_budget: no"))
        .hasMessageContaining("over_budget").hasMessageContaining("as the boolean false").hasMessageContaining("quote it");
    assertThatThrownBy(() -> read("providers:\n  - name: yes\n    type: openai-compatible\n    base_url: http://x\n    models: [a]\n"))
        .hasMessageContaining("name").hasMessageContaining("quote it to mean the word");
  }

  @Test
  void liveProvidersWithNoKeyAndNoExplicitAuthOffAreRefused() throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("effort.db");
    GatewayConfig.GovernanceConfig defaults = new GatewayConfig.GovernanceConfig(Optional.of(db), Optional.empty(),
        "EFFORT_ADMIN_KEY", Optional.empty(), "lower", 20, 2, false, 0);
    try (Governance g = Governance.open(defaults, dir)) {
      assertThat(g.refusalToServe(true)).get().asString().contains("no API key exists");
      assertThat(g.refusalToServe(false)).as("replay spends nothing").isEmpty();
    }
    try (Governance g = Governance.open(defaults.withAuth("off"), dir)) {
      assertThat(g.refusalToServe(true)).as("auth: off said explicitly").isEmpty();
    }
    try (Governance g = Governance.open(defaults, dir)) {
      g.store().keys().create(dev.effort.server.store.KeySpec.named("app"));
      assertThat(g.refusalToServe(true)).as("a key exists: every call needs one").isEmpty();
    }
  }
}
