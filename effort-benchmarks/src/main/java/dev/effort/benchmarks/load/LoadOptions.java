package dev.effort.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The load test's command line. */
record LoadOptions(int rate, Duration warmup, Duration jitWarmupMax, Duration measured, int clients, Duration closedWarmup,
    Duration closedMeasured, List<String> setups, List<Kind> kinds, int streams, Duration streamLength,
    String streamHeap, String postgres, String redis, boolean jfr, Path out) {

  /** What each request asks for. */
  enum Kind {
    JSON("json", false),
    STREAM("stream", true),
    TOOL("tool", true);

    final String label;
    final boolean streamed;

    Kind(String label, boolean streamed) {
      this.label = label;
      this.streamed = streamed;
    }

    String body(String model) {
      return this == TOOL ? ChatClient.toolBody(model) : ChatClient.body(model, streamed);
    }
  }

  static final List<String> SETUPS = List.of("sqlite", "postgres");
  static final String DEFAULT_POSTGRES = System.getProperty("effort.test.postgres",
      "jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres");
  /** Database 15: apart from the tests' keys in database 0. */
  static final String DEFAULT_REDIS = "redis://localhost:6379/15";

  static final String USAGE = """
      usage: load-gateway [--rate N] [--seconds S] [--warmup S] [--jit-warmup-max S] [--clients N] [--closed-seconds S]
                          [--closed-warmup S] [--setups sqlite,postgres] [--kinds json,stream,tool]
                          [--streams N] [--stream-seconds S] [--stream-heap SIZE] [--postgres JDBC_URL]
                          [--redis URL] [--jfr] [--out FILE]
        --rate            open-loop arrivals per second (default 1000)
        --seconds         measured seconds per open-loop scenario (default 10)
        --warmup          warmup seconds before each open-loop scenario (default 3)
        --jit-warmup-max  longest JIT warmup before any figure: every path is driven at the rate until
                          the gateways' JIT compiler threads use under 5% of a core (default 300)
        --clients         concurrent clients of the closed-loop pass (default 16)
        --closed-seconds  measured seconds of each closed-loop pass (default 8)
        --closed-warmup   warmup seconds before each closed-loop pass (default 2)
        --setups          gateways to measure, governance on: sqlite, postgres (PostgreSQL ledger,
                          Redis limits) (default both; none: only direct, for a quick check)
        --kinds           open-loop request kinds: json, stream, tool (a streamed tool call) (default all)
        --streams         concurrent slow streams held through a gateway with a bounded heap (default
                          1000; 0 skips)
        --stream-seconds  how long each of those streams lasts, one delta every 250 ms (default 20)
        --stream-heap     that gateway's -Xmx (default 256m)
        --postgres        PostgreSQL for the postgres setup; a fresh schema is made and dropped
                          (default -Deffort.test.postgres or localhost:5432/effort_test)
        --redis           Redis for the postgres setup; Effort's keys in it are deleted before and
                          after (default redis://localhost:6379/15)
        --jfr             one more json open loop through the sqlite gateway, recorded with JFR (its
                          own row, json+jfr); the summary shows where the gateway's CPU time goes
        --out             where the summary is written (default effort-benchmarks/target/load-gateway.txt)""";

  static LoadOptions parse(String[] args) {
    int rate = 1000;
    int seconds = 10;
    int warmup = 3;
    int jitWarmupMax = 300;
    int clients = 16;
    int closedSeconds = 8;
    int closedWarmup = 2;
    List<String> setups = SETUPS;
    List<Kind> kinds = List.of(Kind.values());
    int streams = 1000;
    int streamSeconds = 20;
    String streamHeap = "256m";
    String postgres = DEFAULT_POSTGRES;
    String redis = DEFAULT_REDIS;
    boolean jfr = false;
    Path out = Path.of("effort-benchmarks/target/load-gateway.txt");
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("-h") || flag.equals("--help")) {
        System.out.println(USAGE);
        System.exit(0);
      }
      if (flag.equals("--jfr")) {
        jfr = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (flag) {
        case "--rate" -> rate = positive(flag, value);
        case "--seconds" -> seconds = positive(flag, value);
        case "--warmup" -> warmup = nonNegative(flag, value);
        case "--jit-warmup-max" -> jitWarmupMax = nonNegative(flag, value);
        case "--clients" -> clients = positive(flag, value);
        case "--closed-seconds" -> closedSeconds = positive(flag, value);
        case "--closed-warmup" -> closedWarmup = nonNegative(flag, value);
        case "--setups" -> setups = setups(value);
        case "--kinds" -> kinds = kinds(value);
        case "--streams" -> streams = nonNegative(flag, value);
        case "--stream-seconds" -> streamSeconds = positive(flag, value);
        case "--stream-heap" -> streamHeap = heap(value);
        case "--postgres" -> postgres = value;
        case "--redis" -> redis = value;
        case "--out" -> out = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    return new LoadOptions(rate, Duration.ofSeconds(warmup), Duration.ofSeconds(jitWarmupMax), Duration.ofSeconds(seconds), clients,
        Duration.ofSeconds(closedWarmup), Duration.ofSeconds(closedSeconds), setups, kinds, streams,
        Duration.ofSeconds(streamSeconds), streamHeap, postgres, redis, jfr, out);
  }

  private static List<String> setups(String value) {
    List<String> chosen = new ArrayList<>();
    for (String s : list(value)) {
      if (!SETUPS.contains(s)) {
        throw new IllegalArgumentException("--setups: '" + s + "' is not one of " + String.join(", ", SETUPS) + ", none");
      }
      chosen.add(s);
    }
    return List.copyOf(chosen);
  }

  private static List<Kind> kinds(String value) {
    List<Kind> chosen = new ArrayList<>();
    for (String s : list(value)) {
      chosen.add(java.util.Arrays.stream(Kind.values()).filter(k -> k.label.equals(s)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--kinds: '" + s + "' is not one of json, stream, tool, none")));
    }
    return List.copyOf(chosen);
  }

  private static List<String> list(String value) {
    return value.equals("none") ? List.of()
        : java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String heap(String value) {
    if (!value.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("--stream-heap: expected a JVM heap size such as 256m, got " + value);
    }
    return value;
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
