package dev.effort.server;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A gateway in its own process, for tests that kill it or run two: replay of the recorded data,
 * keys and ledger in {@code args[0]} (a JDBC URL), limits in Redis when {@code args[1]} is a
 * Redis URL (else "-"). Prints {@code PORT <n>} once it listens.
 */
public final class GatewayNode {
  private GatewayNode() {}

  public static void main(String[] args) throws Exception {
    Optional<String> redis = args[1].equals("-") ? Optional.empty() : Optional.of(args[1]);
    Governance governance = new Governance(Store.open(args[0]), Optional.empty(), Optional.empty(),
        Governance.OverBudget.LOWER, redis, TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    Path data = Path.of(args[2]);
    Gateway gateway = Gateway.start(GatewayConfig.defaults(), Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), data),
        Optional.empty(), governance, 0);
    System.out.println("PORT " + gateway.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Starts a node as a child JVM on this test's classpath and waits until it listens. */
  static Started start(String jdbcUrl, String redisUrl) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        GatewayNode.class.getName(), jdbcUrl, redisUrl, RunningGateway.data().toString())
        .redirectErrorStream(true).start();
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.startsWith("PORT ")) {
        int port = Integer.parseInt(line.substring(5).strip());
        // Keep draining its output so that it never blocks on a full pipe.
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
        return new Started(p, port);
      }
    }
    throw new IllegalStateException("the gateway node exited before listening:\n" + seen);
  }

  record Started(Process process, int port) {}
}
