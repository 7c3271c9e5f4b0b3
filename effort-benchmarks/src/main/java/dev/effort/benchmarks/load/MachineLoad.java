package dev.effort.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was with OTHER processes while a scenario ran: on a shared 2-core machine a
 * build next door moves every percentile, so the report shows it next to the figures.
 * Linux only ({@code /proc/stat}); elsewhere the share is unknown (NaN).
 */
record MachineLoad(long busyTicks, long totalTicks, long processCpuNanos) {
  /** {@code /proc/stat} counts in USER_HZ, 100 per second on Linux. */
  private static final double NANOS_PER_TICK = 1e7;

  static MachineLoad now() {
    long process = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i != 4 && i != 5) {
          busy += v;
        }
      }
      return new MachineLoad(busy, total, process);
    } catch (IOException | RuntimeException e) {
      return new MachineLoad(-1, -1, process);
    }
  }

  /** Share of all cores' time (0 to 1) that other processes used since {@code start}. */
  double othersShareSince(MachineLoad start) {
    if (start.totalTicks < 0 || totalTicks <= start.totalTicks) {
      return Double.NaN;
    }
    double total = (totalTicks - start.totalTicks) * NANOS_PER_TICK;
    double busy = (busyTicks - start.busyTicks) * NANOS_PER_TICK;
    double ours = processCpuNanos - start.processCpuNanos;
    return Math.max(0, Math.min(1, (busy - ours) / total));
  }
}
