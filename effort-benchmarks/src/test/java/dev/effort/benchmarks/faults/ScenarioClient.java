package dev.effort.benchmarks.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A plain {@link HttpClient} speaking OpenAI Chat Completions or Anthropic Messages to the gateway,
 * whole or streamed, and what came back, read the way each format's clients read it.
 */
final class ScenarioClient {
  private ScenarioClient() {}

  /** The client's wire format. */
  enum Api {
    OPENAI("/v1/chat/completions"),
    ANTHROPIC("/v1/messages");

    final String path;

    Api(String path) {
      this.path = path;
    }

    /** A valid request of this format: the dial's model, a small output cap. */
    String body(String prompt, boolean stream) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("model", "effort");
      o.put("max_tokens", 64);
      o.putArray("messages").addObject().put("role", "user").put("content", prompt);
      if (stream) {
        o.put("stream", true);
        if (this == OPENAI) {
          o.putObject("stream_options").put("include_usage", true);
        }
      }
      return Json.string(o);
    }

    HttpRequest.Builder request(URI uri, String secret) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
      return this == OPENAI ? b.header("Authorization", "Bearer " + secret)
          : b.header("x-api-key", secret).header("anthropic-version", "2023-06-01");
    }
  }

  /** The four clients: each format, whole and streamed. */
  static Stream<Arguments> clients() {
    return Stream.of(Arguments.of(Api.OPENAI, false), Arguments.of(Api.OPENAI, true),
        Arguments.of(Api.ANTHROPIC, false), Arguments.of(Api.ANTHROPIC, true));
  }

  /** One server-sent event: its name (Anthropic) and data. */
  record Event(String name, String data) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(data);
      } catch (IOException e) {
        return Json.MAPPER.missingNode();
      }
    }
  }

  /**
   * A response as the client saw it.
   *
   * @param json the body of a whole answer or an error; missing for a stream
   * @param events a stream's events, in order; empty for a whole answer
   * @param millis from sending to the end of the body
   */
  record Reply(Api api, int status, HttpHeaders headers, String body, JsonNode json, List<Event> events, long millis) {

    boolean streamed() {
      return headers.firstValue("Content-Type").orElse("").startsWith("text/event-stream");
    }

    /** The answer's text: the whole message's, or every text delta of the stream. */
    String text() {
      if (!streamed()) {
        return api == Api.OPENAI ? json.path("choices").path(0).path("message").path("content").asText("")
            : json.path("content").path(0).path("text").asText("");
      }
      StringBuilder sb = new StringBuilder();
      for (Event e : events) {
        JsonNode n = e.json();
        sb.append(api == Api.OPENAI ? n.path("choices").path(0).path("delta").path("content").asText("")
            : n.path("delta").path("text").asText(""));
      }
      return sb.toString();
    }

    /** The {@code effort} object: in the body, or in the stream's usage chunk / message_delta. */
    JsonNode effort() {
      if (!streamed()) {
        return json.path("effort");
      }
      return events.stream().map(e -> e.json().path("effort")).filter(JsonNode::isObject).findFirst()
          .orElse(Json.MAPPER.missingNode());
    }

    /** The attempts the {@code effort} object lists. */
    List<JsonNode> attempts() {
      List<JsonNode> list = new ArrayList<>();
      effort().path("attempts").forEach(list::add);
      return list;
    }

    /** Whether the stream ended with the format's own end: {@code [DONE]}, {@code message_stop}. */
    boolean endedCleanly() {
      return !events.isEmpty() && (api == Api.OPENAI ? events.getLast().data().equals("[DONE]")
          : "message_stop".equals(events.getLast().name()));
    }

    /** The stream's error event (OpenAI: a chunk with an error object; Anthropic: {@code event: error}), or null. */
    JsonNode streamError() {
      for (Event e : events) {
        JsonNode n = e.json();
        if (api == Api.OPENAI ? n.path("error").isObject() : "error".equals(e.name())) {
          return n;
        }
      }
      return null;
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The body is an error in the client's own format, and says what went wrong. */
    void assertErrorInClientFormat() {
      assertThat(streamed()).as("an error before the answer began is no stream: %s", body).isFalse();
      assertThat(header("Content-Type")).startsWith("application/json");
      if (api == Api.OPENAI) {
        assertThat(json.path("error").path("message").asText()).as(body).isNotBlank();
        assertThat(json.path("error").path("type").asText()).as(body).isNotBlank();
      } else {
        assertThat(json.path("type").asText()).as(body).isEqualTo("error");
        assertThat(json.path("error").path("type").asText()).as(body).isNotBlank();
        assertThat(json.path("error").path("message").asText()).as(body).isNotBlank();
      }
    }

    @Override
    public String toString() {
      return status + " " + headers.map() + "\n" + body;
    }
  }

  /** Sends a chat request and reads the whole response (a stream to its end). */
  static Reply send(HttpClient http, URI uri, String secret, Api api, boolean stream, String prompt, String... headers) {
    HttpRequest.Builder b = api.request(uri, secret).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(api.body(prompt, stream)));
    if (headers.length > 0) {
      b.headers(headers);
    }
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("the gateway gave no complete response: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return read(api, response, (System.nanoTime() - start) / 1_000_000);
  }

  static Reply read(Api api, HttpResponse<String> response, long millis) {
    String body = response.body();
    boolean sse = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
    JsonNode json = Json.MAPPER.missingNode();
    List<Event> events = new ArrayList<>();
    if (sse) {
      events = events(body);
    } else {
      try {
        json = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + response.statusCode() + "): " + body, e);
      }
    }
    return new Reply(api, response.statusCode(), response.headers(), body, json, events, millis);
  }

  /** Server-sent events: blocks separated by a blank line, each with an optional event line and a data line. */
  static List<Event> events(String body) {
    List<Event> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
      if (name != null || !data.isEmpty()) {
        events.add(new Event(name, data.toString()));
      }
    }
    return events;
  }
}
