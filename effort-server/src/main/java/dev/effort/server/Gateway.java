package dev.effort.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.core.ProviderException;
import dev.effort.core.Router;
import dev.effort.providers.TokenCounter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP gateway: OpenAI Chat Completions and Anthropic Messages in, the same formats out,
 * every request through the one {@link Planner} and {@link Executor}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
  private static final ObjectReader JSON = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final GatewayConfig config;
  private final Fleet fleet;
  private final Planner planner;
  private final Executor executor;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final WireFormat openAi = new OpenAiChat();
  private final WireFormat anthropic = new AnthropicMessages();
  private final WebServer server;

  private Gateway(GatewayConfig config, Fleet fleet, Optional<Router> router, int port) {
    this.config = config;
    this.fleet = fleet;
    this.planner = new Planner(fleet.ladder(), fleet.catalog(), config.defaultEffort(), router, config.target());
    this.executor = new Executor(fleet::provider);
    this.server = WebServer.builder()
        .port(port)
        // Without TCP_NODELAY every SSE event waits for Nagle's algorithm (~40 ms).
        .connectionOptions(socket -> socket.tcpNoDelay(true))
        .routing(this::routes)
        .build()
        .start();
  }

  /** Starts the gateway on {@code port} (0: any free port). */
  public static Gateway start(GatewayConfig config, Fleet fleet, Optional<Router> router, int port) {
    return new Gateway(config, fleet, router, port);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }

  private void routes(HttpRouting.Builder routing) {
    routing
        .post("/v1/chat/completions", (req, res) -> chat(openAi, req, res))
        .post("/v1/messages", (req, res) -> chat(anthropic, req, res))
        .get("/v1/models", this::models)
        .get("/v1/models/*", this::model)
        .post("/v1/messages/count_tokens", this::countTokens)
        .get("/healthz", (req, res) -> json(res, 200, Map.of("status", "ok", "fleet", fleet.description())))
        .get("/metrics", (req, res) -> {
          res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          res.send(metrics.scrape());
        })
        .any((req, res) -> {
          WireFormat format = formatOf(req);
          send(res, format, new WireError(WireError.Kind.NOT_FOUND, req.prologue().method().text() + " " + req.path().path()
              + " is not served here; endpoints: POST /v1/chat/completions, POST /v1/messages, GET /v1/models,"
              + " GET /healthz, GET /metrics"));
        });
  }

  /** Anthropic's SDKs send {@code anthropic-version}; everything else is answered the OpenAI way. */
  private WireFormat formatOf(ServerRequest req) {
    return req.headers().contains(HeaderNames.create("anthropic-version")) ? anthropic : openAi;
  }

  private void chat(WireFormat format, ServerRequest req, ServerResponse res) {
    long start = System.nanoTime();
    String asked = "-";
    String applied = "-";
    String model = "-";
    int status = 200;
    Answer answer = null;
    SseSink sink = null;
    WireFormat.Stream stream = null;
    try {
      ChatRequest chat = format.parse(body(req));
      ModelField field = ModelField.parse(chat.model(), fleet.catalog(), fleet.models());
      Optional<String> effortHeader = header(req, "Effort").or(() -> header(req, "X-Effort"));
      String headerName = header(req, "Effort").isPresent() ? "Effort" : "X-Effort";
      EffortResolution effort = EffortResolution.resolve(chat.messages(), effortHeader, headerName, chat.bodyEffort(),
          field.level(), Optional.empty(), config.defaultEffort());
      asked = effort.effort().wireName();
      Optional<Duration> deadline = header(req, "Effort-Deadline")
          .map(h -> RequestFields.duration(h, "header Effort-Deadline")).or(chat::deadline);
      Optional<Double> maxCost = header(req, "Effort-Max-Cost-Usd")
          .map(h -> RequestFields.cost(h, "header Effort-Max-Cost-Usd")).or(chat::maxCostUsd);
      Ask ask = new Ask(effort.messages(), effort.effort(), field.pinned(), deadline, maxCost, Optional.empty(),
          Map.of("api", format.name(), "effort_source", effort.source()), chat.maxTokens());
      PlannedAsk planned = planner.plan(ask);
      applied = planned.applied().wireName();
      List<String> models = planned.plan().models();
      model = models.get(models.size() - 1);
      String id = id(format);
      EffortTrace.planHeaders(res, planned);
      if (chat.stream()) {
        sink = new SseSink(res);
        stream = format.stream(sink, id, model, inputTokens(effort.messages()));
        answer = executor.execute(planned, stream);
        stream.finish(answer, EffortTrace.json(answer, effort.source()));
        sink.close();
      } else {
        answer = executor.execute(planned);
        EffortTrace.answerHeaders(res, planned, answer);
        json(res, 200, format.response(answer, id, EffortTrace.json(answer, effort.source())));
      }
      model = answer.model();
    } catch (WireError e) {
      status = fail(format, res, sink, stream, e);
    } catch (ProviderException e) {
      status = fail(format, res, sink, stream, switch (e.kind()) {
        case NOT_FOUND -> new WireError(WireError.Kind.NOT_FOUND, e.getMessage());
        case INVALID -> new WireError(WireError.Kind.INVALID_REQUEST, e.getMessage());
        case UNAVAILABLE -> new WireError(WireError.Kind.UPSTREAM, e.getMessage());
      });
    } catch (UncheckedIOException e) {
      status = 499; // the client went away mid-stream; nothing left to send
      LOG.fine(() -> "client went away: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "unexpected error answering " + req.path().path(), e);
      status = fail(format, res, sink, stream, new WireError(WireError.Kind.INTERNAL,
          "the gateway failed to answer (" + e.getClass().getSimpleName() + "); see its log"));
    } finally {
      metrics.record(format.name(), asked, applied, model, status, Duration.ofNanos(System.nanoTime() - start), answer);
    }
  }

  private int fail(WireFormat format, ServerResponse res, SseSink sink, WireFormat.Stream stream, WireError e) {
    if (sink != null && sink.started()) {
      stream.fail(e);
      sink.close();
    } else {
      send(res, format, e);
    }
    return e.status();
  }

  private static void send(ServerResponse res, WireFormat format, WireError e) {
    res.status(e.status());
    res.header("Content-Type", "application/json");
    res.send(format.error(e));
  }

  private JsonNode body(ServerRequest req) {
    long limit = config.maxBodyBytes();
    Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
    if (declared.isPresent() && declared.get() > limit) {
      throw tooLarge(declared.get());
    }
    byte[] bytes;
    try (InputStream in = req.content().inputStream()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, limit + 1));
      if (bytes.length > limit) {
        in.skip(Long.MAX_VALUE); // drain, so that the connection can be reused
        throw tooLarge(-1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length == 0) {
      throw WireError.invalid("the request body is empty; send a JSON object", null);
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw WireError.invalid("the request body is not valid JSON" + where + ": " + withoutSource(e.getOriginalMessage()), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jackson's message without its "(for Array starting at [Source: ...])" tail. */
  private static String withoutSource(String message) {
    String first = message.lines().findFirst().orElse("");
    int source = first.indexOf(" (for ");
    if (source < 0) {
      source = first.indexOf(" at [Source");
    }
    return source < 0 ? first : first.substring(0, source);
  }

  private WireError tooLarge(long size) {
    return new WireError(WireError.Kind.TOO_LARGE, "the request body " + (size > 0 ? "of " + size + " bytes " : "")
        + "exceeds the limit of " + config.maxBodyBytes() + " bytes (max_body_bytes in the gateway config)");
  }

  private static Optional<String> header(ServerRequest req, String name) {
    return req.headers().first(HeaderNames.create(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static long inputTokens(List<Message> messages) {
    long n = 0;
    for (Message m : messages) {
      n += TokenCounter.count(m.content()) + 4;
    }
    return n;
  }

  private static String id(WireFormat format) {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return (format.name().equals("anthropic") ? "msg_" : "chatcmpl-") + HexFormat.of().formatHex(random);
  }

  private void models(ServerRequest req, ServerResponse res) {
    List<String> names = ModelField.acceptedNames(fleet.models());
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode data = o.putArray("data");
    if (formatOf(req) == anthropic) {
      for (String name : names) {
        ObjectNode m = data.addObject();
        m.put("type", "model");
        m.put("id", name);
        m.put("display_name", name);
        m.put("created_at", "2026-01-01T00:00:00Z");
        m.put("lifecycle", "active");
      }
      o.put("has_more", false);
      o.put("first_id", names.get(0));
      o.put("last_id", names.get(names.size() - 1));
    } else {
      o.put("object", "list");
      for (String name : names) {
        ObjectNode m = data.addObject();
        m.put("id", name);
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", name.startsWith(ModelField.DIAL) ? "effort" : fleet.catalog().model(name).provider());
      }
    }
    json(res, 200, o);
  }

  /** One model of the list, by id (model ids may hold a slash: the rest of the path is the id). */
  private void model(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String id = java.net.URLDecoder.decode(path.substring("/v1/models/".length()), java.nio.charset.StandardCharsets.UTF_8);
    WireFormat format = formatOf(req);
    if (!ModelField.acceptedNames(fleet.models()).contains(id)) {
      send(res, format, new WireError(WireError.Kind.NOT_FOUND, "model '" + id + "' is not served here; accepted: "
          + String.join(", ", ModelField.acceptedNames(fleet.models())), "model"));
      return;
    }
    ObjectNode m = Json.MAPPER.createObjectNode();
    if (format == anthropic) {
      m.put("type", "model");
      m.put("id", id);
      m.put("display_name", id);
      m.put("created_at", "2026-01-01T00:00:00Z");
      m.put("lifecycle", "active");
    } else {
      m.put("id", id);
      m.put("object", "model");
      m.put("created", 0);
      m.put("owned_by", id.startsWith(ModelField.DIAL) ? "effort" : fleet.catalog().model(id).provider());
    }
    json(res, 200, m);
  }

  /** Anthropic's token counting: the messages' tokens as this gateway counts them (cl100k). */
  private void countTokens(ServerRequest req, ServerResponse res) {
    try {
      JsonNode body = body(req);
      if (body.isObject() && !body.has("max_tokens")) {
        ((ObjectNode) body).put("max_tokens", 1);
      }
      ChatRequest chat = anthropic.parse(body);
      json(res, 200, Map.of("input_tokens", inputTokens(chat.messages())));
    } catch (WireError e) {
      send(res, anthropic, e);
    }
  }

  private static void json(ServerResponse res, int status, Object body) {
    res.status(status);
    res.header("Content-Type", "application/json");
    res.send(Json.bytes(body));
  }

  /** The levels' wire names, for messages. */
  static String levels() {
    return String.join(", ", Effort.LEVELS.stream().map(Effort::wireName).toList());
  }
}
