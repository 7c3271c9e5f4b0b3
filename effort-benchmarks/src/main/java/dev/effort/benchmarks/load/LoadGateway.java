package dev.effort.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Measures what the gateway adds to a request: the same load sent straight to a fake upstream that
 * answers at once, and through the gateway in front of it, JSON and streamed, at a fixed arrival
 * rate; then the most each serves with a fixed number of clients. Run by {@code scripts/load-gateway}.
 */
public final class LoadGateway {
  static final String MODEL = "fake-model";

  /** Kept referenced: a logger without a strong reference may lose its level. */
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  record Options(int rate, Duration warmup, Duration measured, int clients, Duration closedWarmup,
      Duration closedMeasured, Path out) {

    static Options parse(String[] args) {
      int rate = 1000;
      int seconds = 15;
      int warmup = 5;
      int clients = 16;
      int closedSeconds = 10;
      int closedWarmup = 3;
      Path out = Path.of("effort-benchmarks/target/load-gateway.txt");
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("-h") || flag.equals("--help")) {
          System.out.println(USAGE);
          System.exit(0);
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        String value = args[++i];
        switch (flag) {
          case "--rate" -> rate = positive(flag, value);
          case "--seconds" -> seconds = positive(flag, value);
          case "--warmup" -> warmup = nonNegative(flag, value);
          case "--clients" -> clients = positive(flag, value);
          case "--closed-seconds" -> closedSeconds = positive(flag, value);
          case "--closed-warmup" -> closedWarmup = nonNegative(flag, value);
          case "--out" -> out = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
        }
      }
      return new Options(rate, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), clients,
          Duration.ofSeconds(closedWarmup), Duration.ofSeconds(closedSeconds), out);
    }

    private static int positive(String flag, String value) {
      int n = nonNegative(flag, value);
      if (n == 0) {
        throw new IllegalArgumentException(flag + ": expected a whole number above 0, got " + value);
      }
      return n;
    }

    private static int nonNegative(String flag, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + ": expected a whole number, got " + value);
    }
  }

  static final String USAGE = """
      usage: load-gateway [--rate N] [--seconds S] [--warmup S] [--clients N] [--closed-seconds S]
                          [--closed-warmup S] [--out FILE]
        --rate            open-loop arrivals per second (default 1000)
        --seconds         measured seconds per open-loop scenario (default 15)
        --warmup          warmup seconds before each open-loop scenario (default 5)
        --clients         concurrent clients of the closed-loop pass (default 16)
        --closed-seconds  measured seconds of each closed-loop pass (default 10)
        --closed-warmup   warmup seconds before each closed-loop pass (default 3)
        --out             where the summary is written (default effort-benchmarks/target/load-gateway.txt)""";

  private LoadGateway() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("load-gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    HELIDON_LOG.setLevel(Level.WARNING); // its startup banners would bury the progress lines
    try (FakeUpstream upstream = FakeUpstream.start(); Gateway gateway = startGateway(upstream.port())) {
      URI direct = URI.create("http://127.0.0.1:" + upstream.port() + "/v1/chat/completions");
      URI viaGateway = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
      // The dial's own name through the gateway, the model's name upstream: each side's normal request.
      String gatewayModel = "effort";
      showOneAnswer(viaGateway, ChatClient.body(gatewayModel, false));
      warmUpJit(options, direct, viaGateway, gatewayModel);

      ScenarioResult jsonDirect = open(options, "json direct", direct, ChatClient.body(MODEL, false), false);
      ScenarioResult jsonGateway = open(options, "json via gateway", viaGateway, ChatClient.body(gatewayModel, false), false);
      ScenarioResult streamDirect = open(options, "stream direct", direct, ChatClient.body(MODEL, true), true);
      ScenarioResult streamGateway = open(options, "stream via gateway", viaGateway, ChatClient.body(gatewayModel, true), true);
      ScenarioResult toolDirect = open(options, "tool stream direct", direct, ChatClient.toolBody(MODEL), true);
      ScenarioResult toolGateway = open(options, "tool stream gateway", viaGateway, ChatClient.toolBody(gatewayModel), true);
      ScenarioResult closedDirect = closed(options, "closed json direct", direct, MODEL);
      ScenarioResult closedGateway = closed(options, "closed json gateway", viaGateway, gatewayModel);

      String summary = Summary.of(options, jsonDirect, jsonGateway, streamDirect, streamGateway, toolDirect, toolGateway,
          closedDirect, closedGateway);
      System.out.println();
      System.out.print(summary);
      Path parent = options.out().toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(options.out(), summary);
      System.out.println("\n(written to " + options.out() + ")");
    }
    // Helidon may keep a listener thread (not a daemon) waiting for idle keep-alive connections.
    System.exit(0);
  }

  /**
   * The gateway in front of the fake upstream, as its config would declare it: one
   * openai-compatible provider without a key, the model in the catalog, no ladder (every level is
   * one call to that model).
   */
  static Gateway startGateway(int upstreamPort) {
    ObjectNode model = Json.MAPPER.createObjectNode();
    model.put("id", MODEL);
    model.put("provider", "openai-compatible");
    model.put("input_usd_per_million", 0.15);
    model.put("output_usd_per_million", 0.6);
    model.put("ttft_ms", 1);
    model.put("output_tokens_per_second", 10_000);
    model.put("context_window", 128_000);
    model.put("source", "load-gateway: a fake upstream that answers at once");
    model.put("knob", "none");
    model.putArray("levels");
    model.put("max_output_tokens", 4096);
    GatewayConfig config = new GatewayConfig(0, Optional.empty(), Effort.HIGH, GatewayConfig.DEFAULT_MAX_BODY_BYTES,
        Optional.empty(), 1.0,
        List.of(new GatewayConfig.ProviderConfig("fake", "openai-compatible", "http://127.0.0.1:" + upstreamPort, null,
            List.of(MODEL))),
        List.of(model), Optional.empty());
    // With providers configured the data folder is not read.
    Fleet fleet = Fleets.fromConfig(config, Path.of("."));
    return Gateway.start(config, fleet, Optional.empty(), 0);
  }

  private static ScenarioResult open(Options options, String name, URI endpoint, String body, boolean stream)
      throws InterruptedException {
    progress("%s: %d requests/s, %d s warmup + %d s measured ...", name, options.rate(), options.warmup().toSeconds(),
        options.measured().toSeconds());
    ScenarioResult r;
    try (ChatClient client = new ChatClient(endpoint, body, stream)) {
      r = OpenLoop.run(name, client, options.rate(), options.warmup(), options.measured());
    }
    progress("  %d requests, %d errors, %.0f req/s, p50 %.3f ms, p99 %.3f ms, %.0f us CPU/request, other processes %.0f%% CPU",
        r.requests(), r.errorCount(), r.throughput(), r.latency().p50(), r.latency().p99(), r.cpuMicrosPerRequest(),
        100 * r.othersCpu());
    return r;
  }

  private static ScenarioResult closed(Options options, String name, URI endpoint, String model)
      throws InterruptedException {
    progress("%s: %d clients, %d s warmup + %d s measured ...", name, options.clients(),
        options.closedWarmup().toSeconds(), options.closedMeasured().toSeconds());
    ScenarioResult r;
    try (ChatClient client = new ChatClient(endpoint, ChatClient.body(model, false), false)) {
      r = ClosedLoop.run(name, client, options.clients(), options.closedWarmup(), options.closedMeasured());
    }
    progress("  %d requests, %d errors, %.0f req/s, %.0f us CPU/request, other processes %.0f%% CPU", r.requests(),
        r.errorCount(), r.throughput(), r.cpuMicrosPerRequest(), 100 * r.othersCpu());
    return r;
  }

  /**
   * Every path at full speed before any figure is taken. A cold JVM serves a fraction of its later
   * rate; an open loop started cold falls behind, opens a connection per waiting request, and may
   * never catch up within its own warmup.
   */
  private static void warmUpJit(Options options, URI direct, URI viaGateway, String gatewayModel)
      throws InterruptedException {
    Duration each = Duration.ofSeconds(Math.max(1, options.warmup().toSeconds()));
    progress("JIT warmup: %d s on each of the four paths, 4 clients back to back ...", each.toSeconds());
    for (boolean stream : new boolean[] {false, true}) {
      for (URI endpoint : List.of(direct, viaGateway)) {
        String model = endpoint == direct ? MODEL : gatewayModel;
        try (ChatClient client = new ChatClient(endpoint, ChatClient.body(model, stream), stream)) {
          ClosedLoop.run("warmup", client, 4, Duration.ZERO, each);
        }
      }
    }
  }

  /** One answer through the gateway up front, so that a broken setup shows its error body, not only counts. */
  private static void showOneAnswer(URI endpoint, String body) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      progress("warning: the gateway answered a first request with HTTP %d: %s", response.statusCode(), response.body());
    }
  }

  private static void progress(String format, Object... args) {
    System.err.println(String.format(java.util.Locale.ROOT, format, args));
  }
}
