package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once keys exist, every endpoint but {@code /healthz} needs one (metrics only unless the config
 * opens them), and {@code /healthz} tells an anonymous caller only that the gateway is up.
 */
class KeyedEndpointsTest {
  static final String COUNT = "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  @TempDir Path dir;
  Store store;
  RunningGateway gateway;

  RunningGateway start(boolean metricsPublic) {
    store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    Governance governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    GatewayConfig d = GatewayConfig.defaults();
    GatewayConfig config = new GatewayConfig(0, d.data(), d.defaultEffort(), d.maxBodyBytes(), d.router(), d.target(),
        d.providers(), d.catalog(), d.ladder(), new GatewayConfig.GovernanceConfig(Optional.empty(), Optional.empty(),
            "EFFORT_ADMIN_KEY", Optional.empty(), "lower", 20, 2, metricsPublic, 0));
    gateway = new RunningGateway(Gateway.start(config, Fleets.replay(Catalog.builtIn(), Ladder.routerBench(),
        RunningGateway.data()), Optional.empty(), governance, 0));
    return gateway;
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void onceKeysExistEveryEndpointButHealthzNeedsOne() throws Exception {
    start(false);
    assertThat(gateway.get("/v1/models").statusCode()).as("no key exists yet: open").isEqualTo(200);
    String secret = store.keys().create(KeySpec.named("app")).secret();

    for (String path : List.of("/v1/models", "/v1/models/effort-high", "/metrics", "/v1/nothing")) {
      HttpResponse<String> anonymous = gateway.get(path);
      assertThat(anonymous.statusCode()).as(path + ": " + anonymous.body()).isEqualTo(401);
      assertThat(anonymous.body()).contains("API key is required");
      assertThat(gateway.get(path, "Authorization", "Bearer wrong").statusCode()).as(path).isEqualTo(401);
    }
    HttpResponse<String> count = gateway.post("/v1/messages/count_tokens", COUNT, "anthropic-version", "2023-06-01");
    assertThat(count.statusCode()).as(count.body()).isEqualTo(401);
    assertThat(RunningGateway.json(count).at("/error/type").asText()).isEqualTo("authentication_error");

    assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + secret).statusCode()).isEqualTo(200);
    assertThat(gateway.get("/metrics", "Authorization", "Bearer " + secret).statusCode()).isEqualTo(200);
    assertThat(gateway.post("/v1/messages/count_tokens", COUNT, "x-api-key", secret, "anthropic-version", "2023-06-01")
        .statusCode()).isEqualTo(200);
    assertThat(gateway.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsMayBeOpenedByConfig() throws Exception {
    start(true);
    store.keys().create(KeySpec.named("app"));

    assertThat(gateway.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/v1/models").statusCode()).isEqualTo(401);
  }

  @Test
  void healthzNamesNoProvidersToAnAnonymousCaller() throws Exception {
    start(false);
    String secret = store.keys().create(KeySpec.named("app")).secret();

    HttpResponse<String> anonymous = gateway.get("/healthz");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(RunningGateway.json(anonymous).get("status").asText()).isEqualTo("ok");
    assertThat(anonymous.body()).doesNotContain("fleet").doesNotContain("replay");
    assertThat(gateway.get("/healthz", "Authorization", "Bearer " + secret).body()).contains("replay");
  }
}
