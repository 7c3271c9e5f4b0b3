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
   * @param api {@code openai}, {@code anthropic} or {@code responses}
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

  static Case responses(String name, String body, int status, String says, String... headers) {
    return new Case(name, "responses", body, List.of(headers), status, says);
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
      if (api.equals("anthropic")) { // OpenAI Chat takes tools: its tool rows are below
        cases.add(new Case("a tools list", api, body.apply("\"model\":\"effort\",\"tools\":[{\"type\":\"function\"}]," + Q),
            List.of(), 400, "not supported"));
      }
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
    cases.add(openai("a tool message", "{\"model\":\"effort\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400,
        "tool_call_id: field required"));
    // OpenAI Chat tool traffic (issue 9): tools, tool calls and results, images.
    String weather = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}";
    String called = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]}";
    String user = "{\"role\":\"user\",\"content\":\"Weather?\"}";
    cases.add(openai("a function without a name", "{\"model\":\"effort\",\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"description\":\"x\"}}]," + Q + "}", 400, "tools[0].function.name: field required"));
    cases.add(openai("a tool without a type", "{\"model\":\"effort\",\"tools\":[{\"function\":{\"name\":\"f\"}}]," + Q + "}", 400,
        "tools[0].type: field required"));
    cases.add(openai("parameters that are not an object", "{\"model\":\"effort\",\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"f\",\"parameters\":\"{}\"}}]," + Q + "}", 400, "parameters: expected a JSON Schema of type object"));
    cases.add(openai("parameters of type string", "{\"model\":\"effort\",\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"f\",\"parameters\":{\"type\":\"string\"}}}]," + Q + "}", 400, "of type object"));
    cases.add(openai("tools is an object", "{\"model\":\"effort\",\"tools\":" + weather + "," + Q + "}", 400,
        "tools: expected an array"));
    cases.add(openai("a tool choice naming a tool not offered", "{\"model\":\"effort\",\"tools\":[" + weather + "],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}," + Q + "}", 400,
        "'get_time', which is not among the tools offered (get_weather)"));
    cases.add(openai("an unknown tool choice", "{\"model\":\"effort\",\"tools\":[" + weather + "],\"tool_choice\":\"any\"," + Q + "}",
        400, "'any' is not a tool choice"));
    cases.add(openai("parallel_tool_calls is a string", "{\"model\":\"effort\",\"parallel_tool_calls\":\"yes\"," + Q + "}", 400,
        "parallel_tool_calls: expected true or false"));
    cases.add(openai("a tool message for an unknown call id", "{\"model\":\"effort\",\"messages\":[" + user + "," + called + ","
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"sunny\"}]}", 400,
        "'call_9' answers no tool call of an earlier assistant message; calls made: call_1"));
    cases.add(openai("a tool message before any call", "{\"model\":\"effort\",\"messages\":[" + user + ","
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]}", 400, "answers no tool call"));
    cases.add(openai("tool call arguments that are not JSON", "{\"model\":\"effort\",\"messages\":[" + user + ","
        + called.replace("\"{}\"", "\"{city: Paris\"") + "]}", 400, "messages[1].tool_calls[0].function.arguments: not a JSON object"));
    cases.add(openai("tool call arguments that are an object, not a string", "{\"model\":\"effort\",\"messages\":[" + user + ","
        + called.replace("\"{}\"", "{}") + "]}", 400, "arguments: field required, a string of JSON"));
    cases.add(openai("a tool call without an id", "{\"model\":\"effort\",\"messages\":[" + user + ","
        + called.replace("\"id\":\"call_1\",", "") + "]}", 400, "tool_calls[0].id: field required"));
    cases.add(openai("an image data URL that is not an image", "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:application/pdf;base64,JVBERi0=\"}}]}]}", 400,
        "a data URL of type 'application/pdf' is not an image"));
    cases.add(openai("an image data URL that is not base64", "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png,rawbytes\"}}]}]}", 400,
        "the image data URL is not base64"));
    cases.add(openai("an image URL that is not a URL", "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"cat.png\"}}]}]}", 400, "'cat.png' is not an image URL"));
    cases.add(openai("an image part without image_url", "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\"}]}]}", 400, "image_url.url: field required"));
    cases.add(openai("stop is a number", "{\"model\":\"effort\",\"stop\":3," + Q + "}", 400, "stop: expected a string or an array"));
    // end of OpenAI Chat tool traffic
    cases.add(anthropic("missing max_tokens", "{\"model\":\"effort\"," + Q + "}", 400, "max_tokens: field required"));
    cases.add(anthropic("max_tokens is zero", "{\"model\":\"effort\",\"max_tokens\":0," + Q + "}", 400, "positive integer"));
    cases.add(anthropic("only a system message", "{\"model\":\"effort\",\"max_tokens\":9,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
        400, "role 'user'"));
    cases.add(anthropic("an unknown role", "{\"model\":\"effort\",\"max_tokens\":9,\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
        400, "'user' or 'assistant'"));
    cases.add(anthropic("system is a number", "{\"model\":\"effort\",\"max_tokens\":9,\"system\":4," + Q + "}", 400, "system"));
    // Anthropic Messages tool traffic (issue 9): tools, tool results, images, tool choice.
    String inputSchema = "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
    java.util.function.Function<String, String> a = fields -> "{\"model\":\"effort\",\"max_tokens\":9," + fields + "}";
    cases.add(anthropic("a tool without a name", a.apply("\"tools\":[{\"description\":\"x\"," + inputSchema + "}]," + Q), 400,
        "tools.0.name: field required"));
    cases.add(anthropic("a tool with an empty name", a.apply("\"tools\":[{\"name\":\"\"," + inputSchema + "}]," + Q), 400,
        "tools.0.name: expected a non-empty string"));
    cases.add(anthropic("input_schema is a string", a.apply("\"tools\":[{\"name\":\"w\",\"input_schema\":\"city\"}]," + Q), 400,
        "tools.0.input_schema: expected a JSON Schema object"));
    cases.add(anthropic("input_schema of type array", a.apply("\"tools\":[{\"name\":\"w\",\"input_schema\":{\"type\":\"array\"}}]," + Q),
        400, "\"type\": \"object\""));
    cases.add(anthropic("a tool without input_schema", a.apply("\"tools\":[{\"name\":\"w\"}]," + Q), 400,
        "tools.0.input_schema: field required"));
    cases.add(anthropic("two tools of one name", a.apply("\"tools\":[{\"name\":\"w\"," + inputSchema + "},{\"name\":\"w\"," + inputSchema
        + "}]," + Q), 400, "tool names must be unique"));
    cases.add(anthropic("tools is an object", a.apply("\"tools\":{\"name\":\"w\"}," + Q), 400, "tools: expected an array"));
    cases.add(anthropic("a tool_result for an unknown id", a.apply("\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"w\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"sunny\"}]}]"), 400,
        "tool_use_id 'toolu_2', which no earlier tool_use block"));
    cases.add(anthropic("a tool_result before its tool_use", a.apply("\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"sunny\"}]}]"), 400, "which no earlier tool_use"));
    cases.add(anthropic("a tool_use without input", a.apply("\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"w\"}]},"
        + "{\"role\":\"user\",\"content\":\"go on\"}]"), 400, "messages.1.content.0.input: expected the tool's arguments"));
    cases.add(anthropic("a tool_use in a user message", a.apply("\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"w\",\"input\":{}}]}]"), 400, "belongs in an assistant message"));
    cases.add(anthropic("is_error is a string", a.apply("\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"w\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"is_error\":\"yes\"}]}]"), 400,
        "is_error: expected true or false"));
    cases.add(anthropic("an image that is a PDF", a.apply("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
        + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0xLjQ=\"}}]}]"), 400,
        "'application/pdf' is not an image type"));
    cases.add(anthropic("image data that is not base64", a.apply("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
        + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"data:image/png;base64,iVBOR\"}}]}]"), 400,
        "source.data: expected the image as base64"));
    cases.add(anthropic("an image without a source", a.apply("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]"),
        400, "an image block needs a source"));
    cases.add(anthropic("a block without a type", a.apply("\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]"), 400,
        "messages.0.content.0.type: field required"));
    cases.add(anthropic("tool_choice of an unknown type", a.apply("\"tool_choice\":{\"type\":\"required\"}," + Q), 400,
        "tool_choice.type: expected auto, any, tool or none"));
    cases.add(anthropic("tool_choice naming a tool not offered", a.apply("\"tools\":[{\"name\":\"w\"," + inputSchema + "}],"
        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"search\"}," + Q), 400, "no tool named 'search'"));
    cases.add(anthropic("an OpenAI function tool", a.apply("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}]," + Q),
        400, "'function' tools are the OpenAI format"));
    cases.add(anthropic("stop_sequences is a string", a.apply("\"stop_sequences\":\"###\"," + Q), 400,
        "stop_sequences: expected an array of strings"));
    // The OpenAI Responses API (POST /v1/responses): errors in OpenAI's format.
    String weatherCall = "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{}\"}";
    String weatherAsk = "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}";
    cases.add(responses("missing input", "{\"model\":\"effort\"}", 400, "input: field required"));
    cases.add(responses("input is a number", "{\"model\":\"effort\",\"input\":4}", 400, "input: expected a string or an array"));
    cases.add(responses("empty input", "{\"model\":\"effort\",\"input\":[]}", 400, "at least one item"));
    cases.add(responses("an item without a type or role", "{\"model\":\"effort\",\"input\":[{\"content\":\"x\"}]}", 400,
        "input[0].type: field required"));
    cases.add(responses("an unknown role", "{\"model\":\"effort\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}", 400,
        "input[0].role"));
    cases.add(responses("a function tool without a name", "{\"model\":\"effort\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\","
        + "\"parameters\":{\"type\":\"object\"}}]}", 400, "tools[0].name: field required"));
    cases.add(responses("a tool schema that is not an object", "{\"model\":\"effort\",\"input\":\"hi\",\"tools\":[{\"type\":"
        + "\"function\",\"name\":\"f\",\"parameters\":\"string\"}]}", 400, "tools[0].parameters: expected a JSON Schema object of type object"));
    cases.add(responses("a tool schema of type string", "{\"model\":\"effort\",\"input\":\"hi\",\"tools\":[{\"type\":"
        + "\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"string\"}}]}", 400, "of type object"));
    cases.add(responses("an input_image that is no URL", "{\"model\":\"effort\",\"input\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"input_image\",\"image_url\":\"cat.png\"}]}]}", 400, "is not an image URL"));
    cases.add(responses("a namespace without tools", "{\"model\":\"effort\",\"input\":\"hi\",\"tools\":[{\"type\":\"namespace\","
        + "\"name\":\"fs\"}]}", 400, "tools[0].tools"));
    cases.add(responses("two tools with one name", "{\"model\":\"effort\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\","
        + "\"name\":\"f\"},{\"type\":\"function\",\"name\":\"f\"}]}", 400, "unique"));
    cases.add(responses("a tool choice naming no offered tool", "{\"model\":\"effort\",\"input\":\"hi\",\"tools\":[{\"type\":"
        + "\"function\",\"name\":\"f\"}],\"tool_choice\":{\"type\":\"function\",\"name\":\"g\"}}", 400, "'g', which is not in tools"));
    cases.add(responses("a tool choice that is no mode", "{\"model\":\"effort\",\"input\":\"hi\",\"tool_choice\":\"always\"}", 400,
        "tool_choice: 'always'"));
    cases.add(responses("a function_call_output for an unknown call id", "{\"model\":\"effort\",\"input\":[" + weatherAsk + ","
        + "{\"type\":\"function_call_output\",\"call_id\":\"call_9\",\"output\":\"18C\"}]}", 400,
        "no function_call item with call_id 'call_9'"));
    cases.add(responses("function call arguments that are not JSON", "{\"model\":\"effort\",\"input\":[" + weatherAsk + ","
        + weatherCall.replace("\"{}\"", "\"{city: Paris\"") + "]}", 400, "input[1].arguments: not valid JSON"));
    cases.add(responses("function call arguments that are a JSON array", "{\"model\":\"effort\",\"input\":[" + weatherAsk + ","
        + weatherCall.replace("\"{}\"", "\"[1]\"") + "]}", 400, "expected a JSON object as text"));
    cases.add(responses("a function call without a call_id", "{\"model\":\"effort\",\"input\":[" + weatherAsk + ","
        + weatherCall.replace("\"call_id\":\"call_1\",", "") + "]}", 400, "input[1].call_id: field required"));
    cases.add(responses("an input_image that is not an image", "{\"model\":\"effort\",\"input\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"input_image\",\"image_url\":\"data:text/plain;base64,aGVsbG8=\"}]}]}", 400, "not an image"));
    cases.add(responses("an input_image whose data is not base64", "{\"model\":\"effort\",\"input\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,%%%\"}]}]}", 400, "is not base64"));
    cases.add(responses("an input_image by file_id", "{\"model\":\"effort\",\"input\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"input_image\",\"file_id\":\"file-1\"}]}]}", 400, "send the image inline"));
    cases.add(responses("previous_response_id", "{\"model\":\"effort\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}", 400,
        "keeps no conversation state"));
    cases.add(responses("an item_reference", "{\"model\":\"effort\",\"input\":[" + weatherAsk + ",{\"type\":\"item_reference\","
        + "\"id\":\"msg_1\"}]}", 400, "keeps no state"));
    cases.add(responses("max_output_tokens is zero", "{\"model\":\"effort\",\"input\":\"hi\",\"max_output_tokens\":0}", 400,
        "max_output_tokens: expected a positive integer"));
    cases.add(responses("unknown reasoning.effort", "{\"model\":\"effort\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"huge\"}}",
        400, "reasoning.effort: unknown effort 'huge'"));
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
    String path = switch (c.api()) {
      case "anthropic" -> "/v1/messages";
      case "responses" -> "/v1/responses";
      default -> "/v1/chat/completions";
    };
    HttpResponse<String> r = gateway.post(path, c.body(), headers.toArray(String[]::new));

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
