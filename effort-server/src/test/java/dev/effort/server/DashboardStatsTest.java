package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /admin/stats}, {@code /admin/ledger} and {@code /ui} over plain HTTP, with requests sent through the gateway. */
class DashboardStatsTest {
  static final String ADMIN = "admin-secret-dash-5b1f";
  static final String LOW_MODEL = "mistralai/mixtral-8x7b-chat";
  static final String MAX_MODEL = "gpt-4-1106-preview";

  @TempDir Path dir;
  Store store;
  RunningGateway gateway;
  RecordedPrompt prompt;

  void start(GatewayConfig config) {
    store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    Governance governance = new Governance(store, Optional.empty(), Optional.of(ADMIN), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    Path data = RunningGateway.data();
    gateway = new RunningGateway(Gateway.start(config, Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), data),
        Optional.empty(), governance, 0));
    prompt = dev.effort.providers.data.RouterBenchCsv.loadFolder(data).get(0).prompts().get(0);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  HttpResponse<String> ask(String secret, String effort) throws Exception {
    return gateway.post("/v1/chat/completions", "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":"
        + RunningGateway.quote(prompt.prompt()) + "}]}", "Authorization", "Bearer " + secret, "Effort", effort);
  }

  JsonNode admin(String path) throws Exception {
    HttpResponse<String> r = gateway.get(path, "Authorization", "Bearer " + ADMIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return RunningGateway.json(r);
  }

  static JsonNode row(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.path(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no row with " + field + " = " + value + " in " + array);
  }

  @Test
  void statsCountTheRequestsSentPerLevelModelAndKey() throws Exception {
    start(GatewayConfig.defaults());
    String secret = store.keys().create(KeySpec.named("app").budgetUsdDay(5)).secret();
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "max").statusCode()).isEqualTo(200);

    JsonNode stats = admin("/admin/stats?window=5m");

    assertThat(stats.path("window").asText()).isEqualTo("5m");
    assertThat(stats.at("/totals/requests").asLong()).isEqualTo(3);
    JsonNode low = row(stats.path("levels"), "level", "low");
    assertThat(low.path("requests").asLong()).isEqualTo(2);
    assertThat(low.path("errors").asLong()).isZero();
    assertThat(low.path("cost_usd").asDouble()).isPositive();
    assertThat(low.path("latency_p50_ms").isNumber()).isTrue();
    assertThat(low.path("ttft_p95_ms").isNumber()).isTrue();
    assertThat(row(stats.path("levels"), "level", "max").path("requests").asLong()).isEqualTo(1);
    assertThat(row(stats.path("models"), "models", LOW_MODEL).path("requests").asLong()).isEqualTo(2);
    assertThat(row(stats.path("models"), "models", MAX_MODEL).path("requests").asLong()).isEqualTo(1);
    JsonNode key = row(stats.path("keys"), "name", "app");
    assertThat(key.path("requests").asLong()).isEqualTo(3);
    assertThat(key.path("budget_usd_day").asDouble()).isEqualTo(5.0);
    assertThat(key.path("spent_today_usd").asDouble()).isCloseTo(stats.at("/totals/cost_usd").asDouble(),
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(key.path("remaining_usd").asDouble()).isLessThan(5.0);
    assertThat(stats.path("upstreams")).isNotEmpty();
    assertThat(stats.path("upstreams").get(0).path("circuit").asText()).isEqualTo("closed");
    assertThat(stats.path("bench").isNull()).isTrue();
  }

  @Test
  void autoTrafficIsSharedPerPlanAndComparedWithMaxsForecastCost() throws Exception {
    start(GatewayConfig.defaults());
    String secret = store.keys().create(KeySpec.named("app")).secret();
    assertThat(ask(secret, "auto").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "auto").statusCode()).isEqualTo(200);

    JsonNode auto = admin("/admin/stats?window=1h").path("auto");

    assertThat(auto.path("requests").asLong()).isEqualTo(2);
    assertThat(auto.path("plans")).hasSize(1);
    assertThat(auto.at("/plans/0/share").asDouble()).isEqualTo(1.0);
    assertThat(auto.path("answered").asLong()).isEqualTo(2);
    assertThat(auto.path("cost_usd").asDouble()).isPositive();
    assertThat(auto.path("max_forecast_usd").asDouble()).isPositive();
    assertThat(auto.path("saved_usd").asDouble())
        .isCloseTo(auto.path("max_forecast_usd").asDouble() - auto.path("cost_usd").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void rateLimitHitsAreCountedPerKey() throws Exception {
    start(GatewayConfig.defaults());
    String secret = store.keys().create(KeySpec.named("slow").rpm(1)).secret();
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "low").statusCode()).isEqualTo(429);

    JsonNode key = row(admin("/admin/stats?window=5m").path("keys"), "name", "slow");

    assertThat(key.path("rate_limit_hits").asLong()).isEqualTo(1);
    assertThat(key.path("tempo_hits").asLong()).isZero();
    assertThat(key.path("requests").asLong()).as("a refused request is no ledger row").isEqualTo(1);
  }

  @Test
  void budgetRefusalsAreCountedPerKey() throws Exception {
    start(GatewayConfig.defaults());
    String secret = store.keys().create(KeySpec.named("broke").budgetUsdDay(0.000_000_1)).secret();
    assertThat(ask(secret, "low").statusCode()).as("not even low fits the budget").isEqualTo(429);

    JsonNode key = row(admin("/admin/stats?window=5m").path("keys"), "name", "broke");

    assertThat(key.path("budget_hits").asLong()).isEqualTo(1);
    assertThat(key.path("rate_limit_hits").asLong()).isZero();
    assertThat(key.path("remaining_usd").asDouble()).isEqualTo(0.000_000_1);
  }

  @Test
  void aBadWindowIsA400ListingTheAcceptedValues() throws Exception {
    start(GatewayConfig.defaults());
    HttpResponse<String> r = gateway.get("/admin/stats?window=2h", "Authorization", "Bearer " + ADMIN);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = RunningGateway.json(r).path("error");
    assertThat(error.path("message").asText()).contains("'2h'").contains("accepted: 5m, 1h, 1d");
    assertThat(error.path("param").asText()).isEqualTo("window");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void statsNeedTheAdminKey() throws Exception {
    start(GatewayConfig.defaults());
    String secret = store.keys().create(KeySpec.named("app")).secret();

    assertThat(gateway.get("/admin/stats?window=5m").statusCode()).isEqualTo(401);
    assertThat(gateway.get("/admin/stats?window=5m", "Authorization", "Bearer " + secret).statusCode()).isEqualTo(401);
    assertThat(gateway.get("/admin/ledger", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void ledgerRowsAreNewestFirstAndFilteredByKeyLevelModelAndStatus() throws Exception {
    start(GatewayConfig.defaults());
    String a = store.keys().create(KeySpec.named("a")).secret();
    String b = store.keys().create(KeySpec.named("b")).secret();
    ask(a, "low");
    ask(b, "max");
    ask(b, "low");

    assertThat(admin("/admin/ledger").path("rows")).extracting(n -> n.path("key").asText() + ":" + n.path("applied").asText())
        .containsExactly("b:low", "b:max", "a:low");
    assertThat(admin("/admin/ledger?key=b&level=low").path("rows")).hasSize(1);
    assertThat(admin("/admin/ledger?model=" + MAX_MODEL).path("rows")).extracting(n -> n.path("key").asText()).containsExactly("b");
    assertThat(admin("/admin/ledger?status=error").path("rows")).isEmpty();
    assertThat(admin("/admin/ledger?status=ok&limit=2").path("rows")).hasSize(2);
    assertThat(gateway.get("/admin/ledger?status=weird", "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(400);
    assertThat(gateway.get("/admin/ledger?limit=0", "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(400);
    assertThat(gateway.get("/admin/ledger?key=nobody", "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theConfiguredBenchJsonIsPassedOn() throws Exception {
    Path bench = dir.resolve("bench.json");
    Files.writeString(bench, "{\"datasets\": [{\"name\": \"arc\", \"rows\": [{\"name\": \"low\", \"kind\": \"level\","
        + " \"accuracy\": 0.85, \"cost_per_1k_usd\": 0.3}], \"frontier\": {\"levels_auc\": 0.9}}]}");
    Path yaml = dir.resolve("effort.yaml");
    Files.writeString(yaml, "bench_json: bench.json\n");
    GatewayConfig config = GatewayConfig.read(yaml);
    assertThat(config.benchJson()).contains(bench.toAbsolutePath());
    start(config);

    JsonNode shown = admin("/admin/stats?window=1d").path("bench");

    assertThat(shown.at("/datasets/0/name").asText()).isEqualTo("arc");
    assertThat(shown.at("/datasets/0/frontier/levels_auc").asDouble()).isEqualTo(0.9);
    assertThat(shown.path("modified").asText()).isNotEmpty();
  }

  @Test
  void thePageIsServedFromTheJarWithNothingFromAnotherHost() throws Exception {
    start(GatewayConfig.defaults());
    store.keys().create(KeySpec.named("app"));

    HttpResponse<String> page = gateway.get("/ui");

    assertThat(page.statusCode()).as("the page is a login form: it needs no key").isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("default-src 'none'").contains("connect-src 'self'");
    assertThat(page.body()).contains("id=\"admin-key\"").doesNotContain("<script src").doesNotContain("<link")
        .doesNotContain("https://");
    List<String> outside = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://[^\"' ]+").matcher(page.body());
    while (m.find()) {
      outside.add(m.group());
    }
    assertThat(outside).as("only the SVG namespace, which is a name, not a fetch").containsOnly("http://www.w3.org/2000/svg");
  }
}
