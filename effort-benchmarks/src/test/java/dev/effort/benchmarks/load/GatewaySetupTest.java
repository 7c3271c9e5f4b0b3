package dev.effort.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.server.GatewayConfig;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.Store;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load's gateway is set up as effort serve reads it: a key with limits, a config the real parser accepts. */
class GatewaySetupTest {
  @TempDir Path dir;

  @Test
  void sqliteSetupIssuesALimitedAgentKeyAndAConfigServeAccepts() throws Exception {
    GatewaySetup setup = GatewaySetup.sqlite(dir);

    String secret = setup.createKey();
    GatewayConfig config = GatewayConfig.read(setup.writeConfig(dir, 4101, 4102));

    assertThat(secret).startsWith("ek_");
    try (Store store = Store.open(setup.database())) {
      List<ApiKey> keys = store.keys().list();
      assertThat(keys).singleElement().satisfies(k -> {
        assertThat(k.budgetUsdDay()).hasValue(GatewaySetup.BUDGET_USD_DAY);
        assertThat(k.rpm()).hasValue(GatewaySetup.RPM);
        assertThat(k.agent()).isTrue();
      });
      assertThat(store.keys().authenticate(secret)).isPresent();
    }
    assertThat(config.governance().database()).hasValue(setup.database());
    assertThat(config.governance().redis()).isEmpty();
    assertThat(config.governance().tempoMinPerSecond()).isEqualTo(GatewaySetup.TEMPO_MIN_REQUESTS_PER_SECOND);
    assertThat(config.providers()).extracting(p -> p.baseUrl() + " " + p.models())
        .containsExactly("http://127.0.0.1:4101 [fake-model]", "http://127.0.0.1:4102 [slow-model]");
    assertThat(config.port()).isZero();

    setup.drop().run();
    assertThat(dir.resolve(setup.database().substring("jdbc:sqlite:".length()))).doesNotExist();
  }
}
