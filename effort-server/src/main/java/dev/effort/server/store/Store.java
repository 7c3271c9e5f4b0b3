package dev.effort.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The durable state of the gateway: {@link ApiKeys} and the {@link Ledger}, in SQLite (one node,
 * the default) or PostgreSQL (several nodes sharing keys and ledger).
 *
 * <p>{@link #open} migrates the schema to the latest version (Flyway, idempotent: reopening an
 * up-to-date database changes nothing). A store is thread-safe; open one per process and share it
 * across the gateway's virtual threads.
 */
public final class Store implements AutoCloseable {

  /** File name of the embedded database, next to the config file (or in the working folder). */
  public static final String DEFAULT_FILE = "effort.db";

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final ApiKeys keys;
  private final SqlLedger ledger;
  private final String where;

  private Store(HikariDataSource pool, Dialect dialect, Clock clock, String where) {
    this.pool = pool;
    this.dialect = dialect;
    this.where = where;
    Jdbc jdbc = new Jdbc(pool, dialect == Dialect.SQLITE, where);
    this.keys = new CachedApiKeys(new SqlApiKeys(jdbc, clock), clock);
    this.ledger = new SqlLedger(jdbc, where);
  }

  /**
   * Opens (creating if need be) and migrates the database at {@code jdbcUrl}.
   *
   * @param jdbcUrl {@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P}
   * @throws IllegalArgumentException for any other URL, naming the accepted ones
   * @throws StoreException when the database cannot be reached or migrated
   */
  public static Store open(String jdbcUrl) {
    return open(jdbcUrl, Clock.systemUTC());
  }

  /**
   * As {@link #open(String)}, with the clock that stamps key creation and revocation and times the
   * key cache's checks for changes made by other processes.
   */
  public static Store open(String jdbcUrl, Clock clock) {
    Dialect dialect = Dialect.of(jdbcUrl);
    String where = Dialect.redact(jdbcUrl);
    HikariConfig config = poolConfig(dialect, jdbcUrl.strip());
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      // Hikari fails fast when the first connection fails: refused, bad password, unwritable file.
      throw new StoreException("cannot open " + where + ": " + message(e), e);
    }
    try {
      Flyway.configure()
          .loggers("slf4j") // one logging path for the store, as HikariCP's (not Flyway's pick: JUL)
          .dataSource(pool)
          .locations("classpath:" + dialect.migrations)
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      pool.close();
      throw new StoreException("cannot migrate " + where + ": " + message(e), e);
    }
    return new Store(pool, dialect, clock, where);
  }

  /** {@code jdbc:sqlite:} URL of {@value #DEFAULT_FILE} in {@code folder}. */
  public static String defaultUrl(Path folder) {
    return "jdbc:sqlite:" + folder.resolve(DEFAULT_FILE);
  }

  public ApiKeys keys() {
    return keys;
  }

  public Ledger ledger() {
    return ledger;
  }

  /**
   * Keeps the store bounded: deletes ledger entries older than {@code retention} (none when it is
   * zero) and, on SQLite, checkpoints the write-ahead log and truncates it (left alone, under
   * steady writes the WAL grows past a gigabyte: a checkpoint cannot finish while readers hold it).
   *
   * @return entries deleted
   */
  public int maintain(java.time.Duration retention, java.time.Instant now) {
    int deleted = retention.isZero() ? 0 : ledger.deleteBefore(now.minus(retention));
    if (dialect == Dialect.SQLITE) {
      try (java.sql.Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (java.sql.SQLException e) {
        throw new StoreException("cannot checkpoint the SQLite WAL: " + e.getMessage(), e);
      }
    }
    return deleted;
  }

  /** {@code sqlite} or {@code postgresql}. */
  /** Where the store is: its JDBC URL, password blanked out. */
  public String location() {
    return where;
  }

  public String engine() {
    return dialect.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void close() {
    try {
      ledger.close(); // commits the rows still waiting, while the pool is open
    } finally {
      pool.close();
    }
  }

  private static HikariConfig poolConfig(Dialect dialect, String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("effort-store");
    config.setAutoCommit(true);
    switch (dialect) {
      case SQLITE -> {
        String file = jdbcUrl.substring(Dialect.SQLITE.urlPrefix.length());
        if (file.isBlank() || file.contains(":memory:") || file.startsWith("file:")) {
          throw new IllegalArgumentException("jdbc:sqlite: needs a file path (a memory database would vanish with "
              + "its pooled connection); accepted: " + Dialect.ACCEPTED);
        }
        createParentFolder(Path.of(file.contains("?") ? file.substring(0, file.indexOf('?')) : file));
        // WAL with synchronous=NORMAL: a commit is written to the WAL before it returns, so it survives
        // a crash or kill of this process; only a power loss or OS crash can lose the last commits
        // (synchronous=FULL would fsync every commit to close that too, at a large cost per append).
        // Readers do not block the writer nor each other under WAL.
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        // Waits for another process holding the file (e.g. `effort keys` beside a running gateway).
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("foreign_keys", "true");
        // Writes are serialized in Jdbc; the other connections let reads run beside a write.
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
      }
      case POSTGRESQL -> {
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
      }
    }
    return config;
  }

  private static void createParentFolder(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
  }

  private static String message(Throwable e) {
    // The outermost message names what failed (pool start, migration V1, ...) and carries the
    // driver's own words; a URL in it may hold a password.
    return Dialect.redact(e.getMessage() != null ? e.getMessage() : e.toString());
  }
}
