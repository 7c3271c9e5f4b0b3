package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Effort;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile numbers (deadlines, costs, token counts far out of range) are a 400 naming the accepted
 * range, never reach an arithmetic overflow, and leave the upstream connection pool working: the
 * next ordinary call through the same live provider still succeeds.
 */
class NumericBoundsTest {
  static ScriptedUpstream upstream;
  static RunningGateway client;

  static final String ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"4\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}";

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.HIGH, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
        Optional.empty(), 1.0, List.of(new GatewayConfig.ProviderConfig("claude", "anthropic", upstream.baseUrl(),
            "EFFORT_TEST_UPSTREAM_KEY", List.of("claude-sonnet-4-5"))), List.of(), Optional.empty());
    client = new RunningGateway(Gateway.start(config, Fleets.fromConfig(config, Path.of("unused")), Optional.empty(), 0));
  }

  @AfterAll
  static void stop() {
    client.close();
    upstream.close();
  }

  static String body(String extra) {
    return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100," + extra
        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}";
  }

  static HttpResponse<String> ask(String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 4];
    System.arraycopy(headers, 0, all, 0, headers.length);
    System.arraycopy(new String[] {"anthropic-version", "2023-06-01", "Content-Type", "application/json"}, 0, all,
        headers.length, 4);
    return client.post("/v1/messages", body, all);
  }

  /** After the hostile request, an ordinary call through the same provider is answered. */
  static void anOrdinaryCallStillSucceeds() throws Exception {
    upstream.reply("/v1/messages", ScriptedUpstream.Reply.json(ANSWER));
    HttpResponse<String> r = ask(body(""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(RunningGateway.json(r).at("/content/0/text").asText()).isEqualTo("4");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775807ms", "10000000000000000ms", "99999999999999999999s", "1e30", "3601s", "61m"})
  void aDeadlineHeaderOutOfRangeIsA400NamingTheRange(String deadline) throws Exception {
    HttpResponse<String> r = ask(body(""), "Effort-Deadline", deadline);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(RunningGateway.json(r).at("/error/message").asText()).contains("header Effort-Deadline").contains("1ms to 3600s");
    anOrdinaryCallStillSucceeds();
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775807", "1e30", "99999999999999999999", "\"9223372036854775807ms\"",
      "\"99999999999999999999s\"", "1e-9", "-5"})
  void aBodyDeadlineOutOfRangeIsA400NamingTheRange(String deadline) throws Exception {
    HttpResponse<String> r = ask(body("\"deadline\":" + deadline + ","));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(RunningGateway.json(r).at("/error/message").asText()).contains("deadline").contains("1ms to 3600s");
    anOrdinaryCallStillSucceeds();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e300", "1000001", "\"1e308\""})
  void aCostCapOutOfRangeIsA400NamingTheRange(String cost) throws Exception {
    HttpResponse<String> r = ask(body("\"max_cost_usd\":" + cost + ","));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(RunningGateway.json(r).at("/error/message").asText()).contains("max_cost_usd").contains("up to 1000000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483647", "1000001", "99999999999999999999"})
  void aTokenCountOutOfRangeIsA400NamingTheRange(String maxTokens) throws Exception {
    HttpResponse<String> r = ask("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(RunningGateway.json(r).at("/error/message").asText()).contains("max_tokens").contains("1 to 1000000");
    anOrdinaryCallStillSucceeds();
  }
}
