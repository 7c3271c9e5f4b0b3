package dev.effort.benchmarks.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.benchmarks.load.ScenarioResult.Percentiles;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import dev.effort.server.Governance;
import dev.effort.server.limits.BudgetPeriod;
import dev.effort.server.store.IssuedKey;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The soak: the gateway with governance on (SQLite ledger, one key with a daily budget and a rate
 * limit) in front of faulty upstreams, under a steady open-loop mix of clean requests, upstream
 * faults, bad input and clients that leave, for minutes; then what must hold whatever failed: no
 * HTTP 500, every answer a client received in the ledger, no spend beyond the budget. Run by
 * {@code scripts/soak}.
 */
public final class Soak {
  /** Kept referenced: a logger without a strong reference may lose its level. */
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");
  private static final Logger EFFORT_LOG = Logger.getLogger("dev.effort");

  /** The environment variable holding the (dummy) key of the Anthropic-format upstream; scripts/soak sets it. */
  static final String UPSTREAM_KEY_ENV = "EFFORT_SOAK_UPSTREAM_KEY";
  static final String SMALL = "soak-small";
  static final String LARGE = "soak-large";
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
  /** Longer than the client's timeout, so that every request ends on its own. */
  private static final Duration DRAIN = SoakRequests.CLIENT_TIMEOUT.plusSeconds(5);

  record Options(double minutes, int rate, double budgetUsd, int rpm, long seed, Path out) {
    static Options parse(String[] args) {
      double minutes = 10;
      int rate = 20;
      Double budget = null;
      Integer rpm = null;
      long seed = 1;
      Path out = Path.of("effort-benchmarks/target/soak.txt");
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
          case "--minutes" -> minutes = positive(flag, value);
          case "--rate" -> rate = (int) whole(flag, value);
          case "--budget-usd" -> budget = positive(flag, value);
          case "--rpm" -> rpm = (int) whole(flag, value);
          case "--seed" -> seed = whole(flag, value);
          case "--out" -> out = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
        }
      }
      return new Options(minutes, rate, budget != null ? budget : defaultBudget(minutes, rate),
          rpm != null ? rpm : (int) Math.ceil(rate * 60 * 0.9), seed, out);
    }

    /**
     * About what two thirds of the run's answers would cost (at about 13 answers a second for 20
     * requests a second, about 0.00025 USD each), so that the budget runs out during the soak and
     * the level lowering and refusals are exercised.
     */
    static double defaultBudget(double minutes, int rate) {
      return Math.round(minutes * rate / 20.0 * 0.13 * 1000) / 1000.0;
    }

    private static double positive(String flag, String value) {
      try {
        double d = Double.parseDouble(value);
        if (d > 0 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + ": expected a number above 0, got " + value);
    }

    private static long whole(String flag, String value) {
      try {
        long n = Long.parseLong(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + ": expected a whole number above 0, got " + value);
    }
  }

  static final String USAGE = """
      usage: soak [--minutes M] [--rate N] [--budget-usd X] [--rpm R] [--seed S] [--out FILE]
        --minutes     how long the load runs (default 10; decimals allowed, e.g. 0.5)
        --rate        requests per second, open loop (default 20)
        --budget-usd  the key's daily budget in USD (default 0.13 per minute at 20 requests/s, so that
                      it runs out during the run and lowering and refusals are exercised)
        --rpm         the key's requests per minute (default 90% of the rate, so that the rate limit refuses some)
        --seed        seed of the request mix (default 1): the same seed sends the same requests
        --out         where the summary is written (default effort-benchmarks/target/soak.txt)

      The gateway runs in this process as 'effort serve' would, with a SQLite ledger in a temporary
      folder and one API key, in front of local faulty upstreams (OpenAI-compatible and Anthropic
      format). The mix: clean requests (both formats, streamed or not, levels low/medium/high; 55%),
      faults the upstream shows once then answers ([fault:NAMEx1:TOKEN]; 12%), faults it always
      shows (6%), hangs under a 1.5 s Effort-Deadline (3%), a first token after 1.2 s (6%), bad
      input (broken JSON, wrong types, a 2 MiB body, deep nesting; 10%), clients closing a stream
      after its first event (5%), and missing or unknown keys (3%). Progress every 30 s; at the end
      a summary with PASS/FAIL for: no HTTP 500, no answer missing from the ledger, no spend beyond
      the budget. Exit status 1 on FAIL.""";

  private Soak() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (System.getenv(UPSTREAM_KEY_ENV) == null) {
      System.err.println("soak: set " + UPSTREAM_KEY_ENV + " (any value: the local Anthropic-format upstream's key),"
          + " or run scripts/soak, which does");
      System.exit(2);
    }
    // Their startup banners and the gateway's warnings about each injected fault would bury the progress lines.
    HELIDON_LOG.setLevel(Level.WARNING);
    EFFORT_LOG.setLevel(Level.SEVERE);
    boolean passed = run(options);
    // Helidon may keep a listener thread (not a daemon) waiting for idle keep-alive connections.
    System.exit(passed ? 0 : 1);
  }

  /** The local deployments: two of the small model (OpenAI-compatible), one of the large (Anthropic format). */
  record Upstreams(FaultyUpstream smallA, FaultyUpstream smallB, FaultyUpstream large) implements AutoCloseable {
    static Upstreams start() {
      FaultyUpstream a = FaultyUpstream.start();
      // One count per directive token across all three, so that a retry or fallback elsewhere succeeds.
      Upstreams u = new Upstreams(a, FaultyUpstream.startBeside(a), FaultyUpstream.startBeside(a));
      for (FaultyUpstream f : List.of(u.smallA, u.smallB, u.large)) {
        f.eventGap(Duration.ofMillis(20)); // a stream lasts long enough for a client to leave mid-way
      }
      return u;
    }

    @Override
    public void close() {
      smallA.close();
      smallB.close();
      large.close();
    }
  }

  static boolean run(Options options) throws Exception {
    Path dir = Files.createTempDirectory("effort-soak");
    String database = "jdbc:sqlite:" + dir.resolve("effort.db");
    IssuedKey key;
    try (Store store = Store.open(database)) {
      key = store.keys().create(KeySpec.named("soak").budgetUsdDay(options.budgetUsd()).rpm(options.rpm()).agent(true));
    }
    try (Upstreams upstreams = Upstreams.start()) {
      GatewayConfig config = config(options, database, upstreams, true);
      String deployments;
      Fleet fleet;
      try {
        fleet = Fleets.fromConfig(config, dir);
        deployments = SMALL + " on 2 deployments (small-a, small-b)";
      } catch (IllegalArgumentException e) {
        // Today a model listed by two providers is refused; then each model has one upstream.
        config = config(options, database, upstreams, false);
        fleet = Fleets.fromConfig(config, dir);
        deployments = SMALL + " on 1 deployment (small-a); a second was refused: " + e.getMessage();
      }
      Gateway gateway = startGoverned(config, fleet, dir);
      SoakTally tally = new SoakTally();
      Instant started = Instant.now();
      try {
        progress("soak: gateway on port %d (%s; %s); key 'soak' with budget %.3f USD/day, %d requests/min; ledger %s",
            gateway.port(), fleet.description(), deployments, options.budgetUsd(), options.rpm(), database);
        progress("soak: %.1f min at %d requests/s, seed %d ...", options.minutes(), options.rate(), options.seed());
        load(options, URI.create("http://127.0.0.1:" + gateway.port()), key.secret(), tally);
      } finally {
        gateway.close(); // and its governance: every ledger row committed before the ledger is read
      }
      Report report = summary(options, tally, deployments, upstreams, database, key, started, Instant.now());
      System.out.println();
      System.out.print(report.text());
      Files.createDirectories(options.out().toAbsolutePath().getParent());
      Files.writeString(options.out(), report.text());
      System.out.println("(written to " + options.out() + ")");
      return report.passed();
    }
  }

  /**
   * The gateway as {@code effort serve} starts it, on a free port, with governance on: keys, ledger,
   * budgets and limits as {@code config} says, opened in {@code dir}. Closing the gateway closes them.
   */
  static Gateway startGoverned(GatewayConfig config, Fleet fleet, Path dir) {
    Governance governance = Governance.open(config.governance(), dir);
    try {
      return Gateway.start(config, fleet, Optional.empty(), governance, 0);
    } catch (RuntimeException e) {
      governance.close();
      throw e;
    }
  }

  /** The summary, and whether every must held. */
  record Report(String text, boolean passed) {}

  /**
   * As a config file would declare it: the small model (cheap levels) on one or two OpenAI-compatible
   * upstreams, the large (high and above) on an Anthropic-format one; the tempo guard told that
   * machine speed is intended; over budget, the level is lowered.
   */
  static GatewayConfig config(Options options, String database, Upstreams upstreams, boolean twoDeployments) {
    List<GatewayConfig.ProviderConfig> providers = new ArrayList<>();
    providers.add(new GatewayConfig.ProviderConfig("small-a", "openai-compatible", upstreams.smallA().baseUrl().toString(),
        null, List.of(SMALL)));
    if (twoDeployments) {
      providers.add(new GatewayConfig.ProviderConfig("small-b", "openai-compatible",
          upstreams.smallB().baseUrl().toString(), null, List.of(SMALL)));
    }
    providers.add(new GatewayConfig.ProviderConfig("large", "anthropic", upstreams.large().baseUrl().toString(),
        UPSTREAM_KEY_ENV, List.of(LARGE)));
    GatewayConfig.GovernanceConfig governance = new GatewayConfig.GovernanceConfig(Optional.of(database),
        Optional.of("required"), "EFFORT_SOAK_ADMIN_KEY", Optional.empty(), "lower",
        GatewayConfig.GovernanceConfig.DEFAULTS.tempoMultiplier(), options.rate() * 5.0, false, 0);
    return new GatewayConfig(0, Optional.empty(), Effort.MEDIUM, GatewayConfig.DEFAULT_MAX_BODY_BYTES, Optional.empty(),
        1.0, providers, List.of(model(SMALL, "openai-compatible", 2, 10), model(LARGE, "anthropic", 5, 25)),
        Optional.of(ladder()), governance, GatewayConfig.ListenerConfig.DEFAULTS);
  }

  /**
   * The catalog entry of a model served by a local faulty upstream: its prices per million tokens,
   * low latency priors, no effort knob.
   */
  static ObjectNode model(String id, String provider, double inputUsd, double outputUsd) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("id", id);
    m.put("provider", provider);
    m.put("input_usd_per_million", inputUsd);
    m.put("output_usd_per_million", outputUsd);
    // Low priors: no level is lowered for the hang's short deadline before the upstream is tried.
    m.put("ttft_ms", 20);
    m.put("output_tokens_per_second", 1000);
    m.put("context_window", 128_000);
    m.put("source", "soak: a local faulty upstream");
    m.put("knob", "none");
    m.putArray("levels");
    m.put("max_output_tokens", 4096);
    return m;
  }

  /** Low and medium on the small model, high and above on the large: a fallback has somewhere to go. */
  private static JsonNode ladder() {
    ObjectNode ladder = Json.MAPPER.createObjectNode().put("fleet", "soak");
    ObjectNode levels = ladder.putObject("levels");
    for (Effort level : Effort.LEVELS) {
      String model = level.isAbove(Effort.MEDIUM) ? LARGE : SMALL;
      levels.putObject(level.name().toLowerCase(Locale.ROOT)).put("strategy", "single")
          .putArray("steps").addObject().put("model", model);
    }
    return ladder;
  }

  /** The open loop: request i is sent at start + i / rate, whatever the gateway does. */
  private static void load(Options options, URI gateway, String secret, SoakTally tally) throws InterruptedException {
    long total = Math.round(options.minutes() * 60 * options.rate());
    long interval = 1_000_000_000L / options.rate();
    SoakRequests mix = new SoakRequests(gateway, secret, options.seed());
    CountDownLatch finished = new CountDownLatch((int) total);
    long start = System.nanoTime();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "soak-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> progress("soak: %s %s", elapsed(start), tally.progress()),
        PROGRESS_EVERY.toSeconds(), PROGRESS_EVERY.toSeconds(), TimeUnit.SECONDS);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    try {
      for (long i = 0; i < total; i++) {
        long scheduled = start + i * interval;
        SoakRequests.Planned planned = mix.next(i);
        sleepUntil(scheduled);
        tally.sent();
        Thread.startVirtualThread(() -> {
          try {
            long t0 = System.nanoTime();
            SoakTally.Outcome outcome = send(http, planned);
            tally.add(planned, outcome, System.nanoTime() - t0);
          } finally {
            finished.countDown();
          }
        });
      }
      if (!finished.await(DRAIN.toSeconds(), TimeUnit.SECONDS)) {
        progress("soak: %d requests still unanswered %d s after the last was sent", finished.getCount(),
            DRAIN.toSeconds());
      }
      progress("soak: %s %s", elapsed(start), tally.progress());
    } finally {
      ticker.shutdownNow();
      http.close();
    }
  }

  /** Sends one request and reads its answer to the end (or leaves a stream after its first event). */
  static SoakTally.Outcome send(HttpClient http, SoakRequests.Planned p) {
    try {
      if (!p.stream()) {
        return SoakTally.Outcome.ofStatus(http.send(p.request(), HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      HttpResponse<InputStream> response = http.send(p.request(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        if (response.statusCode() != 200) {
          lines.transferTo(java.io.Writer.nullWriter());
          return SoakTally.Outcome.ofStatus(response.statusCode());
        }
        boolean ended = false;
        boolean error = false;
        String line;
        while ((line = lines.readLine()) != null) {
          if (p.kind() == SoakRequests.Kind.DISCONNECT && line.startsWith("data:")) {
            // Closing the body before its end closes the connection: the gateway sees the client go.
            return new SoakTally.Outcome(SoakTally.DISCONNECT, 200, "client left mid-stream");
          }
          ended |= line.equals("data: [DONE]") || line.equals("event: message_stop");
          error |= line.equals("event: error") || line.startsWith("data: {\"error\"");
        }
        if (error) {
          return SoakTally.Outcome.other(200, "200, then an error event in the stream");
        }
        return ended ? SoakTally.Outcome.ofStatus(200)
            : SoakTally.Outcome.other(200, "200, then the stream ended without its end event");
      } catch (IOException e) {
        return SoakTally.Outcome.other(200, "200, then the stream broke off");
      }
    } catch (HttpTimeoutException e) {
      return SoakTally.Outcome.other(0, "no answer within " + SoakRequests.CLIENT_TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return SoakTally.Outcome.other(0, "connection error (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SoakTally.Outcome.other(0, "interrupted");
    }
  }

  private static Report summary(Options options, SoakTally tally, String deployments, Upstreams upstreams,
      String database, IssuedKey key, Instant started, Instant ended) throws SQLException {
    StringBuilder s = new StringBuilder();
    SoakTally.line(s, "Effort soak: %.1f min at %d requests/s (seed %d), %s to %s; JDK %s, %d cores", options.minutes(),
        options.rate(), options.seed(), started, ended, Runtime.version(), Runtime.getRuntime().availableProcessors());
    SoakTally.line(s, "fleet: %s (levels low, medium) and %s (high and above, Anthropic format); %s", SMALL, LARGE,
        deployments);
    SoakTally.line(s, "key: daily budget %.3f USD, %d requests/min, marked agent; tempo_min_requests_per_second %d;"
        + " over budget: lower", options.budgetUsd(), options.rpm(), options.rate() * 5);
    SoakTally.line(s, "");
    tally.describe(s);
    SoakTally.line(s, "");
    SoakTally.line(s, "upstreams: requests received small-a %d, small-b %d, large %d; abandoned by the gateway"
        + " (cancelled) %d, %d, %d", upstreams.smallA().count(), upstreams.smallB().count(), upstreams.large().count(),
        upstreams.smallA().cancelled(), upstreams.smallB().cancelled(), upstreams.large().cancelled());

    Map<String, Long> answers = tally.answersByApi();
    Map<String, Long> rows200 = new TreeMap<>();
    Map<Integer, Long> rowsByStatus = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(database);
        PreparedStatement q = c.prepareStatement("SELECT api, status, COUNT(*) FROM ledger WHERE key_id = ? GROUP BY api, status")) {
      q.setLong(1, key.key().id());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          rowsByStatus.merge(r.getInt(2), r.getLong(3), Long::sum);
          if (r.getInt(2) == 200) {
            rows200.put(r.getString(1), r.getLong(3));
          }
        }
      }
    }
    // Rows carry no request id the client sees, so answers are matched to rows by count, per API.
    long missing = 0;
    for (Map.Entry<String, Long> e : answers.entrySet()) {
      missing += Math.max(0, e.getValue() - rows200.getOrDefault(e.getKey(), 0L));
    }
    double spent;
    try (Store store = Store.open(database)) {
      spent = store.ledger().spentUsd(key.key().id(), BudgetPeriod.DAY.start(ended));
    }
    double overrun = spent - options.budgetUsd();
    Percentiles latency = tally.okLatency();
    SoakTally.line(s, "ledger: rows by status %s", rowsByStatus);
    SoakTally.line(s, "ledger: rows with status 200 %s; complete 2xx answers clients received %s", rows200, answers);
    // More rows than answers is no fault: a client that left after the last byte was sent still has its row.
    SoakTally.line(s, "ledger: 2xx answers without a 200 row %d (must be 0); 200 rows beyond the answers %d", missing,
        rows200.values().stream().mapToLong(Long::longValue).sum() - answers.values().stream().mapToLong(Long::longValue).sum()
            + missing);
    SoakTally.line(s, "spend today %.6f USD of a %.3f USD budget (%+.6f)%s", spent, options.budgetUsd(), overrun,
        started.atZone(java.time.ZoneOffset.UTC).toLocalDate().equals(ended.atZone(java.time.ZoneOffset.UTC).toLocalDate())
            ? "" : " [the run crossed midnight UTC: only today's spend is counted]");
    SoakTally.line(s, "latency of 2xx answers (send to last byte): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        latency.p50(), latency.p90(), latency.p99(), latency.max());
    SoakTally.line(s, "");
    SoakTally.line(s, "musts:");
    boolean ok = must(s, "no HTTP 500", Long.toString(tally.http500()), tally.http500() == 0);
    ok &= must(s, "no answer missing from the ledger", Long.toString(missing), missing == 0);
    ok &= must(s, "no spend beyond the budget", String.format(Locale.ROOT, "%+.6f USD", overrun), overrun <= 1e-9);
    SoakTally.line(s, "soak: %s", ok ? "PASS" : "FAIL");
    return new Report(s.toString(), ok);
  }

  private static boolean must(StringBuilder s, String what, String measured, boolean met) {
    SoakTally.line(s, "  %-36s %16s   %s", what, measured, met ? "PASS" : "FAIL");
    return met;
  }

  private static String elapsed(long startNanos) {
    long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** Parks rather than spins: a spinning scheduler would take a core from the gateway. */
  private static void sleepUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  private static void progress(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
