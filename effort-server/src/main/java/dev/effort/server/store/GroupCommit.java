package dev.effort.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Commits ledger rows in groups. A writer thread takes every row waiting (up to {@link
 * #MAX_ROWS_PER_COMMIT}), inserts them in one transaction, commits, then releases each appender
 * with its row's id. A commit costs far more than an insert (a WAL write on SQLite, a WAL flush on
 * PostgreSQL), so under load many rows share one. Nothing waits for company: when nothing is being
 * written and nothing waits, an append commits its row itself, on its own thread, sparing the hand-off
 * to the writer and back. One group or lone row is written at a time. {@link #append} returns only
 * after its own row is committed, so the promise of {@link Ledger#append} holds: an answer sent after
 * it is never missing after a crash.
 *
 * <p>The queue is bounded: when the writer falls behind, appenders wait to enqueue rather than pile
 * up in memory. A failed group is retried row by row, so a bad row fails only its own appender.
 */
final class GroupCommit implements AutoCloseable {

  /** Inserts rows on a connection inside a transaction, returning their ids in the same order. */
  @FunctionalInterface
  interface Insert {
    List<Long> run(Connection c, List<LedgerEntry> rows) throws SQLException;
  }

  /** 16 parameters a row: 8,192 in one statement, within both engines' limits (SQLite 32,766, PostgreSQL 65,535). */
  static final int MAX_ROWS_PER_COMMIT = 512;
  static final int QUEUE_CAPACITY = 4 * MAX_ROWS_PER_COMMIT;

  private record Pending(LedgerEntry row, CompletableFuture<Long> id) {}

  /** Put behind every row accepted before close: the writer stops when it takes it. */
  private static final Pending STOP = new Pending(null, null);

  private final Jdbc jdbc;
  private final Insert insert;
  private final String where;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  /** Appenders enqueue under the read lock, close under the write lock: nothing is enqueued behind STOP. */
  private final ReadWriteLock accepting = new ReentrantReadWriteLock();
  /** Held while a group or a lone row is written: by the writer thread, or by an append that found the store idle. */
  private final ReentrantLock writing = new ReentrantLock();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  GroupCommit(Jdbc jdbc, Insert insert, String where) {
    this.jdbc = jdbc;
    this.insert = insert;
    this.where = where;
    this.writer = Thread.ofPlatform().name("effort-ledger-writer").daemon().start(this::run);
  }

  /** Commits {@code row} with the rows waiting beside it; returns its id once committed. */
  long append(LedgerEntry row) {
    if (queue.isEmpty() && writing.tryLock()) {
      try {
        if (closed) {
          throw new StoreException(where + ": the ledger is closed", null);
        }
        accepted.incrementAndGet();
        return commitAlone(row);
      } finally {
        writing.unlock();
      }
    }
    Pending p = new Pending(row, new CompletableFuture<>());
    accepting.readLock().lock();
    try {
      if (closed) {
        throw new StoreException(where + ": the ledger is closed", null);
      }
      queue.put(p);
      accepted.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(where + ": interrupted before the ledger row was queued", e);
    } finally {
      accepting.readLock().unlock();
    }
    try {
      return p.id().get();
    } catch (InterruptedException e) {
      // The row may still be committed: a row without an answer, as after a crash.
      Thread.currentThread().interrupt();
      throw new StoreException(where + ": interrupted before the ledger row was committed", e);
    } catch (ExecutionException e) {
      // A fresh exception, so that the stack shows this appender and not only the writer thread.
      throw new StoreException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Commits made so far (each holding one or more rows). */
  long commits() {
    return commits.get();
  }

  /** Rows taken in so far: queued, or being committed by an append itself. */
  long accepted() {
    return accepted.get();
  }

  /** Stops taking rows, commits every row taken before, and waits for the writer to finish. */
  @Override
  public void close() {
    accepting.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.put(STOP); // the writer keeps draining, so a full queue makes room
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(where + ": interrupted while closing the ledger", e);
    } finally {
      accepting.writeLock().unlock();
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writing.lock(); // and for a lone row an append is committing itself
    writing.unlock();
  }

  private void run() {
    List<Pending> group = new ArrayList<>(MAX_ROWS_PER_COMMIT);
    while (true) {
      group.clear();
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        continue; // nobody interrupts this thread; close() stops it with STOP
      }
      boolean stop;
      writing.lock();
      try {
        queue.drainTo(group, MAX_ROWS_PER_COMMIT - 1); // after the lock: what queued while it waited joins
        stop = group.getLast() == STOP; // STOP is the last element ever queued
        if (stop) {
          group.removeLast();
        }
        if (!group.isEmpty()) {
          commit(group);
        }
      } finally {
        writing.unlock();
      }
      if (stop) {
        return;
      }
    }
  }

  private void commit(List<Pending> group) {
    if (group.size() > 1) {
      try {
        List<Long> ids = jdbc.transaction(c -> insert.run(c, group.stream().map(Pending::row).toList()));
        commits.incrementAndGet();
        for (int i = 0; i < group.size(); i++) {
          group.get(i).id().complete(ids.get(i));
        }
        return;
      } catch (StoreException.CommitOutcomeUnknown unknown) {
        // The rows may be in the ledger: retrying could charge twice, so each appender is told it failed.
        group.forEach(p -> p.id().completeExceptionally(unknown));
        return;
      } catch (RuntimeException | Error groupFailed) {
        // Rolled back. One bad row must not fail its neighbours: each alone below, with its own outcome
        // (if the database is down, each appender is told so).
      }
    }
    for (Pending p : group) {
      try {
        p.id().complete(commitAlone(p.row()));
      } catch (RuntimeException | Error failed) {
        p.id().completeExceptionally(failed);
      }
    }
  }

  /** One row in one auto-committed statement. */
  private long commitAlone(LedgerEntry row) {
    long id = jdbc.write(c -> insert.run(c, List.of(row))).getFirst();
    commits.incrementAndGet();
    return id;
  }
}
