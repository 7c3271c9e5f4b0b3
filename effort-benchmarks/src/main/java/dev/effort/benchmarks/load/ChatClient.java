package dev.effort.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one chat completion (whole or streamed) and times it from a given start, so that the
 * open-loop generator can pass the request's SCHEDULED start and queueing is not hidden.
 */
final class ChatClient implements AutoCloseable {
  /** One request's outcome: {@code error} is null on success; times are nanoseconds from the start. */
  record Outcome(String error, long latencyNanos, long ttftNanos) {
    static Outcome failed(String error) {
      return new Outcome(error, -1, -1);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * HTTP/1.1 with keep-alive: the client pools its connections, opening one more whenever all are
   * busy, so the pool grows to the peak number of requests in flight and is reused after that. Its
   * internal steps run on its selector thread (direct executor) instead of hopping to a thread pool:
   * on two cores that measured about 0.1 ms lower at p50 and less CPU per request (the generator
   * shares the cores with what it measures); nothing of ours runs there, the senders are virtual
   * threads blocked in send().
   */
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .executor(Runnable::run)
      .build();

  private final HttpRequest request;
  private final boolean stream;

  /** Sends {@code body} to {@code target}, with its API key when it has one. */
  ChatClient(Target target, String body, boolean stream) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target.chat())
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    target.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
    this.request = builder.build();
    this.stream = stream;
  }

  /** Ends the pooled connections, so that each scenario starts from none and leaves none behind. */
  @Override
  public void close() {
    http.close();
  }

  /** The request body of the load: one short user message, streamed or not. */
  static String body(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Say hello in one short sentence.\"}],\"max_tokens\":64"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  /** A streamed request offering one function tool, which the fake upstream answers with a call. */
  static String toolBody(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"What is the weather in Paris?\"}],\"max_tokens\":64,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"get_weather\",\"description\":\"Current weather of a city\",\"parameters\":"
        + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]}";
  }

  /** Blocks until the last byte; meant for virtual threads. Never throws: failures are outcomes. */
  Outcome send(long startNanos) {
    try {
      return stream ? sendStreaming(startNanos) : sendWhole(startNanos);
    } catch (IOException e) {
      return Outcome.failed(kind(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failed("interrupted");
    } catch (RuntimeException e) {
      return Outcome.failed(kind(e));
    }
  }

  /** The status and the error's message (OpenAI's error.message), so that a report says why. */
  private static String httpError(int status, String body) {
    int at = body.indexOf("\"message\"");
    String message = at < 0 ? body : body.substring(at + "\"message\"".length());
    return clip("HTTP " + status + (message.isBlank() ? "" : " " + message.strip()));
  }

  /** The exception's class and message. */
  private static String kind(Exception e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    return clip(e.getClass().getSimpleName() + message);
  }

  /** Digits masked (ports, ids) so that one kind of failure is counted once; long messages cut. */
  private static String clip(String kind) {
    String masked = kind.replaceAll("[0-9]+", "N");
    return masked.length() > 160 ? masked.substring(0, 160) + "..." : masked;
  }

  private Outcome sendWhole(long startNanos) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long latency = System.nanoTime() - startNanos;
    if (response.statusCode() != 200) {
      return Outcome.failed(httpError(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8)));
    }
    // A cheap check that this is a chat completion and not some other 200.
    if (!new String(response.body(), StandardCharsets.ISO_8859_1).contains("\"choices\"")) {
      return Outcome.failed("200 without choices");
    }
    return new Outcome(null, latency, latency);
  }

  private Outcome sendStreaming(long startNanos) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        StringWriter body = new StringWriter();
        lines.transferTo(body); // read to the end, so that the connection is reused
        return Outcome.failed(httpError(response.statusCode(), body.toString()));
      }
      long ttft = -1;
      long done = -1;
      String error = null;
      String line;
      // Read to the end even after [DONE]: a body closed early costs the pooled connection.
      while ((line = lines.readLine()) != null) {
        if (!line.startsWith("data:") || done >= 0) {
          continue;
        }
        if (ttft < 0) {
          ttft = System.nanoTime() - startNanos;
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          done = System.nanoTime() - startNanos;
        } else if (data.startsWith("{\"error\"") && error == null) {
          error = "error event in stream";
        }
      }
      if (error != null) {
        return Outcome.failed(error);
      }
      if (done >= 0) {
        return new Outcome(null, done, ttft);
      }
      return Outcome.failed("stream ended without [DONE]");
    }
  }
}
