package dev.effort.server.store;

import java.util.Locale;
import java.util.regex.Pattern;

/** The two engines a store runs on, told apart by the JDBC URL. */
enum Dialect {
  SQLITE("jdbc:sqlite:", "db/migration/sqlite"),
  POSTGRESQL("jdbc:postgresql:", "db/migration/postgresql");

  static final String ACCEPTED = "jdbc:sqlite:PATH (e.g. jdbc:sqlite:effort.db) or jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P";

  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  final String urlPrefix;
  final String migrations;

  Dialect(String urlPrefix, String migrations) {
    this.urlPrefix = urlPrefix;
    this.migrations = migrations;
  }

  static Dialect of(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.strip().toLowerCase(Locale.ROOT);
    for (Dialect d : values()) {
      if (url.startsWith(d.urlPrefix)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported database URL '" + redact(jdbcUrl) + "'; accepted: " + ACCEPTED);
  }

  /** The URL with its password blanked out, for error messages and logs. */
  static String redact(String jdbcUrl) {
    return jdbcUrl == null ? "null" : PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
  }
}
