package dev.effort.benchmarks.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's memory in MiB (NaN when it could not be read).
 *
 * @param heapUsed Java heap in use, garbage included
 * @param heapLive Java heap in use right after a full GC: what the process holds
 * @param rss resident set now ({@code VmRSS}): heap, metaspace, code, thread stacks, buffers
 * @param peakRss the most resident memory the process has had so far ({@code VmHWM})
 */
record ProcessMemory(double heapUsed, double heapLive, double rss, double peakRss) {
  static final ProcessMemory UNKNOWN = new ProcessMemory(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Lines such as {@code garbage-first heap   total reserved 262144K, committed 65536K, used 23113K}. */
  private static final Pattern HEAP_USED = Pattern.compile("(?m)^.*\\btotal\\b.*?\\bused (\\d+)K");

  /**
   * The heap in use from {@code jcmd PID GC.heap_info}: the sum over its top-level lines (one for
   * G1, one per generation for the serial and parallel collectors).
   */
  static double heapUsedMib(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    long kib = 0;
    boolean found = false;
    while (m.find()) {
      kib += Long.parseLong(m.group(1));
      found = true;
    }
    return found ? kib / 1024.0 : Double.NaN;
  }

  /** A {@code /proc/PID/status} field in kB, such as {@code VmRSS:	  123456 kB}, in MiB. */
  static double statusMib(String status, String field) {
    Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB").matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
  }
}
