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
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.core.Router;
import dev.effort.core.resilience.Deployments;
import dev.effort.server.store.ApiKey;
import dev.effort.server.traces.RequestedModel;
import dev.effort.server.traces.Tracing;
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
 * The HTTP gateway: OpenAI Chat Completions, Anthropic Messages and the OpenAI Responses API in,
 * the same formats out, every request through the one {@link Planner} and {@link Executor}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
  private static final ObjectReader JSON = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final GatewayConfig config;
  private final Fleet fleet;
  private final Planner planner;
  private final Executor executor;
  private final Deployments deployments;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final WireFormat openAi = new OpenAiChat();
  private final WireFormat anthropic = new AnthropicMessages();
  private final WireFormat responses = new OpenAiResponses();
  private final WebServer server;
  private final Optional<Governance> governance;
  private final ClientConnections connections;
  /** Auto's cost against max's forecast, per minute: what the dashboard's saving is made of. */
  private final MinuteTotals autoSavings = new MinuteTotals(java.time.Clock.systemUTC());
  private final Optional<AdminStats> adminStats;
  private final Tracing tracing;

  private Gateway(GatewayConfig config, Fleet fleet, Optional<Router> router, Optional<Governance> governance, int port,
      Tracing tracing) {
    this.config = config;
    this.fleet = fleet;
    this.governance = governance;
    this.tracing = tracing;
    governance.ifPresent(g -> metrics.bind(g));
    this.planner = fleet.planner(config.defaultEffort(), router, config.target());
    this.executor = chain();
    this.deployments = executor.deployments();
    metrics.bind(deployments);
    this.adminStats = governance.map(g -> new AdminStats(g, deployments, autoSavings, config.benchJson(),
        java.time.Clock.systemUTC()));
    this.connections = new ClientConnections(config.listener().headerTimeout(), config.listener().idleTimeout(),
        config.listener().maxConnectionsPerClient());
    this.server = listen(WebServer.builder()
        .host(config.listener().host())
        .port(port)
        // TCP_NODELAY, the header timeout and the per-client connection cap (ClientConnections).
        .connectionOptions(connections)
        .idleConnectionTimeout(config.listener().idleTimeout())
        .idleConnectionPeriod(config.listener().idleTimeout().dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0
            ? Duration.ofSeconds(1) : config.listener().idleTimeout().dividedBy(4))
        .maxTcpConnections(maxConnections())
        // Requests Helidon refuses before routing (a path that does not decode, bad framing) get
        // the same JSON error body as every other refusal.
        .directHandlers(d -> {
          for (io.helidon.http.DirectHandler.EventType type : io.helidon.http.DirectHandler.EventType.values()) {
            d.addHandler(type, this::directError);
          }
        })
        .routing(this::routes)
        .build(), config.listener().host(), port, connections);
  }

  /** A port that cannot be bound (taken, or not allowed): the gateway must not run on without it. */
  public static final class CannotListenException extends RuntimeException {
    CannotListenException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static WebServer listen(WebServer server, String host, int port, ClientConnections connections) {
    RuntimeException failure = null;
    try {
      server.start();
    } catch (RuntimeException e) {
      failure = e;
    }
    // Helidon logs a failed bind and carries on with port -1; that is no gateway.
    if (failure != null || !server.isRunning() || server.port() <= 0) {
      try {
        server.stop();
      } catch (RuntimeException ignored) {
        // it never started
      }
      connections.close();
      throw new CannotListenException("cannot listen on " + host + ":" + port + ": the port is already in use, or not"
          + " allowed; stop what holds it, or choose another with --port or port: in the config", failure);
    }
    return server;
  }

  /**
   * Client connections the listener accepts at once. Each may hold an upstream connection too, so
   * half the process's file descriptors, less a reserve: run out, and the listener would stop
   * accepting for good.
   */
  static int maxConnections() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long fds = unix.getMaxFileDescriptorCount();
      return (int) Math.max(64, Math.min(Integer.MAX_VALUE, (fds - 256) / 2));
    }
    return 10_000;
  }

  /** A refusal Helidon makes itself, in the client's format as far as its headers tell. */
  private io.helidon.http.DirectHandler.TransportResponse directError(io.helidon.http.DirectHandler.TransportRequest req,
      io.helidon.http.DirectHandler.EventType type, io.helidon.http.Status status,
      io.helidon.http.ServerResponseHeaders headers, String message) {
    WireFormat format = req.headers().contains(HeaderNames.create("anthropic-version")) ? anthropic : openAi;
    WireError.Kind kind = switch (status.code()) {
      case 404 -> WireError.Kind.NOT_FOUND;
      case 413 -> WireError.Kind.TOO_LARGE;
      case 503 -> WireError.Kind.UNAVAILABLE;
      default -> status.code() >= 500 ? WireError.Kind.INTERNAL : WireError.Kind.INVALID_REQUEST;
    };
    String text = message == null || message.isBlank() || message.startsWith("Bad request, see server log")
        ? "the request is not valid HTTP/1.1 (" + status.reasonPhrase() + ")" : RequestFields.clip(message);
    headers.set(HeaderNames.CONTENT_TYPE, "application/json");
    headers.set(HeaderNames.create(RequestIds.HEADER), RequestIds.next());
    return io.helidon.http.DirectHandler.TransportResponse.builder()
        .status(status)
        .headers(headers)
        .keepAlive(false)
        .entity(format.error(new WireError(kind, text)))
        .build();
  }

  /** Starts the gateway on {@code port} (0: any free port), traced as the {@code OTEL_*} environment asks. */
  public static Gateway start(GatewayConfig config, Fleet fleet, Optional<Router> router, int port) {
    return start(config, fleet, router, Optional.empty(), port, Tracing.fromEnvironment());
  }

  /**
   * Starts the gateway with keys, limits and the ledger; closing the gateway closes them. Traced as
   * the {@code OTEL_*} environment asks.
   */
  public static Gateway start(GatewayConfig config, Fleet fleet, Optional<Router> router, Governance governance, int port) {
    return start(config, fleet, router, Optional.of(governance), port, Tracing.fromEnvironment());
  }

  /** Starts the gateway with governance if given, and {@code tracing}; closing the gateway closes them. */
  public static Gateway start(GatewayConfig config, Fleet fleet, Optional<Router> router,
      Optional<Governance> governance, int port, Tracing tracing) {
    try {
      return new Gateway(config, fleet, router, governance, port, tracing);
    } catch (RuntimeException e) {
      tracing.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  /** Whether this gateway's traces are on, and where they go. */
  public String traces() {
    return tracing.describe();
  }

  @Override
  public void close() {
    server.stop();
    connections.close();
    governance.ifPresent(Governance::close);
    tracing.close();
  }

  private void routes(HttpRouting.Builder routing) {
    routing.addFilter(RequestIds::filter);
    routing.addFilter((chain, req, res) -> {
      // Busy while routed: the connection watchdog never closes a connection mid-request.
      connections.requestStarted(req.remotePeer().address());
      try {
        chain.proceed();
      } finally {
        connections.requestEnded(req.remotePeer().address());
      }
    });
    routing.addFilter(Gateway::closeAfterUnreadBody);
    routing.addFilter(this::requireKey);
    routing
        .post("/v1/chat/completions", (req, res) -> chat(openAi, req, res))
        .post("/v1/messages", (req, res) -> chat(anthropic, req, res))
        .post("/v1/responses", (req, res) -> chat(responses, req, res))
        .get("/v1/models", this::models)
        .get("/v1/models/*", this::model)
        .post("/v1/messages/count_tokens", this::countTokens)
        .get("/healthz", this::health)
        .get("/metrics", (req, res) -> {
          res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          res.send(metrics.scrape());
        })
        .get("/admin/keys", (req, res) -> admin(req, res, () -> adminKeys()))
        .post("/admin/keys", (req, res) -> admin(req, res, () -> createKey(req)))
        .delete("/admin/keys/*", (req, res) -> admin(req, res, () -> revokeKey(req)))
        .get("/admin/usage", (req, res) -> admin(req, res, () -> usage(req)))
        .get("/admin/stats", (req, res) -> admin(req, res,
            () -> adminStats.get().stats(StatsWindow.parse(req.query().first("window").orElse("1h")))))
        .get("/admin/ledger", (req, res) -> admin(req, res, () -> ledgerRows(req)))
        .get("/ui", this::dashboard)
        .any((req, res) -> {
          WireFormat format = formatOf(req);
          String method = req.prologue().method().text();
          String path = req.path().path();
          String allowed = allowedMethods(path);
          if (!allowed.isEmpty()) {
            res.header("Allow", allowed);
            send(res, format, new WireError(WireError.Kind.METHOD_NOT_ALLOWED, method + " " + path
                + " is not served; this endpoint takes " + allowed.replace(",", " or")));
            return;
          }
          send(res, format, new WireError(WireError.Kind.NOT_FOUND, method + " " + path
              + " is not served here; endpoints: POST /v1/chat/completions, POST /v1/messages, POST /v1/responses,"
              + " GET /v1/models, GET /healthz, GET /metrics"));
        });
  }

  /** The methods the routes serve at {@code path} ({@code Allow} of a 405), or empty for a path not served at all. */
  static String allowedMethods(String path) {
    return switch (path) {
      case "/v1/chat/completions", "/v1/messages", "/v1/responses", "/v1/messages/count_tokens" -> "POST";
      case "/v1/models", "/healthz", "/metrics", "/admin/usage" -> "GET";
      case "/admin/keys" -> "GET, POST";
      default -> path.startsWith("/v1/models/") ? "GET" : path.startsWith("/admin/keys/") ? "DELETE" : "";
    };
  }

  /**
   * Ends the connection after a response that says {@code Connection: close} (a body that could not
   * be read to its end): Helidon would otherwise parse what is left of the body as a next request
   * and answer it too.
   */
  private static void closeAfterUnreadBody(io.helidon.webserver.http.FilterChain chain,
      io.helidon.webserver.http.RoutingRequest req, io.helidon.webserver.http.RoutingResponse res) {
    chain.proceed();
    if (res.isSent() && res.headers().contains(io.helidon.http.HeaderValues.CONNECTION_CLOSE)) {
      throw new io.helidon.webserver.CloseConnectionException("the request body could not be read to its end");
    }
  }

  /**
   * Once keys exist, every endpoint but {@code /healthz} needs one: the model list, token counting
   * and metrics (unless {@code metrics_public}) as much as chat, which authenticates itself, and the
   * admin API, which has its own key.
   */
  private void requireKey(io.helidon.webserver.http.FilterChain chain, io.helidon.webserver.http.RoutingRequest req,
      io.helidon.webserver.http.RoutingResponse res) {
    String path = req.path().path();
    // The dashboard page is only a login form until the admin key is typed in; its data is the admin API's.
    boolean open = governance.isEmpty() || path.equals("/healthz") || path.startsWith("/admin/") || path.equals("/ui")
        || path.equals("/v1/chat/completions") || path.equals("/v1/messages")
        || (path.equals("/metrics") && config.governance().metricsPublic());
    if (!open) {
      try {
        governance.get().authenticate(secret(req));
      } catch (WireError e) {
        send(res, formatOf(req), e);
        return;
      }
    }
    chain.proceed();
  }

  /** Up or not; which providers serve, only to a caller with a key (an anonymous probe learns nothing more). */
  private void health(ServerRequest req, ServerResponse res) {
    // Without governance (a library or test gateway) there are no keys and no callers to tell apart.
    boolean known = governance.isEmpty() || governance.get().knows(secret(req));
    boolean degraded = fleet.models().stream().anyMatch(m -> !deployments.available(m));
    String status = degraded ? "degraded" : "ok";
    if (!known) {
      json(res, 200, Map.of("status", status));
      return;
    }
    ArrayNode upstreams = Json.MAPPER.createArrayNode();
    for (Deployments.Health h : deployments.health()) {
      ObjectNode u = upstreams.addObject();
      u.put("model", h.model());
      u.put("deployment", h.deployment());
      u.put("circuit", h.state().wireName());
      u.put("times_opened", h.timesOpened());
      u.put("calls", h.calls());
      u.put("failures", h.failures());
      u.put("latency_ms", h.latency().toMillis());
    }
    json(res, 200, Map.of("status", status, "fleet", fleet.description(), "upstreams", upstreams));
  }

  /** Anthropic's SDKs send {@code anthropic-version}; everything else is answered the OpenAI way. */
  private WireFormat formatOf(ServerRequest req) {
    return req.headers().contains(ANTHROPIC_VERSION) ? anthropic : openAi;
  }

  private static final io.helidon.http.HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");

  /**
   * The chain every chat request runs through, assembled once: authenticate → read the ask →
   * tempo guard → rate limit → plan → budget → open the answer → ledger → settle → fallback along
   * the dial → the plan's strategy, each of whose provider calls goes through deployment choice and
   * circuit breaker → retry / failover → hedge → circuit accounting → the provider. Without
   * governance (a library or test gateway): read the ask → plan → open the answer → the rest alike.
   * With traces on, a span around each request comes first, and one around each upstream attempt
   * last.
   */
  private Executor chain() {
    List<Executor.ExchangeLink> exchangeLinks = new java.util.ArrayList<>(
        tracing.requestLinks(model -> Tracing.providerName(fleet.provider(model))));
    if (governance.isEmpty()) {
      exchangeLinks.addAll(List.of(this::readAsk, Executor.planning(planner), this::openAnswer));
    } else {
      Governance g = governance.get();
      exchangeLinks.addAll(List.of(
          new AuthenticateLink(g),
          this::readAsk,
          new TempoGuardLink(g),
          new RateLimitLink(g),
          Executor.planning(planner),
          new BudgetLink(g, planner, fleet),
          this::openAnswer,
          new LedgerLink(g.store().ledger()),
          new SettleLink(),
          new AutoSavingsLink(planner, autoSavings)));
    }
    return Fleets.executor(fleet, planner, config.resilience(), exchangeLinks, metrics::retried,
        tracing.attemptLinks());
  }

  private void chat(WireFormat format, ServerRequest req, ServerResponse res) {
    Exchange exchange = new Exchange();
    Call call = exchange.put(Call.class, new Call(format, req, res));
    exchange.put(AuthenticateLink.Credentials.class, new AuthenticateLink.Credentials(secret(req)));
    tracing.continueTrace(exchange, name -> header(req, name).orElse(null));
    Answer answer = null;
    int status = 500;
    try {
      answer = executor.execute(exchange);
      if (call.stream != null) {
        call.stream.finish(answer, EffortTrace.json(answer, call.effortSource));
        call.sink.close();
      } else {
        EffortTrace.answerHeaders(res, exchange.planned().orElseThrow(), answer);
        json(res, 200, call.answering.response(answer, call.id, EffortTrace.json(answer, call.effortSource)));
      }
      status = 200;
    } catch (RuntimeException e) {
      status = fail(call, e);
    } finally {
      Optional<PlannedAsk> planned = exchange.planned();
      metrics.record(format.name(), call.asked == null ? "-" : call.asked.wireName(),
          planned.map(p -> p.applied().wireName()).orElse("-"), model(planned, answer), status, exchange.elapsed(), answer,
          exchange.attempts());
    }
  }

  /**
   * The wire request becomes the ask, after authentication (a caller without a valid key learns
   * nothing about its request): the key gives its default level and its id.
   */
  private Answer readAsk(Exchange exchange, Executor.ExchangeChain next) {
    Call call = exchange.get(Call.class).orElseThrow();
    ServerRequest req = call.req;
    Optional<ApiKey> key = exchange.get(ApiKey.class);
    JsonNode body = body(req);
    ChatRequest chat = call.format.parse(body);
    exchange.put(RequestedModel.class, new RequestedModel(chat.model()));
    call.answering = call.format.answering(body);
    call.streaming = chat.stream();
    ModelField field = ModelField.parse(chat.model(), fleet.catalog(), fleet.models());
    Optional<String> effortHeader = header(req, "Effort");
    String headerName = effortHeader.isPresent() ? "Effort" : "X-Effort";
    effortHeader = effortHeader.or(() -> header(req, "X-Effort"));
    EffortResolution effort = EffortResolution.resolve(chat.messages(), effortHeader, headerName, chat.bodyEffort(),
        field.level(), Governance.defaultEffort(key), config.defaultEffort());
    call.asked = effort.effort();
    call.effortSource = effort.source();
    Optional<Duration> deadline = header(req, "Effort-Deadline")
        .map(h -> RequestFields.duration(h, "header Effort-Deadline")).or(chat::deadline);
    Optional<Double> maxCost = header(req, "Effort-Max-Cost-Usd")
        .map(h -> RequestFields.cost(h, "header Effort-Max-Cost-Usd")).or(chat::maxCostUsd);
    Optional<Duration> ttftDeadline = header(req, "Effort-TTFT-Deadline")
        .map(h -> RequestFields.duration(h, "header Effort-TTFT-Deadline"))
        .or(() -> RequestFields.optionalDeadline(body, "ttft_deadline"))
        .or(() -> config.resilience().ttftDeadline());
    exchange.ask(new Ask(effort.messages(), effort.effort(), field.pinned(), deadline, maxCost,
        key.map(k -> Long.toString(k.id())), Map.of("api", call.format.name(), "effort_source", effort.source()),
        chat.maxTokens(), chat.tools(), chat.stopSequences(), passthrough(call.format, chat, req), ttftDeadline));
    return next.proceed(exchange);
  }

  /**
   * The plan is final: names what its upstreams will not be sent, sends the plan's headers (first,
   * on a stream too) and opens the stream, if the client asked for one, as where the answer goes.
   */
  private Answer openAnswer(Exchange exchange, Executor.ExchangeChain next) {
    Call call = exchange.get(Call.class).orElseThrow();
    PlannedAsk planned = withCrossFormatNotes(exchange.planned().orElseThrow(), call.res);
    exchange.plan(planned);
    call.id = id(call.format);
    EffortTrace.planHeaders(call.res, planned);
    if (call.streaming) {
      call.sink = new SseSink(call.res);
      List<String> models = planned.plan().models();
      call.stream = call.answering.stream(call.sink, call.id, models.get(models.size() - 1), PromptTokens.of(exchange));
      exchange.deltas(new FallbackHeaders(call.stream, call.sink, call.res, planned));
    }
    return next.proceed(exchange);
  }

  /** The model that answered, else the one planned last, for metrics. */
  private static String model(Optional<PlannedAsk> planned, Answer answer) {
    if (answer != null) {
      return answer.model();
    }
    return planned.map(p -> p.plan().models().get(p.plan().models().size() - 1)).orElse("-");
  }

  /** Beta headers a client sends for features of its own format's upstream. */
  private static final List<String> FORWARDED_HEADERS = List.of("anthropic-beta", "openai-beta");

  /** What the client sent and the gateway does not use, for an upstream of the client's own format. */
  private static dev.effort.core.Passthrough passthrough(WireFormat format, ChatRequest chat, ServerRequest req) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (String name : FORWARDED_HEADERS) {
      header(req, name).ifPresent(v -> headers.put(name, v));
    }
    String query = req.query().rawValue();
    return new dev.effort.core.Passthrough(format.upstreamFormat(), chat.unused(), headers, query == null ? "" : query);
  }

  /**
   * Names what the plan's upstreams will not be sent (hosted tools, blocks of another format) in
   * {@code Effort-Dropped-Tools} and the trace; a tool choice that forces a dropped tool is a 400.
   */
  private PlannedAsk withCrossFormatNotes(PlannedAsk planned, ServerResponse res) {
    Ask ask = planned.ask();
    java.util.Set<String> droppedTools = new java.util.LinkedHashSet<>();
    List<String> notes = new java.util.ArrayList<>(planned.notes());
    for (String model : new java.util.LinkedHashSet<>(planned.plan().models())) {
      String upstream = fleet.provider(model).wireFormat();
      List<String> tools = dev.effort.core.CrossFormat.droppedTools(ask, upstream);
      droppedTools.addAll(tools);
      if (!tools.isEmpty()) {
        notes.add("tools " + tools + " have no counterpart in the " + upstream + " format of " + model
            + "; left out of its request");
      }
      List<String> blocks = dev.effort.core.CrossFormat.droppedBlocks(ask, upstream);
      if (!blocks.isEmpty()) {
        notes.add("blocks " + blocks + " have no counterpart in the " + upstream + " format of " + model
            + "; left out of its request");
      }
    }
    if (droppedTools.isEmpty() && notes.size() == planned.notes().size()) {
      return planned;
    }
    var choice = ask.tools().choice();
    if (choice.isPresent() && choice.get().name().filter(droppedTools::contains).isPresent()) {
      throw WireError.invalid("tool_choice forces the tool '" + choice.get().name().get() + "', which the upstream of this"
          + " plan cannot run (it has no counterpart in its format); pin a model of the tool's own provider, or let the"
          + " model choose (tool_choice auto)", "tool_choice");
    }
    if (choice.isPresent() && choice.get().mode() == dev.effort.core.ToolChoice.Mode.REQUIRED
        && droppedTools.size() == ask.tools().offered().size()) {
      throw WireError.invalid("tool_choice requires a tool call, but none of the tools offered can run on the upstream"
          + " of this plan (dropped: " + String.join(", ", droppedTools) + ")", "tool_choice");
    }
    if (!droppedTools.isEmpty()) {
      res.header("Effort-Dropped-Tools", String.join(", ", droppedTools));
    }
    return new PlannedAsk(ask, planned.applied(), planned.plan(), notes, planned.downgrade(), planned.unmet());
  }

  /** The wire side of one chat request: its format, the HTTP request and response, what its body asked, its stream. */
  private static final class Call {
    final WireFormat format;
    final ServerRequest req;
    final ServerResponse res;
    WireFormat answering;
    boolean streaming;
    Effort asked;
    String effortSource;
    String id;
    SseSink sink;
    WireFormat.Stream stream;

    Call(WireFormat format, ServerRequest req, ServerResponse res) {
      this.format = format;
      this.req = req;
      this.res = res;
    }
  }

  /** The admin API: on only with a configured admin key, which it requires (constant-time check). */
  private void admin(ServerRequest req, ServerResponse res, java.util.function.Supplier<Object> action) {
    try {
      if (governance.isEmpty() || !governance.get().adminEnabled()) {
        throw new WireError(WireError.Kind.NOT_FOUND, "the admin API is off: set the environment variable named by"
            + " admin_key_env (default EFFORT_ADMIN_KEY) before starting the gateway");
      }
      if (!governance.get().isAdmin(secret(req))) {
        throw new WireError(WireError.Kind.AUTHENTICATION, "the admin API needs the admin key as 'Authorization: Bearer KEY'");
      }
      json(res, 200, action.get());
    } catch (WireError e) {
      send(res, openAi, e);
    } catch (IllegalArgumentException e) {
      send(res, openAi, WireError.invalid(e.getMessage(), null));
    }
  }

  private Object adminKeys() {
    ArrayNode keys = Json.MAPPER.createArrayNode();
    governance.get().store().keys().list().forEach(k -> keys.add(keyJson(k)));
    return Map.of("keys", keys);
  }

  private static ObjectNode keyJson(dev.effort.server.store.ApiKey k) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", k.id());
    o.put("name", k.name());
    o.put("prefix", k.prefix());
    k.budgetUsdDay().ifPresent(v -> o.put("budget_usd_day", v));
    k.budgetUsdMonth().ifPresent(v -> o.put("budget_usd_month", v));
    k.maxEffort().ifPresent(v -> o.put("max_effort", v.wireName()));
    k.defaultEffort().ifPresent(v -> o.put("default_effort", v.wireName()));
    k.rpm().ifPresent(v -> o.put("rpm", v));
    k.tpm().ifPresent(v -> o.put("tpm", v));
    o.put("agent", k.agent());
    o.put("created", k.created().toString());
    k.revoked().ifPresent(v -> o.put("revoked", v.toString()));
    return o;
  }

  private Object createKey(ServerRequest req) {
    JsonNode body = body(req);
    String name = RequestFields.requiredString(body, "name");
    var spec = dev.effort.server.store.KeySpec.named(name);
    if (body.hasNonNull("budget_usd_day")) {
      spec = spec.budgetUsdDay(RequestFields.cost(body.get("budget_usd_day").asText(), "budget_usd_day"));
    }
    if (body.hasNonNull("budget_usd_month")) {
      spec = spec.budgetUsdMonth(RequestFields.cost(body.get("budget_usd_month").asText(), "budget_usd_month"));
    }
    if (body.hasNonNull("max_effort")) {
      spec = spec.maxEffort(Effort.parse(body.get("max_effort").asText()));
    }
    if (body.hasNonNull("default_effort")) {
      spec = spec.defaultEffort(Effort.parse(body.get("default_effort").asText()));
    }
    if (body.hasNonNull("rpm")) {
      spec = spec.rpm(RequestFields.optionalPositiveInt(body, "rpm").getAsInt());
    }
    if (body.hasNonNull("tpm")) {
      spec = spec.tpm(RequestFields.optionalPositiveInt(body, "tpm").getAsInt());
    }
    if (body.hasNonNull("agent")) {
      spec = spec.agent(RequestFields.optionalBoolean(body, "agent"));
    }
    var issued = governance.get().store().keys().create(spec);
    ObjectNode o = keyJson(issued.key());
    o.put("secret", issued.secret());
    o.put("note", "the secret is shown once; store it now");
    return o;
  }

  private Object revokeKey(ServerRequest req) {
    // Helidon has decoded the path once already; decoding again would fail on a literal '%'.
    String idOrName = req.path().path().substring("/admin/keys/".length());
    return governance.get().store().keys().revoke(idOrName).map(Gateway::keyJson)
        .orElseThrow(() -> new WireError(WireError.Kind.NOT_FOUND, "no key with id or name '" + idOrName + "'"));
  }

  /** {@code /admin/ledger?key=&level=&model=&status=&limit=}: the newest rows, filtered. */
  private Object ledgerRows(ServerRequest req) {
    Optional<String> key = req.query().first("key").filter(v -> !v.isBlank());
    Optional<Long> keyId = key.map(k -> adminStats.get().keyId(k)
        .orElseThrow(() -> WireError.invalid("key: no key with id or name '" + RequestFields.clip(k) + "'", "key")));
    Optional<Effort> level = req.query().first("level").filter(v -> !v.isBlank()).map(Effort::parse);
    Optional<String> model = req.query().first("model").filter(v -> !v.isBlank());
    Optional<String> status = req.query().first("status").filter(v -> !v.isBlank());
    int limit = 50;
    if (req.query().first("limit").isPresent()) {
      String v = req.query().first("limit").get();
      try {
        limit = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > AdminStats.MAX_LEDGER_ROWS) {
        throw WireError.invalid("limit: '" + RequestFields.clip(v) + "' is not accepted; accepted: 1 to "
            + AdminStats.MAX_LEDGER_ROWS, "limit");
      }
    }
    return adminStats.get().ledger(new dev.effort.server.store.LedgerFilter(keyId, level, model, status), limit);
  }

  /** The dashboard: one page from the jar, its styles and script inline, talking to this gateway only (CSP). */
  private void dashboard(ServerRequest req, ServerResponse res) {
    res.header("Content-Type", "text/html; charset=utf-8");
    res.header("Cache-Control", "no-store");
    res.header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
        + " connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    res.header("Referrer-Policy", "no-referrer");
    res.header("X-Content-Type-Options", "nosniff");
    res.send(DASHBOARD_PAGE);
  }

  private static final byte[] DASHBOARD_PAGE = resource("dashboard.html");

  private static byte[] resource(String name) {
    try (InputStream in = Gateway.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object usage(ServerRequest req) {
    var by = dev.effort.server.store.GroupBy.parse(req.query().first("by").orElse("key"));
    return Map.of("by", by.toString(), "rows", governance.get().store().ledger().usage(by));
  }

  private static Optional<String> secret(ServerRequest req) {
    Optional<String> bearer = header(req, "Authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).strip());
    return bearer.or(() -> header(req, "x-api-key")).filter(s -> !s.isEmpty());
  }

  /**
   * Answers a failure in the client's format ({@link WireError#of}): a JSON error with its status,
   * or the stream's error event once the stream has started.
   *
   * @return the status, as metrics count it (499: the client went away before it could be told)
   */
  private int fail(Call call, RuntimeException failure) {
    if (WireError.clientGone(failure)) {
      LOG.fine(() -> "client went away: " + failure.getMessage());
      return 499;
    }
    WireError e = WireError.of(failure);
    if (e.kind() == WireError.Kind.INTERNAL) {
      LOG.log(Level.SEVERE, "unexpected error answering " + call.req.path().path(), failure);
    }
    try {
      if (call.sink != null && call.sink.started()) {
        call.stream.fail(e);
        call.sink.close();
      } else if (!call.res.isSent()) {
        send(call.res, call.format, e);
      }
    } catch (UncheckedIOException | io.helidon.webserver.CloseConnectionException gone) {
      return 499;
    }
    return e.status();
  }

  private static void send(ServerResponse res, WireFormat format, WireError e) {
    res.status(e.status());
    if (e.closesConnection()) {
      res.header("Connection", "close");
    }
    if (e.retryAfterSeconds() >= 0) {
      res.header("retry-after", Long.toString(e.retryAfterSeconds()));
    }
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
      if (declared.isPresent() && declared.get() <= EXACT_READ_BYTES) {
        // One array of the declared size, instead of readNBytes' 16 KiB buffers and the copy; only up
        // to a size a client may make the gateway allocate before sending a byte.
        bytes = new byte[declared.get().intValue()];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, read);
        }
      } else {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, limit + 1));
      }
      if (bytes.length > limit) {
        throw tooLarge(-1).closing(); // not drained: the rest may be endless
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (WireError | UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      // Helidon decodes chunked framing as the body is read: a bad chunk size, a chunk extension,
      // a trailer or a short chunk fails here. A client error, not the gateway's.
      throw WireError.invalid("the request body could not be read (" + framingProblem(e) + "); send it with a"
          + " Content-Length, or in plain chunked encoding (hex sizes, no chunk extensions, no trailers)", null).closing();
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

  /** Bodies up to this declared size are read into one array of that size. */
  private static final long EXACT_READ_BYTES = 64 * 1024;

  private static String framingProblem(RuntimeException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? "malformed framing" : RequestFields.clip(m.strip());
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
    return req.headers().first(HEADER_NAMES.computeIfAbsent(name, HeaderNames::create)).map(String::strip)
        .filter(v -> !v.isEmpty());
  }

  /** The header names the gateway reads, each made once (a name is lower-cased and hashed when made). */
  private static final Map<String, io.helidon.http.HeaderName> HEADER_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

  private static long inputTokens(List<Message> messages, dev.effort.core.Tools tools) {
    return dev.effort.providers.InputTokens.of(messages, tools);
  }

  private static String id(WireFormat format) {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    String prefix = switch (format.name()) {
      case "anthropic" -> "msg_";
      case "responses" -> "resp_";
      default -> "chatcmpl-";
    };
    return prefix + HexFormat.of().formatHex(random);
  }

  private void models(ServerRequest req, ServerResponse res) {
    List<String> names = ModelField.acceptedNames(fleet.models());
    boolean anthropicShape = formatOf(req) == anthropic;
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode data = o.putArray("data");
    names.forEach(name -> data.add(modelJson(name, anthropicShape)));
    if (anthropicShape) {
      o.put("has_more", false);
      o.put("first_id", names.get(0));
      o.put("last_id", names.get(names.size() - 1));
    } else {
      o.put("object", "list");
    }
    json(res, 200, o);
  }

  /** One model of the list, by id (model ids may hold a slash: the rest of the path is the id). */
  private void model(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String id = path.substring("/v1/models/".length()); // decoded once by Helidon: a literal '%' stays one
    WireFormat format = formatOf(req);
    if (!ModelField.acceptedNames(fleet.models()).contains(id)) {
      send(res, format, ModelField.notServed(id, fleet.models()));
      return;
    }
    json(res, 200, modelJson(id, format == anthropic));
  }

  /**
   * What a model takes, from the catalog: {@code images} and {@code tools} (for a dial name, whether
   * some level's plan can), in an {@code effort} object: Anthropic's own {@code capabilities} has a
   * richer schema this gateway does not fill, and SDKs ignore unknown fields.
   */
  private ObjectNode capabilities(String name) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    List<String> models = name.startsWith(ModelField.DIAL) ? fleet.ladder().models() : List.of(name);
    c.put("images", models.stream().anyMatch(id -> fleet.catalog().model(id).takesImages()));
    c.put("tools", models.stream().anyMatch(id -> fleet.catalog().model(id).takesTools()));
    return c;
  }

  /** A model as Anthropic's or OpenAI's model list shows it. */
  private ObjectNode modelJson(String name, boolean anthropicShape) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    if (anthropicShape) {
      m.put("type", "model");
      m.put("id", name);
      m.put("display_name", name);
      m.put("created_at", "2026-01-01T00:00:00Z");
      m.put("lifecycle", "active");
    } else {
      m.put("id", name);
      m.put("object", "model");
      m.put("created", 0);
      m.put("owned_by", name.startsWith(ModelField.DIAL) ? "effort" : fleet.catalog().model(name).provider());
    }
    m.set("effort", capabilities(name));
    return m;
  }

  /** Anthropic's token counting: messages, tools and images as this gateway counts them ({@link dev.effort.providers.InputTokens}). */
  private void countTokens(ServerRequest req, ServerResponse res) {
    try {
      JsonNode body = body(req);
      if (body.isObject() && !body.has("max_tokens")) {
        ((ObjectNode) body).put("max_tokens", 1);
      }
      ChatRequest chat = anthropic.parse(body);
      json(res, 200, Map.of("input_tokens", inputTokens(chat.messages(), chat.tools())));
    } catch (WireError e) {
      send(res, anthropic, e);
    }
  }

  private static void json(ServerResponse res, int status, Object body) {
    res.status(status);
    res.header("Content-Type", "application/json");
    res.send(Json.bytes(body));
  }
}
