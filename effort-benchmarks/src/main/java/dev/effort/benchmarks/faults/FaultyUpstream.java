package dev.effort.benchmarks.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import dev.effort.providers.TokenCounter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local upstream that speaks OpenAI Chat Completions ({@code POST /v1/chat/completions}) and
 * Anthropic Messages ({@code POST /v1/messages}), whole or streamed, byte for byte as those APIs
 * do, and fails on demand: the test bed of retries, fallback, circuit breakers and hedging.
 *
 * <p>A request's fault is, first to apply: the next of the faults queued with {@link #next}; a
 * {@link FaultDirective} in the text of the last user message ({@code [fault:503]},
 * {@code [fault:429@2x1:abc]}); the default fault set with {@link #failRandomly}, drawn with its
 * probability from a seeded generator; else none. Every request is recorded ({@link #requests()})
 * with the fault it got.
 *
 * <p>A plain server socket with a virtual thread per connection and its own small HTTP/1.1, so
 * that a fault can stop an answer at any byte or reset the connection.
 */
public final class FaultyUpstream implements AutoCloseable {

  /** One request as it arrived. */
  public record Received(int sequence, Instant arrived, String method, String path, Map<String, String> headers,
      String body, Fault fault) {
    /** The body as JSON, or a missing node when it is not JSON. */
    public JsonNode json() {
      try {
        JsonNode node = Json.MAPPER.readTree(body);
        return node == null ? Json.MAPPER.missingNode() : node;
      } catch (IOException e) {
        return Json.MAPPER.missingNode();
      }
    }
  }

  public static final String DEFAULT_ANSWER = "Hello! How can I help you today?";

  private static final UpstreamWire OPENAI = new UpstreamWire.OpenAiChat();
  private static final UpstreamWire ANTHROPIC = new UpstreamWire.Anthropic();

  private final ServerSocket server;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  /** Requests seen per directive token; shared by upstreams started {@link #startBeside} one another. */
  private final Map<String, AtomicInteger> tokenCounts;
  private final Deque<Fault> scheduled = new ArrayDeque<>();
  private final List<Received> received = new ArrayList<>();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;
  private volatile String answer = DEFAULT_ANSWER;
  private volatile Duration eventGap = Duration.ZERO;
  private Fault defaultFault = Fault.NONE;
  private double defaultProbability;
  private Random random = new Random(0);

  private FaultyUpstream(ServerSocket server, Map<String, AtomicInteger> tokenCounts) {
    this.server = server;
    this.tokenCounts = tokenCounts;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static FaultyUpstream start() {
    return start(new ConcurrentHashMap<>());
  }

  /**
   * Starts another deployment beside {@code first}: a directive {@code [fault:NAMExN:TOKEN]} then
   * counts N over both, so that a retry sent to the other deployment is answered too.
   */
  public static FaultyUpstream startBeside(FaultyUpstream first) {
    return start(first.tokenCounts);
  }

  private static FaultyUpstream start(Map<String, AtomicInteger> tokenCounts) {
    try {
      ServerSocket socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
      FaultyUpstream upstream = new FaultyUpstream(socket, tokenCounts);
      Thread.ofPlatform().daemon().name("faulty-upstream-" + socket.getLocalPort()).start(upstream::acceptLoop);
      return upstream;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot listen on 127.0.0.1", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}: a provider's base URL. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The text every answer carries (default {@link #DEFAULT_ANSWER}); streamed word by word. */
  public FaultyUpstream answer(String text) {
    this.answer = text;
    return this;
  }

  /** A pause before each streamed event after the first, so that a client can leave mid-stream. */
  public FaultyUpstream eventGap(Duration gap) {
    this.eventGap = gap;
    return this;
  }

  /** Queues faults for the next requests, one each, before any directive or default applies. */
  public FaultyUpstream next(Fault... faults) {
    synchronized (scheduled) {
      Collections.addAll(scheduled, faults);
    }
    return this;
  }

  /**
   * Each request without a scheduled fault or directive gets {@code fault} with {@code probability},
   * drawn from a generator seeded with {@code seed}: the same arrivals fail the same way each run.
   */
  public synchronized FaultyUpstream failRandomly(Fault fault, double probability, long seed) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
    }
    this.defaultFault = fault;
    this.defaultProbability = probability;
    this.random = new Random(seed);
    return this;
  }

  /** Every request so far, in arrival order. */
  public List<Received> requests() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** How many requests arrived. */
  public int count() {
    synchronized (received) {
      return received.size();
    }
  }

  /** How many requests arrived at {@code path}, e.g. {@code /v1/messages}. */
  public int count(String path) {
    synchronized (received) {
      return (int) received.stream().filter(r -> r.path().equals(path)).count();
    }
  }

  /**
   * How many answers the client abandoned: it closed or reset the connection while a request was
   * hanging, slow, or being streamed (a hedged loser, a client gone).
   */
  public int cancelled() {
    return cancelled.get();
  }

  /** Stops listening and closes every connection; requests hanging end at once. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : connections) {
      closeQuietly(s);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true); // each event leaves at once, not after Nagle's 40 ms
        connections.add(socket);
        Thread.ofVirtual().name("faulty-upstream-connection").start(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("faulty upstream: accept failed: " + e.getMessage());
        }
      }
    }
  }

  /** Answers requests on one connection until either side closes it or a fault ends it. */
  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (!closed) {
        Http1.Request request;
        try {
          request = Http1.read(in, out);
        } catch (Http1.BadRequest e) {
          json(out, OPENAI, 400, OPENAI.error("invalid_request_error", e.getMessage()), Map.of("Connection", "close"));
          return;
        }
        if (request == null) {
          return;
        }
        if (!respond(request, socket, in, out) || !request.keepAlive()) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away or the upstream closed: nothing to answer
    } finally {
      connections.remove(socket);
    }
  }

  /** @return whether the connection may serve another request */
  private boolean respond(Http1.Request request, Socket socket, InputStream in, OutputStream out) throws IOException {
    UpstreamWire wire = request.path().equals(OPENAI.path()) || request.path().startsWith(OPENAI.path() + "?") ? OPENAI
        : request.path().equals(ANTHROPIC.path()) || request.path().startsWith(ANTHROPIC.path() + "?") ? ANTHROPIC
        : null;
    String bodyText = new String(request.body(), StandardCharsets.UTF_8);
    JsonNode body = parse(bodyText);
    Fault fault;
    String refusal = null;
    try {
      fault = choose(body);
    } catch (IllegalArgumentException e) {
      fault = Fault.NONE;
      refusal = e.getMessage();
    }
    record(request, bodyText, fault);
    if (wire == null) {
      json(out, OPENAI, 404, OPENAI.error("invalid_request_error", "Unknown request URL: " + request.method() + " "
          + request.path() + "; this upstream serves POST /v1/chat/completions and POST /v1/messages"), Map.of());
      return true;
    }
    if (!request.method().equals("POST")) {
      json(out, wire, 405, wire.error("invalid_request_error", "Method " + request.method() + " not allowed; use POST"),
          Map.of());
      return true;
    }
    String invalid = refusal != null ? refusal : wire.invalid(body);
    if (invalid != null) {
      json(out, wire, 400, wire.error("invalid_request_error", invalid), Map.of());
      return true;
    }
    boolean stream = body.path("stream").asBoolean(false);
    String model = body.path("model").asText();
    String id = (wire == ANTHROPIC ? "msg_faulty" : "chatcmpl-faulty") + ids.incrementAndGet();
    String text = answer;
    UpstreamWire.Usage usage = new UpstreamWire.Usage(Math.max(1, TokenCounter.count(promptText(body))),
        TokenCounter.count(text));
    switch (fault.kind()) {
      case HTTP_500, HTTP_502, HTTP_503, HTTP_429, HTTP_529 -> {
        statusFault(out, wire, fault);
        return true;
      }
      case RESET -> {
        socket.setSoLinger(true, 0); // close with RST: the client sees "connection reset", not a clean end
        socket.close();
        return false;
      }
      case HANG -> {
        waitForClient(socket, in, 0);
        return false;
      }
      case SLOW -> {
        if (!waitForClient(socket, in, Math.max(1, fault.delayMillis()))) {
          return false;
        }
      }
      case STALL -> {
        if (!stream && !waitForClient(socket, in, Math.max(1, fault.delayMillis()))) {
          return false;
        }
      }
      case MALFORMED_JSON -> {
        sendBytes(out, 200, "application/json", "{\"id\":\"" + id + "\",\"choices\":[{\"index\":0,\"message\":<html>"
            + "upstream proxy error</html>");
        return true;
      }
      default -> { }
    }
    if (!stream) {
      return whole(fault, wire, out, id, model, text, usage);
    }
    return stream(fault, wire, socket, in, out, id, model, pieces(text), usage, body);
  }

  private boolean whole(Fault fault, UpstreamWire wire, OutputStream out, String id, String model, String text,
      UpstreamWire.Usage usage) throws IOException {
    switch (fault.kind()) {
      case MALFORMED_SSE -> {
        sendBytes(out, 200, "application/json", "{\"id\":\"" + id + "\",\"content\":[{\"type\":\"text\",\"text\":\"br");
        return true;
      }
      case MID_STREAM_ERROR -> {
        statusFault(out, wire, Fault.of(Fault.Kind.HTTP_529));
        return true;
      }
      case CUT -> {
        byte[] bytes = Json.bytes(wire.whole(id, model, text, usage));
        Http1.head(out, 200, headers(wire, "application/json", Map.of("Content-Length", Integer.toString(bytes.length))));
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        return false; // closed with half of the announced body sent
      }
      default -> {
        json(out, wire, 200, wire.whole(id, model, text, usage), Map.of());
        return true;
      }
    }
  }

  private boolean stream(Fault fault, UpstreamWire wire, Socket socket, InputStream in, OutputStream out, String id,
      String model, List<String> pieces, UpstreamWire.Usage usage, JsonNode body) throws IOException {
    UpstreamWire.Stream s = wire.stream(id, model, pieces, usage, body);
    List<String> events = new ArrayList<>(s.start());
    boolean endsCleanly = true;
    switch (fault.kind()) {
      case CUT -> {
        events.addAll(s.deltas().subList(0, Math.min(fault.deltasBeforeCut(), s.deltas().size())));
        endsCleanly = false;
      }
      case MALFORMED_SSE -> {
        events.add(s.deltas().getFirst());
        events.add(wire.brokenEvent(id, model));
        events.addAll(s.deltas().subList(1, s.deltas().size()));
        events.addAll(s.end());
      }
      case MID_STREAM_ERROR -> {
        events.add(s.deltas().getFirst());
        events.add(wire.streamError());
      }
      default -> {
        events.addAll(s.deltas());
        events.addAll(s.end());
      }
    }
    Http1.head(out, 200, headers(wire, "text/event-stream; charset=utf-8",
        Map.of("Cache-Control", "no-cache", "Transfer-Encoding", "chunked")));
    try {
      for (int i = 0; i < events.size(); i++) {
        if (fault.kind() == Fault.Kind.STALL && i == s.start().size()) {
          out.flush();
          if (!waitForClient(socket, in, Math.max(1, fault.delayMillis()))) {
            return false;
          }
        } else if (i > 0 && eventGap.isPositive()) {
          sleep(eventGap.toMillis());
        }
        Http1.chunk(out, events.get(i));
      }
      if (!endsCleanly) {
        return false; // closed without the last chunk: the client's body ends early
      }
      Http1.endChunks(out);
      return true;
    } catch (IOException e) {
      if (!closed) {
        cancelled.incrementAndGet();
      }
      throw e;
    }
  }

  private static void statusFault(OutputStream out, UpstreamWire wire, Fault fault) throws IOException {
    UpstreamWire.ErrorReply reply = wire.statusFault(fault);
    Map<String, String> extra = new LinkedHashMap<>();
    fault.retryAfterSeconds().ifPresent(s -> extra.put("retry-after", Integer.toString(s)));
    if (wire == ANTHROPIC && reply.status() == 429) {
      extra.put("anthropic-ratelimit-requests-remaining", "0");
    }
    json(out, wire, reply.status(), reply.body(), extra);
  }

  /**
   * Waits {@code millis} (0: until the client goes) while watching the connection: a client that
   * closes meanwhile is counted as cancelled.
   *
   * @return true when the time passed with the client still there
   */
  private boolean waitForClient(Socket socket, InputStream in, long millis) throws IOException {
    long end = System.nanoTime() + millis * 1_000_000;
    try {
      while (!closed) {
        long left = millis == 0 ? 0 : (end - System.nanoTime()) / 1_000_000;
        if (millis > 0 && left <= 0) {
          return true;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        // A client waiting for its answer sends nothing: a read returns only at its close.
        if (in.read() < 0) {
          cancelled.incrementAndGet();
          return false;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      if (!closed) {
        cancelled.incrementAndGet();
      }
      return false;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(0);
      }
    }
  }

  private Fault choose(JsonNode body) {
    synchronized (scheduled) {
      if (!scheduled.isEmpty()) {
        countToken(body);
        return scheduled.removeFirst();
      }
    }
    Optional<FaultDirective> directive = FaultDirective.find(lastUserText(body));
    if (directive.isPresent()) {
      FaultDirective d = directive.get();
      if (d.times().isEmpty()) {
        return d.fault();
      }
      int seen = tokenCounts.computeIfAbsent(d.token(), t -> new AtomicInteger()).incrementAndGet();
      return seen <= d.times().getAsInt() ? d.fault() : Fault.NONE;
    }
    synchronized (this) {
      return defaultProbability > 0 && random.nextDouble() < defaultProbability ? defaultFault : Fault.NONE;
    }
  }

  /** A request carrying a counted directive counts towards its N even when a scheduled fault wins. */
  private void countToken(JsonNode body) {
    try {
      FaultDirective.find(lastUserText(body)).filter(d -> d.times().isPresent())
          .ifPresent(d -> tokenCounts.computeIfAbsent(d.token(), t -> new AtomicInteger()).incrementAndGet());
    } catch (IllegalArgumentException e) {
      // a malformed directive: the scheduled fault applies anyway
    }
  }

  private void record(Http1.Request request, String body, Fault fault) {
    synchronized (received) {
      received.add(new Received(received.size() + 1, Instant.now(), request.method(), request.path(),
          Map.copyOf(request.headers()), body, fault));
    }
  }

  /** The text of the last user message (strings and text parts/blocks), where directives are read. */
  static String lastUserText(JsonNode body) {
    JsonNode messages = body.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if (m.path("role").asText().equals("user")) {
        return text(m.path("content"));
      }
    }
    return "";
  }

  /** Every text of the request (system and messages), for the input token count. */
  private static String promptText(JsonNode body) {
    StringBuilder sb = new StringBuilder(text(body.path("system")));
    for (JsonNode m : body.path("messages")) {
      sb.append('\n').append(text(m.path("content")));
    }
    return sb.toString();
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        sb.append(part.get("text").asText()).append('\n');
      }
    }
    return sb.toString();
  }

  /** The answer in streamed pieces: each word with the space before it, as tokens arrive. */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>(List.of(text.split("(?<=\\S)(?=\\s)")));
    pieces.removeIf(String::isEmpty);
    return pieces.isEmpty() ? List.of("") : pieces;
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      return node == null ? Json.MAPPER.missingNode() : node;
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }

  private static Map<String, String> headers(UpstreamWire wire, String contentType, Map<String, String> extra) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", contentType);
    h.put(wire == ANTHROPIC ? "request-id" : "x-request-id", "req_faulty_" + Long.toHexString(System.nanoTime()));
    h.putAll(extra);
    return h;
  }

  private static void json(OutputStream out, UpstreamWire wire, int status, ObjectNode body, Map<String, String> extra)
      throws IOException {
    byte[] bytes = Json.bytes(body);
    Map<String, String> h = new LinkedHashMap<>(extra);
    h.put("Content-Length", Integer.toString(bytes.length));
    Http1.head(out, status, headers(wire, "application/json", h));
    out.write(bytes);
    out.flush();
  }

  private static void sendBytes(OutputStream out, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Http1.head(out, status, Map.of("Content-Type", contentType, "Content-Length", Integer.toString(bytes.length)));
    out.write(bytes);
    out.flush();
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
