package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Ladder;
import dev.effort.core.PlanForecast;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, budgets, rate limits and the ledger through the running gateway, on a real SQLite file. */
class GovernanceTest {
  static final String ADMIN = "admin-secret-7d1e0c55";
  @TempDir Path dir;
  Store store;
  RunningGateway gateway;
  RecordedPrompt prompt;
  final List<String> logged = new ArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (logged) {
        logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()) + " " + r.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() {
    Logger.getLogger("").addHandler(capture);
    store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    Governance governance = new Governance(store, Optional.empty(), Optional.of(ADMIN), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    Path data = RunningGateway.data();
    gateway = new RunningGateway(Gateway.start(GatewayConfig.defaults(),
        Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), data), Optional.empty(), governance, 0));
    prompt = dev.effort.providers.data.RouterBenchCsv.loadFolder(data).get(0).prompts().get(0);
  }

  @AfterEach
  void stop() {
    gateway.close();
    Logger.getLogger("").removeHandler(capture);
  }

  String body(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + RunningGateway.quote(prompt.prompt()) + "}]}";
  }

  HttpResponse<String> ask(String secret, String... headers) throws Exception {
    List<String> h = new ArrayList<>(List.of(headers));
    if (secret != null) {
      h.addAll(List.of("Authorization", "Bearer " + secret));
    }
    return gateway.post("/v1/chat/completions", body("effort"), h.toArray(String[]::new));
  }

  @Test
  void withoutKeysTheGatewayIsOpenAndEveryAnswerIsInTheLedger() throws Exception {
    assertThat(ask(null, "Effort", "low").statusCode()).isEqualTo(200);
    assertThat(ask(null, "Effort", "max").statusCode()).isEqualTo(200);
    assertThat(store.ledger().count()).isEqualTo(2);
    assertThat(store.ledger().usage(dev.effort.server.store.GroupBy.EFFORT)).extracting(r -> r.group())
        .contains("low", "max");
  }

  @Test
  void onceAKeyExistsItIsRequiredAndRevokedKeysAreRefused() throws Exception {
    String secret = store.keys().create(KeySpec.named("app")).secret();

    HttpResponse<String> missing = ask(null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(RunningGateway.json(missing).at("/error/type").asText()).isEqualTo("authentication_error");
    HttpResponse<String> anthropicMissing = gateway.post("/v1/messages",
        "{\"model\":\"effort\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "anthropic-version", "2023-06-01");
    assertThat(anthropicMissing.statusCode()).isEqualTo(401);
    assertThat(RunningGateway.json(anthropicMissing).at("/error/type").asText()).isEqualTo("authentication_error");
    assertThat(ask("ek_wrong").statusCode()).isEqualTo(401);
    assertThat(gateway.post("/v1/messages", "{\"model\":\"effort-low\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
        + RunningGateway.quote(prompt.prompt()) + "}]}", "anthropic-version", "2023-06-01", "x-api-key", secret).statusCode())
        .isEqualTo(200);
    assertThat(ask(secret).statusCode()).isEqualTo(200);

    store.keys().revoke("app");
    HttpResponse<String> revoked = ask(secret);
    assertThat(revoked.statusCode()).isEqualTo(403);
    assertThat(RunningGateway.json(revoked).at("/error/type").asText()).isEqualTo("permission_error");
  }

  @Test
  void aKeysDefaultAndCeilingShapeTheLevelAndTheTraceSaysSo() throws Exception {
    String secret = store.keys().create(KeySpec.named("capped").defaultEffort(Effort.LOW).maxEffort(Effort.MEDIUM)).secret();

    HttpResponse<String> byDefault = ask(secret);
    assertThat(byDefault.headers().firstValue("Effort-Applied")).contains("low");
    assertThat(RunningGateway.json(byDefault).at("/effort/source").asText()).isEqualTo("key default");

    HttpResponse<String> capped = ask(secret, "Effort", "max");
    assertThat(capped.headers().firstValue("Effort-Level")).contains("max");
    assertThat(capped.headers().firstValue("Effort-Applied")).contains("medium");
    assertThat(capped.headers().firstValue("Effort-Downgrade-Reason")).get().asString().contains("max_effort medium");
  }

  @Test
  void aBudgetTooSmallForTheLevelLowersItThenRefusesWithWhatIsLeftAndWhen() throws Exception {
    var ask = dev.effort.core.Ask.of(prompt.prompt(), Effort.MAX);
    double low = PlanForecast.of(Ladder.routerBench().plan(Effort.LOW), ask, Catalog.builtIn()).costUsd();
    double max = PlanForecast.of(Ladder.routerBench().plan(Effort.MAX), ask, Catalog.builtIn()).costUsd();
    assertThat(low).isLessThan(max);
    String secret = store.keys().create(KeySpec.named("thrifty").budgetUsdDay(low * 1.5)).secret();

    HttpResponse<String> lowered = ask(secret, "Effort", "max");
    assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);
    assertThat(lowered.headers().firstValue("Effort-Applied")).contains("low");
    assertThat(lowered.headers().firstValue("Effort-Downgrade-Reason")).get().asString().contains("budget");

    HttpResponse<String> refused = null;
    for (int i = 0; i < 5 && (refused == null || refused.statusCode() == 200); i++) {
      refused = ask(secret, "Effort", "low");
    }
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(RunningGateway.json(refused).at("/error/message").asText()).contains("daily budget").contains("left").contains("resets at");
  }

  @Test
  void twoHundredConcurrentRequestsNeverOverspendTheBudgetByMoreThanOneWorstCase() throws Exception {
    var ask = dev.effort.core.Ask.of(prompt.prompt(), Effort.LOW);
    double worstLow = PlanForecast.of(Ladder.routerBench().plan(Effort.LOW), ask, Catalog.builtIn()).costUsd();
    double budget = worstLow * 10.5;
    String secret = store.keys().create(KeySpec.named("burst").budgetUsdDay(budget)).secret();
    long keyId = store.keys().list().get(0).id();

    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> statuses = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        statuses.add(pool.submit(() -> {
          go.await();
          return ask(secret, "Effort", "low").statusCode();
        }));
      }
      go.countDown();
    }
    long ok = 0;
    for (Future<Integer> s : statuses) {
      assertThat(s.get()).isIn(200, 429);
      ok += s.get() == 200 ? 1 : 0;
    }
    double spent = store.ledger().spentUsd(keyId, java.time.Instant.EPOCH);
    assertThat(ok).isPositive().isLessThan(200);
    assertThat(spent).as("settled cost of %d answers", ok).isLessThanOrEqualTo(budget + worstLow);
    assertThat(store.ledger().count()).as("answers are rows; refusals before any upstream call are metrics").isEqualTo(ok);
    System.out.printf("budget test: 200 concurrent requests, %d answered, settled $%.6f against a budget of $%.6f"
        + " (one worst case: $%.6f)%n", ok, spent, budget, worstLow);
  }

  @Test
  void aKeysRequestsPerMinuteAreLimitedWithRetryAfter() throws Exception {
    String secret = store.keys().create(KeySpec.named("slow").rpm(3)).secret();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> last = null;
    for (int i = 0; i < 5; i++) {
      last = ask(secret, "Effort", "low");
      statuses.add(last.statusCode());
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
    assertThat(last.headers().firstValue("retry-after")).isPresent();
    assertThat(RunningGateway.json(last).at("/error/type").asText()).isEqualTo("rate_limit_error");
  }

  @Test
  void theAdminApiManagesKeysAndReportsUsageWithTheAdminKeyOnly() throws Exception {
    assertThat(gateway.get("/admin/keys").statusCode()).isEqualTo(401);
    assertThat(gateway.get("/admin/keys", "Authorization", "Bearer not-admin").statusCode()).isEqualTo(401);

    HttpResponse<String> created = gateway.post("/admin/keys", "{\"name\":\"ci-bot\",\"rpm\":100,\"agent\":true,\"max_effort\":\"high\"}",
        "Authorization", "Bearer " + ADMIN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String secret = RunningGateway.json(created).get("secret").asText();
    assertThat(secret).startsWith("ek_");
    assertThat(ask(secret, "Effort", "low").statusCode()).isEqualTo(200);

    JsonNode keys = RunningGateway.json(gateway.get("/admin/keys", "Authorization", "Bearer " + ADMIN));
    assertThat(keys.toString()).contains("ci-bot").doesNotContain(secret);
    JsonNode usage = RunningGateway.json(gateway.get("/admin/usage?by=key", "Authorization", "Bearer " + ADMIN));
    assertThat(usage.toString()).contains("ci-bot");

    HttpResponse<String> revoked = gateway.http.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/admin/keys/ci-bot"))
        .header("Authorization", "Bearer " + ADMIN).DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(ask(secret).statusCode()).isEqualTo(403);
  }

  @Test
  void noClientKeyAppearsInLogsLedgerMetricsOrErrorBodies() throws Exception {
    String secret = store.keys().create(KeySpec.named("quiet").rpm(2)).secret();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      bodies.add(ask(secret, "Effort", "low").body());
    }
    store.keys().revoke("quiet");
    bodies.add(ask(secret).body());
    bodies.add(gateway.post("/v1/chat/completions", "{bad json", "Authorization", "Bearer " + secret).body());
    bodies.add(gateway.get("/metrics").body());
    gateway.close();

    for (String b : bodies) {
      assertThat(b).doesNotContain(secret);
    }
    synchronized (logged) {
      assertThat(String.join("\n", logged)).doesNotContain(secret);
    }
    for (Path f : Files.list(dir).toList()) {
      assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
    }
    gateway = new RunningGateway(Gateway.start(GatewayConfig.defaults(),
        Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), RunningGateway.data()), Optional.empty(), 0));
  }
}
