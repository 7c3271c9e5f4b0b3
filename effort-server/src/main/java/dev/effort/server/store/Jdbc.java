package dev.effort.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Runs work on a pooled connection. On SQLite, writes also take one process-wide lock: the file
 * admits a single writer, and queueing in Java is fairer and faster than letting connections
 * spin on SQLITE_BUSY. A {@link ReentrantLock} does not pin virtual threads. PostgreSQL takes
 * concurrent writes itself, so there the lock is absent.
 */
final class Jdbc {

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource pool;
  private final Lock writeLock;
  private final String where;

  Jdbc(DataSource pool, boolean serializeWrites, String where) {
    this.pool = pool;
    this.writeLock = serializeWrites ? new ReentrantLock() : null;
    this.where = where;
  }

  <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Auto-committed work: committed (and so durable) when this returns. */
  <T> T write(Work<T> work) {
    if (writeLock == null) {
      return read(work);
    }
    writeLock.lock();
    try {
      return read(work);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Work in one transaction, with the same write serialization as {@link #write}: committed (and so
   * durable) when this returns, rolled back when it throws.
   */
  <T> T transaction(Work<T> work) {
    return write(c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        try {
          c.commit();
        } catch (SQLException e) {
          throw new StoreException.CommitOutcomeUnknown(where + ": the commit failed, so whether it took is unknown: "
              + e.getMessage(), e);
        }
        return result;
      } catch (StoreException.CommitOutcomeUnknown e) {
        throw e;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
      // The pool turns auto-commit back on when the connection returns (HikariCP resets what was changed).
    });
  }

  StoreException failed(SQLException e) {
    return new StoreException(where + ": " + e.getMessage(), e);
  }
}
