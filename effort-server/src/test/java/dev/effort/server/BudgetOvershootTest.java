package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget reserves for the output cap that goes upstream: 200 concurrent requests with long
 * answers (5,000 output tokens unless capped), JSON and streams, with and without the client's
 * max_tokens, against a daily budget of $0.01 (about one long answer) or $0.10, settle at most the
 * budget. Before, with no max_tokens the reservation assumed 300 output tokens and no cap went
 * upstream: $0.01 settled $0.04.
 */
class BudgetOvershootTest {
  static final int LONG_ANSWER = 5_000;
  @TempDir Path dir;

  /** Anthropic and OpenAI stand-ins that answer LONG_ANSWER output tokens, or the cap sent if smaller. */
  static final class LongAnswers implements AutoCloseable {
    final HttpServer server;
    final List<Integer> capsSent = new CopyOnWriteArrayList<>();

    LongAnswers() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/v1/messages", ex -> answer(ex, true));
      server.createContext("/v1/chat/completions", ex -> answer(ex, false));
      server.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(HttpExchange ex, boolean anthropic) throws IOException {
      JsonNode req = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
      JsonNode cap = req.has("max_tokens") ? req.get("max_tokens") : req.get("max_completion_tokens");
      int output = cap == null ? LONG_ANSWER : Math.min(LONG_ANSWER, cap.asInt());
      capsSent.add(cap == null ? -1 : cap.asInt());
      boolean stream = req.path("stream").asBoolean();
      String model = req.get("model").asText();
      String body;
      if (anthropic && stream) {
        body = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":30,"
            + "\"output_tokens\":1}}}")
            + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
            + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"long \"}}")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
            + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":" + output + "}}")
            + event("message_stop", "{\"type\":\"message_stop\"}");
      } else if (anthropic) {
        body = "{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"long\"}],\"stop_reason\":\"max_tokens\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":30,\"output_tokens\":"
            + output + "}}";
      } else if (stream) {
        String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model + "\",";
        body = "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"long\"},\"finish_reason\":null}]}\n\n"
            + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
            + "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":" + output + ",\"total_tokens\":"
            + (30 + output) + "}}\n\ndata: [DONE]\n\n";
      } else {
        body = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"long\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":30,"
            + "\"completion_tokens\":" + output + ",\"total_tokens\":" + (30 + output) + "}}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
      ex.sendResponseHeaders(200, stream ? 0 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }

    static String event(String name, String data) {
      return "event: " + name + "\ndata: " + data + "\n\n";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @org.junit.jupiter.api.Test
  void withoutMaxTokensTheGatewaySendsTheCapItReservedForAndSaysSoInTheTrace() throws Exception {
    try (LongAnswers upstream = new LongAnswers()) {
      Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
      String secret = store.keys().create(KeySpec.named("one").budgetUsdDay(0.004)).secret();
      Governance governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
          Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
      GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.LOW, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
          Optional.empty(), 1.0, List.of(new GatewayConfig.ProviderConfig("oai", "openai", upstream.baseUrl(),
              "EFFORT_TEST_UPSTREAM_KEY", List.of("gpt-5-mini"))), List.of(), Optional.empty());
      try (RunningGateway g = new RunningGateway(Gateway.start(config, Fleets.fromConfig(config, Path.of("unused")),
          Optional.empty(), governance, 0))) {
        HttpResponse<String> r = g.post("/v1/chat/completions", new Shape("openai", "gpt-5-mini", false, false).body(),
            "Authorization", "Bearer " + secret, "Effort", "low");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("no max_tokens from the client: output capped at");
        // $0.004 at $2 per million output tokens leaves room for under 2,000 tokens, reasoning included.
        assertThat(upstream.capsSent).singleElement().satisfies(cap -> assertThat(cap).isBetween(1, 2_000));
      }
    }
  }

  record Shape(String api, String model, boolean stream, boolean maxTokens) {
    String path() {
      return api.equals("anthropic") ? "/v1/messages" : "/v1/chat/completions";
    }

    String body() {
      return "{\"model\":\"" + model + "\",\"stream\":" + stream + (maxTokens ? ",\"max_tokens\":4000" : "")
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"Write a long essay on the history of budgets.\"}]}";
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(doubles = {0.01, 0.1})
  void concurrentLongAnswersSettleWithinTheBudgetWithAndWithoutMaxTokens(double budget) throws Exception {
    List<Shape> shapes = new ArrayList<>();
    for (String model : List.of("claude-haiku-4-5", "gpt-5-mini")) {
      for (boolean stream : List.of(false, true)) {
        shapes.add(new Shape("openai", model, stream, false));
        shapes.add(new Shape("openai", model, stream, true));
        shapes.add(new Shape("anthropic", model, stream, true)); // Anthropic clients always send max_tokens
      }
    }
    try (LongAnswers upstream = new LongAnswers()) {
      Store store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
      String secret = store.keys().create(KeySpec.named("tight").budgetUsdDay(budget)).secret();
      long keyId = store.keys().list().get(0).id();
      Governance governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER,
          Optional.empty(), TempoSettings.DEFAULTS.scaled(1_000), TempoSettings.AGENT_DEFAULTS.scaled(1_000), Clock.systemUTC());
      GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.LOW, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
          Optional.empty(), 1.0, List.of(
              new GatewayConfig.ProviderConfig("claude", "anthropic", upstream.baseUrl(), "EFFORT_TEST_UPSTREAM_KEY",
                  List.of("claude-haiku-4-5")),
              new GatewayConfig.ProviderConfig("oai", "openai", upstream.baseUrl(), "EFFORT_TEST_UPSTREAM_KEY", List.of("gpt-5-mini"))),
          List.of(), Optional.empty());
      Map<String, Integer> statuses = new TreeMap<>();
      double spent;
      try (RunningGateway g = new RunningGateway(Gateway.start(config, Fleets.fromConfig(config, Path.of("unused")),
          Optional.empty(), governance, 0))) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        List<Shape> sent = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < 200; i++) {
            Shape shape = shapes.get(i % shapes.size());
            sent.add(shape);
            responses.add(pool.submit(() -> {
              go.await();
              return g.post(shape.path(), shape.body(), "Authorization", "Bearer " + secret, "anthropic-version", "2023-06-01",
                  "Effort", "low");
            }));
          }
          go.countDown();
        }
        for (int i = 0; i < responses.size(); i++) {
          HttpResponse<String> r = responses.get(i).get();
          Shape shape = sent.get(i);
          String label = shape.api() + "/" + shape.model() + (shape.stream() ? "/stream" : "/json")
              + (shape.maxTokens() ? "/max_tokens" : "/no max_tokens");
          statuses.merge(label + " " + r.statusCode(), 1, Integer::sum);
          assertThat(r.statusCode()).as(label + ": " + r.body()).isIn(200, 429);
        }
        spent = store.ledger().spentUsd(keyId, Instant.EPOCH);
      }
      System.out.printf("BUDGET RE-RUN: 200 concurrent requests, settled $%.6f against a budget of $%.6f; caps sent upstream %s;"
          + " statuses %s%n", spent, budget, new java.util.TreeSet<>(upstream.capsSent), statuses);
      assertThat(upstream.capsSent).as("every upstream call carries the cap its reservation assumed").doesNotContain(-1);
      assertThat(spent).as("settled spend").isPositive().isLessThanOrEqualTo(budget);
    }
  }
}
