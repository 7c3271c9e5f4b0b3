package dev.effort.server.store;

import dev.effort.core.Effort;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process for the durability test: appends ledger entries until killed, from one thread or
 * from several at once ({@code args[1]}), printing each id once {@link Ledger#append} has returned,
 * that is, once the gateway would have answered.
 */
public final class LedgerWriter {
  private LedgerWriter() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    try (Store store = Store.open(args[0])) {
      out.println("open");
      out.flush();
      List<Thread> appenders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        appenders.add(Thread.ofVirtual().start(() -> {
          for (long i = 0; ; i++) {
            long id = store.ledger().append(new LedgerEntry(LedgerEntry.NEW, null, Instant.now(), "openai", Effort.HIGH,
                Effort.HIGH, "single", "child-model", i, 2 * i, 0, 0.001, null, 5, 200, null, null));
            synchronized (out) {
              out.println(id);
              out.flush();
            }
          }
        }));
      }
      for (Thread t : appenders) {
        t.join();
      }
    }
  }
}
