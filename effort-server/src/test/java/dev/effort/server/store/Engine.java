package dev.effort.server.store;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The engines every store test runs on, each giving a fresh, empty database per test: a new
 * SQLite file, or a new PostgreSQL schema in the database named by {@code -Deffort.test.postgres}.
 */
enum Engine {
  SQLITE {
    @Override
    TestDatabase fresh(Path dir) {
      Path file = dir.resolve("effort-" + UUID.randomUUID() + ".db");
      return new TestDatabase(this, "jdbc:sqlite:" + file, file, () -> {});
    }
  },
  POSTGRESQL {
    @Override
    TestDatabase fresh(Path dir) {
      String schema = "effort_test_" + UUID.randomUUID().toString().replace("-", "");
      execute(POSTGRES_URL, "CREATE SCHEMA " + schema);
      String url = POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      return new TestDatabase(this, url, null, () -> execute(POSTGRES_URL, "DROP SCHEMA " + schema + " CASCADE"));
    }
  };

  static final String POSTGRES_URL = System.getProperty("effort.test.postgres",
      "jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres");

  static final String HOW_TO_START_POSTGRES = """
      Start PostgreSQL with scripts/start-services (as root; CI runs it), or by hand:
        pg_ctlcluster 15 main start
        su postgres -c "psql -c \\"ALTER USER postgres PASSWORD 'postgres';\\""
        su postgres -c "createdb effort_test"
      or point the tests at another database with -Deffort.test.postgres=JDBC_URL""";

  abstract TestDatabase fresh(Path dir);

  /**
   * A database for one test.
   *
   * @param file the SQLite file, null on PostgreSQL
   */
  record TestDatabase(Engine engine, String url, Path file, Runnable drop) {
    Connection connect() throws SQLException {
      return DriverManager.getConnection(url);
    }
  }

  /** Runs DDL on the test database; an unreachable PostgreSQL fails the test with how to start it. */
  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      fail("PostgreSQL is not reachable at " + Dialect.redact(url) + " (" + e.getMessage() + ").\n"
          + HOW_TO_START_POSTGRES, e);
    }
  }
}
