package dev.effort.server.store;

import dev.effort.core.Effort;
import java.io.PrintStream;
import java.time.Instant;

/**
 * A child process for the durability test: appends ledger entries until killed, printing each id
 * once {@link Ledger#append} has returned, that is, once the gateway would have answered.
 */
public final class LedgerWriter {
  private LedgerWriter() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    try (Store store = Store.open(args[0])) {
      out.println("open");
      out.flush();
      for (long i = 0; ; i++) {
        long id = store.ledger().append(new LedgerEntry(LedgerEntry.NEW, null, Instant.now(), "openai", Effort.HIGH,
            Effort.HIGH, "single", "child-model", i, 2 * i, 0, 0.001, null, 5, 200, null, null));
        out.println(id);
        out.flush();
      }
    }
  }
}
