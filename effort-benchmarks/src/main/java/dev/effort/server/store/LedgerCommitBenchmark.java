package dev.effort.server.store;

import dev.effort.core.Effort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Ledger appends per second and each append's latency (p50, p99) with 1, 16 and 64 concurrent
 * appenders, committing in groups ({@link Ledger#append}) against one commit per row (the path
 * before group commit, {@link SqlLedger#appendAlone}), on SQLite and PostgreSQL. Both run in the
 * same process on the same database, in alternating order, so their ratio is what to read on a
 * shared, noisy machine. Run by {@code scripts/bench-ledger}. In this package for the baseline,
 * which the store keeps package-private.
 */
public final class LedgerCommitBenchmark {

  static final String USAGE = """
      Usage: scripts/bench-ledger [--seconds S] [--warmup S] [--rounds N] [--appenders 1,16,64]
                                  [--engines sqlite,postgresql] [--postgres JDBC_URL] [--out FILE]
        --seconds    measured seconds of each run (default 5)
        --warmup     seconds of warm-up per engine and mode, not counted (default 3)
        --rounds     runs of each (engine, appenders, mode), alternating the order of the modes (default 2)
        --postgres   database in which a scratch schema is made and dropped
                     (default jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres)
        --out        summary file (default effort-benchmarks/target/bench-ledger.txt)""";

  private record Options(int seconds, int warmup, int rounds, int[] appenders, List<String> engines,
      String postgres, Path out) {

    static Options parse(String[] args) {
      int seconds = 5;
      int warmup = 3;
      int rounds = 2;
      int[] appenders = {1, 16, 64};
      List<String> engines = List.of("sqlite", "postgresql");
      String postgres = "jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres";
      Path out = Path.of("effort-benchmarks/target/bench-ledger.txt");
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
          case "--seconds" -> seconds = Integer.parseInt(value);
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--appenders" -> appenders = Arrays.stream(value.split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
          case "--engines" -> engines = Arrays.stream(value.split(",")).map(String::strip).toList();
          case "--postgres" -> postgres = value;
          case "--out" -> out = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
        }
      }
      if (seconds < 1 || warmup < 0 || rounds < 1 || appenders.length == 0) {
        throw new IllegalArgumentException("--seconds and --rounds need at least 1, --warmup at least 0\n" + USAGE);
      }
      for (String e : engines) {
        if (!e.equals("sqlite") && !e.equals("postgresql")) {
          throw new IllegalArgumentException("unknown engine " + e + "; accepted: sqlite, postgresql");
        }
      }
      return new Options(seconds, warmup, rounds, appenders, engines, postgres, out);
    }
  }

  private enum Mode {
    ONE_ROW_A_COMMIT("one row a commit", SqlLedger::appendAlone),
    GROUP_COMMIT("group commit", SqlLedger::append);

    final String label;
    final Appending appending;

    Mode(String label, Appending appending) {
      this.label = label;
      this.appending = appending;
    }
  }

  @FunctionalInterface
  private interface Appending {
    long append(SqlLedger ledger, LedgerEntry row);
  }

  /** What one (mode, appenders) measured, summed over rounds. */
  private static final class Tally {
    long appends;
    long nanos;
    final List<long[]> latencies = new ArrayList<>();

    void add(Tally other) {
      appends += other.appends;
      nanos += other.nanos;
      latencies.addAll(other.latencies);
    }

    double perSecond() {
      return appends / (nanos / 1e9);
    }

    double percentileMs(double q) {
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, Math.ceil(q * all.length) - 1)] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-ledger: " + e.getMessage());
      System.exit(2);
      return;
    }
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "Ledger appends: %d s runs x %d rounds, modes alternating; %d cores%n",
        o.seconds(), o.rounds(), Runtime.getRuntime().availableProcessors()));
    report.append(String.format(Locale.ROOT, "%-10s %9s  %-16s %11s %9s %9s   %s%n",
        "engine", "appenders", "mode", "appends/s", "p50 ms", "p99 ms", "group / one-a-commit"));
    for (String engine : o.engines()) {
      Path dir = Files.createTempDirectory("bench-ledger");
      String url = engine.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("ledger.db") : null;
      String schema = null;
      if (url == null) {
        schema = "effort_bench_" + UUID.randomUUID().toString().replace("-", "");
        execute(o.postgres(), "CREATE SCHEMA " + schema);
        url = o.postgres() + (o.postgres().contains("?") ? "&" : "?") + "currentSchema=" + schema;
      }
      try (Store store = Store.open(url)) {
        SqlLedger ledger = (SqlLedger) store.ledger();
        for (Mode m : Mode.values()) {
          measure(ledger, m, 16, o.warmup(), new Tally());
        }
        for (int n : o.appenders()) {
          Tally[] tallies = {new Tally(), new Tally()};
          List<String> roundRatios = new ArrayList<>();
          for (int r = 0; r < o.rounds(); r++) {
            Mode[] order = r % 2 == 0 ? Mode.values() : new Mode[] {Mode.GROUP_COMMIT, Mode.ONE_ROW_A_COMMIT};
            Tally[] round = {new Tally(), new Tally()};
            for (Mode m : order) {
              measure(ledger, m, n, o.seconds(), round[m.ordinal()]);
              tallies[m.ordinal()].add(round[m.ordinal()]);
            }
            roundRatios.add(String.format(Locale.ROOT, "x%.2f",
                round[Mode.GROUP_COMMIT.ordinal()].perSecond() / round[Mode.ONE_ROW_A_COMMIT.ordinal()].perSecond()));
          }
          Tally alone = tallies[Mode.ONE_ROW_A_COMMIT.ordinal()];
          Tally group = tallies[Mode.GROUP_COMMIT.ordinal()];
          for (Mode m : Mode.values()) {
            Tally t = tallies[m.ordinal()];
            String ratio = m == Mode.GROUP_COMMIT ? String.format(Locale.ROOT, "x%.2f appends/s, x%.2f p50, x%.2f p99",
                group.perSecond() / alone.perSecond(), group.percentileMs(0.5) / alone.percentileMs(0.5),
                group.percentileMs(0.99) / alone.percentileMs(0.99)) : "";
            String line = String.format(Locale.ROOT, "%-10s %9d  %-16s %11.0f %9.3f %9.3f   %s%n", engine, n, m.label,
                t.perSecond(), t.percentileMs(0.5), t.percentileMs(0.99), ratio);
            report.append(line);
            System.out.print(line);
          }
          report.append(String.format(Locale.ROOT, "%-10s %9d  appends/s ratio of each round: %s%n", engine, n,
              String.join(", ", roundRatios)));
        }
        report.append(String.format(Locale.ROOT, "%-10s commits %d for %d rows in all%n", engine,
            ledger.commitCount(), ledger.count()));
      } finally {
        if (schema != null) {
          execute(o.postgres(), "DROP SCHEMA " + schema + " CASCADE");
        }
        deleteFolder(dir);
      }
    }
    Files.createDirectories(o.out().toAbsolutePath().getParent());
    Files.writeString(o.out(), report);
    System.out.print("\n" + report);
    System.out.println("summary: " + o.out());
  }

  /** {@code appenders} virtual threads appending as fast as they can for {@code seconds}. */
  private static void measure(SqlLedger ledger, Mode mode, int appenders, int seconds, Tally tally) throws Exception {
    if (seconds == 0) {
      return;
    }
    LedgerEntry row = new LedgerEntry(LedgerEntry.NEW, null, Instant.now(), "openai", Effort.HIGH, Effort.MEDIUM,
        "single(bench-model)", "bench-model", 1200, 300, 0, 0.0042, 180L, 900, 200, null, null);
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    long[][] perThread = new long[appenders][];
    int[] counts = new int[appenders];
    for (int t = 0; t < appenders; t++) {
      int slot = t;
      threads.add(Thread.ofVirtual().start(() -> {
        long[] lat = new long[1024];
        int n = 0;
        long now = System.nanoTime();
        while (now < end) {
          mode.appending.append(ledger, row);
          long after = System.nanoTime();
          if (n == lat.length) {
            lat = Arrays.copyOf(lat, 2 * n);
          }
          lat[n++] = after - now;
          now = after;
        }
        perThread[slot] = lat;
        counts[slot] = n;
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    tally.nanos += elapsed;
    for (int t = 0; t < appenders; t++) {
      tally.appends += counts[t];
      tally.latencies.add(Arrays.copyOf(perThread[t], counts[t]));
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void deleteFolder(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private LedgerCommitBenchmark() {}
}
