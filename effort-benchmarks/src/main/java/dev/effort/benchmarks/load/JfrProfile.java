package dev.effort.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the gateway's CPU time went, from a JFR recording's execution samples: the hottest
 * methods on top of the stack, and the first of Effort's own methods under each sample (which of
 * our steps led there), plus where threads waited for a lock (monitor or {@code java.util.concurrent}
 * lock; not parks waiting for an answer, which are most of a gateway's waiting).
 */
final class JfrProfile {
  static final String EFFORT_PACKAGE = "dev.effort.";
  private static final int TOP = 15;

  private final Map<String, Integer> byTopFrame = new HashMap<>();
  private final Map<String, Integer> byEffortFrame = new HashMap<>();
  private final Map<String, Double> blockedMsByEffortFrame = new HashMap<>();
  private int samples;

  /** Reads every execution sample and lock wait of the recording. */
  static JfrProfile read(Path recording) throws IOException {
    JfrProfile profile = new JfrProfile();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        switch (event.getEventType().getName()) {
          case "jdk.ExecutionSample" -> profile.sample(event.getStackTrace());
          case "jdk.JavaMonitorEnter" -> profile.blocked(event);
          case "jdk.ThreadPark" -> {
            if (isLock(event.getClass("parkedClass"))) {
              profile.blocked(event);
            }
          }
          default -> { }
        }
      }
    }
    return profile;
  }

  void sample(RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = stack.getFrames();
    byTopFrame.merge(name(frames.get(0)), 1, Integer::sum);
    byEffortFrame.merge(firstEffortFrame(frames), 1, Integer::sum);
  }

  /** A park on a lock or semaphore, not on a future or a queue awaiting work. */
  private static boolean isLock(jdk.jfr.consumer.RecordedClass parked) {
    return parked != null && parked.getName().matches(".*(Lock|Semaphore)[^.]*");
  }

  private void blocked(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null) {
      return;
    }
    String where = firstEffortFrame(stack.getFrames());
    if (!where.startsWith("(")) {
      blockedMsByEffortFrame.merge(where, event.getDuration().toNanos() / 1e6, Double::sum);
    }
  }

  /** The report's lines: up to {@value #TOP} rows per table, each with its share of all samples. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "%d CPU samples of the gateway (jdk.ExecutionSample)", samples));
    out.add("hottest methods (top of the stack):");
    top(byTopFrame).forEach(e -> out.add(row(e.getValue(), e.getKey())));
    out.add("by the first Effort method under the sample (which of our steps led there):");
    top(byEffortFrame).forEach(e -> out.add(row(e.getValue(), e.getKey())));
    if (!blockedMsByEffortFrame.isEmpty()) {
      out.add("waits for a lock over JFR's threshold (jdk.JavaMonitorEnter, jdk.ThreadPark on a lock), total ms, by"
          + " first Effort method:");
      blockedMsByEffortFrame.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(TOP)
          .forEach(e -> out.add(String.format(Locale.ROOT, "  %10.1f ms  %s", e.getValue(), e.getKey())));
    }
    return out;
  }

  private String row(int count, String frame) {
    return String.format(Locale.ROOT, "  %5.1f%%  %6d  %s", 100.0 * count / Math.max(1, samples), count, frame);
  }

  private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts) {
    return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP).toList();
  }

  /** The first frame from the top in Effort's own code, or what the thread was doing outside it. */
  static String firstEffortFrame(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      // A lambda's hidden class names no step; the method that made it is further down.
      if (f.getMethod() != null && f.getMethod().getType().getName().startsWith(EFFORT_PACKAGE)
          && !f.getMethod().getType().getName().contains("$$Lambda")) {
        return name(f);
      }
    }
    return "(no Effort frame: server, HTTP client, JIT or GC work)";
  }

  private static String name(RecordedFrame frame) {
    if (frame.getMethod() == null) {
      return "(unknown)";
    }
    String type = frame.getMethod().getType().getName().replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda");
    int dot = type.lastIndexOf('.');
    return type.substring(dot + 1) + "." + frame.getMethod().getName() + " (" + type.substring(0, Math.max(0, dot)) + ")";
  }
}
