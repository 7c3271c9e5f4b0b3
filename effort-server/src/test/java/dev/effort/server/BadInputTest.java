package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets a 400 (or 404, 413) in the client's own error format, saying what is wrong and
 * what is accepted: never a 500, a hang or a stack trace.
 */
class BadInputTest {
  static final String Q = "\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]";
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    gateway = new RunningGateway(new GatewayConfig(0, java.util.Optional.empty(), dev.effort.core.Effort.HIGH, 64 * 1024,
        java.util.Optional.empty(), 1.0, List.of(), List.of(), java.util.Optional.empty()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /**
   * @param name what is wrong
   * @param api {@code openai} or {@code anthropic}
   * @param body the request body
   * @param headers extra request headers, name then value
   * @param status the expected status
   * @param says a piece of the expected message
   */
  record Case(String name, String api, String body, List<String> headers, int status, String says) {
    @Override
    public String toString() {
      return api + ": " + name;
    }
  }

  static Case openai(String name, String body, int status, String says, String... headers) {
    return new Case(name, "openai", body, List.of(headers), status, says);
  }

  static Case anthropic(String name, String body, int status, String says, String... headers) {
    return new Case(name, "anthropic", body, List.of(headers), status, says);
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    // The same mistakes in both formats.
    for (String api : List.of("openai", "anthropic")) {
      String max = api.equals("anthropic") ? ",\"max_tokens\":100" : "";
      java.util.function.Function<String, String> body = fields -> "{" + fields + max + "}";
      cases.add(new Case("malformed JSON", api, "{\"model\": \"effort\", \"messages\": [}", List.of(), 400, "not valid JSON"));
      cases.add(new Case("truncated JSON", api, "{\"model\": \"effort\", " + Q.substring(0, 20), List.of(), 400, "not valid JSON"));
      cases.add(new Case("empty body", api, "", List.of(), 400, "empty"));
      cases.add(new Case("a JSON array instead of an object", api, "[1, 2]", List.of(), 400, "JSON object"));
      cases.add(new Case("trailing garbage after the object", api, body.apply("\"model\":\"effort\"," + Q) + " x", List.of(), 400,
          "not valid JSON"));
      cases.add(new Case("missing model", api, body.apply(Q), List.of(), 400, "model: field required"));
      cases.add(new Case("model is a number", api, body.apply("\"model\":7," + Q), List.of(), 400, "model: expected a string"));
      cases.add(new Case("unknown model", api, body.apply("\"model\":\"gpt-9\"," + Q), List.of(), 404, "effort-high"));
      cases.add(new Case("missing messages", api, body.apply("\"model\":\"effort\""), List.of(), 400, "messages: field required"));
      cases.add(new Case("empty messages", api, body.apply("\"model\":\"effort\",\"messages\":[]"), List.of(), 400,
          "at least one message"));
      cases.add(new Case("messages is a string", api, body.apply("\"model\":\"effort\",\"messages\":\"hi\""), List.of(), 400,
          "messages: expected an array"));
      cases.add(new Case("a message is a number", api, body.apply("\"model\":\"effort\",\"messages\":[3]"), List.of(), 400,
          "expected an object"));
      cases.add(new Case("unknown role", api, body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]"),
          List.of(), 400, "role"));
      cases.add(new Case("content is a number", api, body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":5}]"),
          List.of(), 400, "content"));
      cases.add(new Case("missing content", api, body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\"}]"), List.of(), 400,
          "content: field required"));
      cases.add(new Case("an image part", api, body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]"),
          List.of(), 400, "text"));
      cases.add(new Case("no user message", api, body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]"),
          List.of(), 400, "role 'user'"));
      cases.add(new Case("unknown effort in the body", api, body.apply("\"model\":\"effort\",\"effort\":\"turbo\"," + Q), List.of(), 400,
          "accepted: low, medium, high, xhigh, max, auto"));
      cases.add(new Case("effort is a number", api, body.apply("\"model\":\"effort\",\"effort\":3," + Q), List.of(), 400,
          "effort: expected a string"));
      cases.add(new Case("unknown reasoning_effort", api, body.apply("\"model\":\"effort\",\"reasoning_effort\":\"ultra\"," + Q),
          List.of(), 400, "reasoning_effort: unknown effort 'ultra'"));
      cases.add(new Case("reasoning is a string", api, body.apply("\"model\":\"effort\",\"reasoning\":\"high\"," + Q), List.of(), 400,
          "reasoning: expected an object"));
      cases.add(new Case("unknown output_config.effort", api, body.apply("\"model\":\"effort\",\"output_config\":{\"effort\":\"huge\"}," + Q),
          List.of(), 400, "output_config.effort: unknown effort 'huge'"));
      cases.add(new Case("unknown effort in the header", api, body.apply("\"model\":\"effort\"," + Q), List.of("Effort", "fast"), 400,
          "header Effort: unknown effort 'fast'"));
      cases.add(new Case("unknown effort in X-Effort", api, body.apply("\"model\":\"effort\"," + Q), List.of("X-Effort", "11"), 400,
          "header X-Effort"));
      cases.add(new Case("unknown effort in the /effort line", api,
          body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\"/effort mega\\nWhat is 2+2?\"}]"), List.of(), 400,
          "the /effort line: unknown effort 'mega'"));
      cases.add(new Case("an /effort line without a level", api,
          body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\"/effort\\nWhat?\"}]"), List.of(), 400,
          "needs a level"));
      cases.add(new Case("an /effort line and nothing else", api,
          body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\"/effort high\"}]"), List.of(), 400,
          "put the question after it"));
      cases.add(new Case("stream is a string", api, body.apply("\"model\":\"effort\",\"stream\":\"yes\"," + Q), List.of(), 400,
          "stream: expected true or false"));
      cases.add(new Case("a deadline that is not a duration", api, body.apply("\"model\":\"effort\"," + Q), List.of("Effort-Deadline", "soon"),
          400, "not a duration"));
      cases.add(new Case("a zero deadline", api, body.apply("\"model\":\"effort\",\"deadline\":\"0ms\"," + Q), List.of(), 400,
          "at least 1 ms"));
      cases.add(new Case("a negative cost cap", api, body.apply("\"model\":\"effort\"," + Q), List.of("Effort-Max-Cost-Usd", "-1"), 400,
          "positive number of US dollars"));
      cases.add(new Case("a cost cap that is a boolean", api, body.apply("\"model\":\"effort\",\"max_cost_usd\":true," + Q), List.of(),
          400, "max_cost_usd"));
      cases.add(new Case("a tools list", api, body.apply("\"model\":\"effort\",\"tools\":[{\"type\":\"function\"}]," + Q), List.of(),
          400, "not supported"));
      cases.add(new Case("a body over the limit", api, body.apply("\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":\""
          + "x".repeat(70 * 1024) + "\"}]"), List.of(), 413, "exceeds the limit of 65536 bytes"));
      cases.add(new Case("a prompt that is not in the recording", api, body.apply("\"model\":\"effort-low\"," + Q), List.of(), 404,
          "no recorded answer for this prompt"));
    }
    // Each format's own rules.
    cases.add(openai("max_tokens is negative", "{\"model\":\"effort\",\"max_tokens\":-5," + Q + "}", 400, "max_tokens: expected a positive integer"));
    cases.add(openai("max_completion_tokens is a string", "{\"model\":\"effort\",\"max_completion_tokens\":\"10\"," + Q + "}", 400,
        "max_completion_tokens: expected a positive integer"));
    cases.add(openai("n = 3", "{\"model\":\"effort\",\"n\":3," + Q + "}", 400, "n = 1"));
    cases.add(openai("a tool message", "{\"model\":\"effort\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400, "tool messages"));
    cases.add(anthropic("missing max_tokens", "{\"model\":\"effort\"," + Q + "}", 400, "max_tokens: field required"));
    cases.add(anthropic("max_tokens is zero", "{\"model\":\"effort\",\"max_tokens\":0," + Q + "}", 400, "positive integer"));
    cases.add(anthropic("only a system message", "{\"model\":\"effort\",\"max_tokens\":9,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
        400, "role 'user'"));
    cases.add(anthropic("an unknown role", "{\"model\":\"effort\",\"max_tokens\":9,\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
        400, "'user' or 'assistant'"));
    cases.add(anthropic("system is a number", "{\"model\":\"effort\",\"max_tokens\":9,\"system\":4," + Q + "}", 400, "system"));
    // hardening: numbers out of range are a 400 naming the accepted range.
    for (String api : List.of("openai", "anthropic")) {
      String max = api.equals("anthropic") ? ",\"max_tokens\":100" : "";
      java.util.function.Function<String, String> body = fields -> "{" + fields + max + "}";
      cases.add(new Case("a deadline header of Long.MAX_VALUE ms", api, body.apply("\"model\":\"effort\"," + Q),
          List.of("Effort-Deadline", "9223372036854775807ms"), 400, "1ms to 3600s"));
      cases.add(new Case("a body deadline of 1e30 seconds", api, body.apply("\"model\":\"effort\",\"deadline\":1e30," + Q), List.of(),
          400, "1ms to 3600s"));
      cases.add(new Case("a deadline of 20 digits", api, body.apply("\"model\":\"effort\",\"deadline\":\"99999999999999999999s\"," + Q),
          List.of(), 400, "1ms to 3600s"));
      cases.add(new Case("a cost cap of 1e300", api, body.apply("\"model\":\"effort\"," + Q), List.of("Effort-Max-Cost-Usd", "1e300"),
          400, "up to 1000000"));
    }
    cases.add(openai("max_tokens of 2^31-1", "{\"model\":\"effort\",\"max_tokens\":2147483647," + Q + "}", 400, "1 to 1000000"));
    cases.add(anthropic("max_tokens of 20 digits", "{\"model\":\"effort\",\"max_tokens\":99999999999999999999," + Q + "}", 400,
        "1 to 1000000"));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputIsAClearErrorInTheClientsFormat(Case c) throws Exception {
    boolean anthropic = c.api().equals("anthropic");
    List<String> headers = new ArrayList<>(c.headers());
    headers.addAll(List.of("Content-Type", "application/json"));
    if (anthropic) {
      headers.addAll(List.of("anthropic-version", "2023-06-01"));
    }
    HttpResponse<String> r = gateway.post(anthropic ? "/v1/messages" : "/v1/chat/completions", c.body(), headers.toArray(String[]::new));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = RunningGateway.json(r);
    String message;
    if (anthropic) {
      assertThat(body.get("type").asText()).isEqualTo("error");
      assertThat(body.get("error").get("type").asText()).isEqualTo(switch (c.status()) {
        case 404 -> "not_found_error";
        case 413 -> "request_too_large";
        default -> "invalid_request_error";
      });
      message = body.get("error").get("message").asText();
    } else {
      assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(body.get("error").has("param")).isTrue();
      assertThat(body.get("error").has("code")).isTrue();
      message = body.get("error").get("message").asText();
    }
    assertThat(message).contains(c.says()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(gateway.get("/healthz").statusCode()).as("the gateway still answers").isEqualTo(200);
  }
}
