package dev.effort.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Measures what the gateway adds to a request as {@code effort serve} runs it, governance on: the
 * same load sent straight to a fake upstream that answers at once, and through gateways in front of
 * it (each its own JVM; keys and ledger in SQLite, or in PostgreSQL with limits in Redis), JSON,
 * streamed and a streamed tool call, at a fixed arrival rate; then the most each serves with a
 * fixed number of clients; then many slow streams held at once in a bounded heap. Run by
 * {@code scripts/load-gateway}, which passes the CLI's classpath as {@value #CLASSPATH_PROPERTY}.
 */
public final class LoadGateway {
  static final String MODEL = "fake-model";
  /** Served by the paced upstream; a request names it to be streamed slowly. */
  static final String SLOW_MODEL = "slow-model";
  static final String CLASSPATH_PROPERTY = "effort.load.gatewayClasspath";
  /** The pause before each delta of a slow stream. */
  static final Duration SLOW_PAUSE = Duration.ofMillis(250);

  /** Kept referenced: a logger without a strong reference may lose its level. */
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  /** A gateway under load: its process, how to reach it, and what to drop afterwards. */
  private record Running(GatewaySetup setup, GatewayProcess process, Target target) {}

  private LoadGateway() {}

  public static void main(String[] args) throws Exception {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("load-gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    String classpath = System.getProperty(CLASSPATH_PROPERTY);
    if (classpath == null || classpath.isBlank()) {
      System.err.println("load-gateway: -D" + CLASSPATH_PROPERTY + " (the effort CLI's classpath) is not set; run"
          + " scripts/load-gateway");
      System.exit(2);
    }
    HELIDON_LOG.setLevel(Level.WARNING); // its startup banners would bury the progress lines
    Path work = Files.createTempDirectory("load-gateway");
    List<Targets.Run> runs = new ArrayList<>();
    Map<String, ProcessMemory> memory = new LinkedHashMap<>();
    Optional<ManyStreams.Outcome> streams = Optional.empty();
    List<String> profile = List.of();
    String jit = "no JIT warmup";
    Path recording = options.out().toAbsolutePath().resolveSibling("load-gateway.jfr");
    try (FakeUpstream fast = FakeUpstream.start();
        FakeUpstream slow = FakeUpstream.start(SLOW_PAUSE,
            (int) (options.streamLength().toMillis() / SLOW_PAUSE.toMillis()))) {
      List<Running> gateways = new ArrayList<>();
      try {
        for (String setup : options.setups()) {
          gateways.add(start(options, setup, classpath, work, fast, slow, Optional.empty()));
        }
        Target direct = new Target(Target.DIRECT,
            URI.create("http://127.0.0.1:" + fast.port() + "/v1/chat/completions"), MODEL, Optional.empty());
        List<Target> targets = new ArrayList<>(List.of(direct));
        gateways.forEach(g -> targets.add(g.target()));
        jit = warmUpJit(options, targets, gateways);
        for (LoadOptions.Kind kind : options.kinds()) {
          for (Target target : targets) {
            runs.add(open(options, target, kind, process(gateways, target), kind.label));
          }
        }
        for (Target target : targets) {
          runs.add(closed(options, target, process(gateways, target)));
        }
        Optional<Running> profiled = gateways.stream().filter(g -> g.setup().name().equals(GatewaySetup.SQLITE)).findFirst();
        if (options.jfr() && profiled.isPresent()) {
          // A pass of its own, so that the recording's cost is in no figure the targets are checked on.
          GatewayProcess gateway = profiled.get().process();
          gateway.startRecording(recording);
          runs.add(open(options, profiled.get().target(), LoadOptions.Kind.JSON, Optional.of(gateway), "json+jfr"));
          gateway.stopRecording();
          profile = JfrProfile.read(recording).lines();
        }
        for (Running g : gateways) {
          memory.put(g.setup().name(), g.process().memory());
        }
      } finally {
        stop(gateways);
      }
      if (options.streams() > 0) {
        Running g = start(options, "sqlite", classpath, work, fast, slow, Optional.of(options.streamHeap()));
        try {
          warmUpJit(options, List.of(g.target()), List.of());
          Target target = new Target(g.target().name(), g.target().chat(), SLOW_MODEL, g.target().apiKey());
          progress("%d streams at once through a gateway with -Xmx%s, each %d s long ...", options.streams(),
              options.streamHeap(), options.streamLength().toSeconds());
          ManyStreams.Outcome o = ManyStreams.run(target, slow, g.process(), options.streams(), options.streamLength());
          progress("  %d errors, %d open at once, heap used %.0f MiB (live %.0f MiB), RSS %.0f MiB",
              o.result().errorCount(), o.openAtOnce(), o.memory().heapUsed(), o.memory().heapLive(), o.memory().rss());
          streams = Optional.of(o);
        } finally {
          stop(List.of(g));
        }
      }
    }
    deleteWorkFolder(work); // kept only when the run failed: its gateways' logs and configs
    String summary = Summary.of(options, jit, runs, memory, streams, profile);
    System.out.println();
    System.out.print(summary);
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    Files.writeString(options.out(), summary);
    System.out.println("\n(written to " + options.out() + (profile.isEmpty() ? "" : "; JFR recording " + recording) + ")");
    // Helidon may keep a listener thread (not a daemon) waiting for idle keep-alive connections.
    System.exit(0);
  }

  private static void deleteWorkFolder(Path work) throws IOException {
    try (var files = Files.list(work)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(work);
  }

  /** A fresh store with the load's key, a config naming both upstreams, and the gateway on it. */
  private static Running start(LoadOptions options, String setupName, String classpath, Path work, FakeUpstream fast,
      FakeUpstream slow, Optional<String> maxHeap) throws Exception {
    GatewaySetup setup = setupName.equals("sqlite") ? GatewaySetup.sqlite(work)
        : GatewaySetup.postgres(options.postgres(), options.redis());
    try {
      String secret = setup.createKey();
      Path config = setup.writeConfig(work, fast.port(), slow.port());
      progress("starting the %s gateway (effort serve%s) ...", setup.name(), maxHeap.map(h -> ", -Xmx" + h).orElse(""));
      GatewayProcess process = GatewayProcess.start(classpath, config, maxHeap,
          work.resolve("gateway-" + setup.name().replace('+', '-') + ".log"));
      Target target = new Target(setup.name(), URI.create("http://127.0.0.1:" + process.port() + "/v1/chat/completions"),
          "effort", Optional.of(secret));
      Running running = new Running(setup, process, target);
      try {
        checkOneAnswer(target);
      } catch (IOException | RuntimeException e) {
        stop(List.of(running));
        throw e;
      }
      return running;
    } catch (Exception e) {
      setup.drop().run();
      throw e;
    }
  }

  private static void stop(List<Running> gateways) throws InterruptedException {
    for (Running g : gateways) {
      g.process().close();
      g.setup().drop().run();
    }
  }

  private static Optional<GatewayProcess> process(List<Running> gateways, Target target) {
    return gateways.stream().filter(g -> g.target() == target).map(Running::process).findFirst();
  }

  /** @param label the run's kind in the report: the request kind, or json+jfr for the profiled pass */
  private static Targets.Run open(LoadOptions options, Target target, LoadOptions.Kind kind,
      Optional<GatewayProcess> gateway, String label) throws InterruptedException {
    progress("%s %s: %d requests/s, %d s warmup + %d s measured ...", target.name(), label, options.rate(),
        options.warmup().toSeconds(), options.measured().toSeconds());
    GatewayCpu cpu = new GatewayCpu(gateway);
    ScenarioResult r;
    try (ChatClient client = new ChatClient(target, kind.body(target.model()), kind.streamed)) {
      r = OpenLoop.run(target.name() + " " + label, client, options.rate(), options.warmup(), options.measured(),
          cpu::begin);
    }
    Targets.Run run = cpu.end(target.name(), label, r);
    progress("  %d requests, %d errors, %.0f req/s, p50 %.3f ms, p99 %.3f ms, gateway %.0f us CPU/request, other"
            + " processes %.0f%% CPU", r.requests(), r.errorCount(), r.throughput(), r.latency().p50(), r.latency().p99(),
        run.gatewayCpuMicros(), 100 * run.result().othersCpu());
    return run;
  }

  private static Targets.Run closed(LoadOptions options, Target target, Optional<GatewayProcess> gateway)
      throws InterruptedException {
    progress("%s closed loop json: %d clients, %d s warmup + %d s measured ...", target.name(), options.clients(),
        options.closedWarmup().toSeconds(), options.closedMeasured().toSeconds());
    GatewayCpu cpu = new GatewayCpu(gateway);
    ScenarioResult r;
    try (ChatClient client = new ChatClient(target, ChatClient.body(target.model(), false), false)) {
      r = ClosedLoop.run(target.name() + " closed", client, options.clients(), options.closedWarmup(),
          options.closedMeasured(), cpu::begin);
    }
    Targets.Run run = cpu.end(target.name(), "closed", r);
    progress("  %d requests, %d errors, %.0f req/s, gateway %.0f us CPU/request, other processes %.0f%% CPU",
        r.requests(), r.errorCount(), r.throughput(), run.gatewayCpuMicros(), 100 * run.result().othersCpu());
    return run;
  }

  /**
   * The gateway process's CPU time over a measured window: per answered request, and taken out of
   * the share of the machine that {@link MachineLoad} counts as other processes' (it sees only this
   * JVM as ours).
   */
  private static final class GatewayCpu {
    private final Optional<GatewayProcess> gateway;
    private long cpuNanos = -1;
    private long startNanos;

    GatewayCpu(Optional<GatewayProcess> gateway) {
      this.gateway = gateway;
    }

    void begin() {
      startNanos = System.nanoTime();
      cpuNanos = gateway.map(GatewayProcess::cpuNanos).orElse(-1L);
    }

    Targets.Run end(String target, String kind, ScenarioResult r) {
      long used = gateway.isEmpty() || cpuNanos < 0 ? -1 : gateway.get().cpuNanos() - cpuNanos;
      if (used < 0) {
        return new Targets.Run(target, kind, r, Double.NaN);
      }
      int answered = r.requests() - r.errorCount();
      double share = used / ((double) (System.nanoTime() - startNanos) * Runtime.getRuntime().availableProcessors());
      ScenarioResult othersLessGateway = new ScenarioResult(r.name(), r.requests(), r.errors(), r.throughput(),
          r.latency(), r.ttft(), r.sendLag(), Math.max(0, r.othersCpu() - share), r.cpuMicrosPerRequest());
      return new Targets.Run(target, kind, othersLessGateway, answered > 0 ? used / 1e3 / answered : Double.NaN);
    }
  }

  /** Share of one core under which a gateway's JIT compiler threads count as settled. */
  private static final double COMPILER_SETTLED = 0.05;
  private static final Duration JIT_ROUND = Duration.ofSeconds(3);

  /**
   * Every path at full speed before any figure is taken, until the JIT has settled. A cold JVM
   * serves a fraction of its later rate, and a fresh gateway's C2 compiler threads keep half a core
   * busy for a minute or two of load on these paths: figures taken meanwhile measure the compiler
   * as much as the gateway, which a deployed gateway pays once. First 4 clients back to back on each
   * path, then rounds of the open loop at the run's rate on every path (that load compiles code a
   * closed loop does not reach), until each gateway's compiler threads used under {@link
   * #COMPILER_SETTLED} of a core over a round, or {@code --jit-warmup-max} is spent.
   *
   * @return what the report says about it
   */
  private static String warmUpJit(LoadOptions options, List<Target> targets, List<Running> gateways)
      throws InterruptedException {
    Duration each = Duration.ofSeconds(Math.max(5, Math.min(options.warmup().toSeconds(), 10)));
    progress("JIT warmup: %d s on each path (json and stream, %d targets), 4 clients back to back ...",
        each.toSeconds(), targets.size());
    long start = System.nanoTime();
    for (boolean stream : new boolean[] {false, true}) {
      for (Target target : targets) {
        try (ChatClient client = new ChatClient(target, ChatClient.body(target.model(), stream), stream)) {
          ClosedLoop.run("warmup", client, 4, Duration.ZERO, each, () -> {});
        }
      }
    }
    long deadline = start + options.jitWarmupMax().toNanos();
    String shares = "";
    int rounds = 0;
    while (!gateways.isEmpty() && System.nanoTime() < deadline) {
      long[] before = gateways.stream().mapToLong(g -> g.process().compilerCpuNanos()).toArray();
      long roundStart = System.nanoTime();
      for (LoadOptions.Kind kind : options.kinds().isEmpty() ? List.of(LoadOptions.Kind.JSON) : options.kinds()) {
        for (Target target : targets) {
          try (ChatClient client = new ChatClient(target, kind.body(target.model()), kind.streamed)) {
            OpenLoop.run("warmup", client, options.rate(), Duration.ZERO, JIT_ROUND, () -> {});
          }
        }
      }
      rounds++;
      double wall = System.nanoTime() - roundStart;
      List<String> perGateway = new ArrayList<>();
      boolean settled = true;
      for (int i = 0; i < gateways.size(); i++) {
        long after = gateways.get(i).process().compilerCpuNanos();
        double share = before[i] < 0 || after < 0 ? 0 : (after - before[i]) / wall;
        settled &= share < COMPILER_SETTLED;
        perGateway.add(String.format(Locale.ROOT, "%s %.0f%%", gateways.get(i).setup().name(), 100 * share));
      }
      shares = String.join(", ", perGateway);
      progress("  round %d: JIT compiler threads used %s of a core", rounds, shares);
      if (settled) {
        break;
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    return gateways.isEmpty() ? String.format(Locale.ROOT, "JIT warmup %d s", seconds)
        : String.format(Locale.ROOT, "JIT warmup %d s, %d open-loop rounds; compiler threads in the last: %s of a core%s",
            seconds, rounds, shares, System.nanoTime() >= deadline ? " (--jit-warmup-max reached: not settled)" : "");
  }

  /** One answer through the gateway up front: a broken setup stops the run with its error body, not with counts. */
  private static void checkOneAnswer(Target target) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(target.chat())
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ChatClient.body(target.model(), false)));
    target.apiKey().ifPresent(k -> request.header("Authorization", "Bearer " + k));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the " + target.name() + " gateway answered a first request with HTTP "
          + response.statusCode() + ": " + response.body());
    }
  }

  static void progress(String format, Object... args) {
    System.err.println(String.format(java.util.Locale.ROOT, format, args));
  }
}
