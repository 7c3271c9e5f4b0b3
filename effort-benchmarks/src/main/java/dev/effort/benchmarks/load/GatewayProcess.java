package dev.effort.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code effort serve --config FILE} in its own JVM, started as the {@code effort} launcher starts
 * it, so that its heap and resident memory are its own; read with {@code jcmd} and {@code /proc}.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final String RECORDING = "load-gateway";

  private final Process process;
  private final int port;
  private final Path log;

  private GatewayProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the gateway and waits until it listens.
   *
   * @param classpath the CLI's runtime classpath ({@code dev.effort.cli.Main})
   * @param maxHeap e.g. {@code 256m}; empty: the JVM's default (a quarter of the memory), as deployed
   * @param log where its standard output and error go
   */
  static GatewayProcess start(String classpath, Path config, Optional<String> maxHeap, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool("java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-Djava.awt.headless=true", "-Deffort.home=" + Path.of("").toAbsolutePath()));
    maxHeap.ifPresent(h -> command.add("-Xmx" + h));
    command.addAll(List.of("-cp", classpath, "dev.effort.cli.Main", "serve", "--config", config.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        return new GatewayProcess(process, Integer.parseInt(m.group(1)), log);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the gateway exited with " + process.exitValue() + ":\n" + tail(log));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the gateway did not listen within " + START_TIMEOUT.toSeconds() + " s:\n" + tail(log));
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /**
   * The gateway's memory now: heap in use, then (after a full GC that {@code jcmd} asks for) the
   * heap still live, and the resident set (now and its peak so far); unknown if the process cannot
   * be read (it died, say of an OutOfMemoryError), which the report then shows.
   */
  ProcessMemory memory() throws InterruptedException {
    try {
      double used = ProcessMemory.heapUsedMib(jcmd("GC.heap_info"));
      jcmd("GC.run");
      double live = ProcessMemory.heapUsedMib(jcmd("GC.heap_info"));
      String status = Files.readString(Path.of("/proc/" + pid() + "/status"));
      return new ProcessMemory(used, live, ProcessMemory.statusMib(status, "VmRSS"), ProcessMemory.statusMib(status, "VmHWM"));
    } catch (IOException e) {
      LoadGateway.progress("warning: the gateway's memory could not be read: %s", e.getMessage());
      return ProcessMemory.UNKNOWN;
    }
  }

  /** CPU time the process has used so far (user and system, at the kernel's 10 ms resolution); -1 if unknown. */
  long cpuNanos() {
    try {
      return cpuNanos(Path.of("/proc/" + pid() + "/stat"));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time the JVM's JIT compiler threads (C1 and C2) have used so far; -1 if unknown. While it
   * grows the gateway is still compiling, and every figure would measure that too.
   */
  long compilerCpuNanos() {
    try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
      long nanos = 0;
      for (Path task : tasks.toList()) {
        try {
          // "C1 CompilerThre", "C2 CompilerThre" (names cut at 15 characters)
          if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
            nanos += cpuNanos(task.resolve("stat"));
          }
        } catch (IOException e) {
          // the thread ended between listing and reading: its time is gone with it
        }
      }
      return nanos;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** User and system time in a process's or thread's {@code stat} file, at the kernel's 10 ms resolution. */
  private static long cpuNanos(Path stat) throws IOException {
    String text = Files.readString(stat);
    // pid (comm) state ppid ...: utime and stime are fields 14 and 15, in USER_HZ (100 a second)
    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }

  /** Starts a JFR recording with the {@code profile} settings, Java methods sampled at the most (every 1 ms). */
  void startRecording(Path file) throws IOException, InterruptedException {
    jcmd("JFR.start", "name=" + RECORDING, "settings=profile", "method-profiling=max", "filename=" + file.toAbsolutePath());
  }

  /** Stops the recording and writes its file. */
  void stopRecording() throws IOException, InterruptedException {
    jcmd("JFR.stop", "name=" + RECORDING);
  }

  /** Its log, when something went wrong. */
  String logTail() throws IOException {
    return tail(log);
  }

  /** SIGTERM: the gateway closes itself (shutdown hook), as on Ctrl-C. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String jcmd(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool("jcmd").toString(), Long.toString(pid())));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private static Path tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
