package dev.effort.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code api_keys} table; {@link CachedApiKeys} answers the per-request questions from memory. */
final class SqlApiKeys {

  private static final String COLUMNS = "id, name, prefix, secret_sha256, budget_usd_day, budget_usd_month, max_effort, "
      + "default_effort, rpm, tpm, agent, created_ms, revoked_ms";

  private final Jdbc jdbc;
  private final Clock clock;

  SqlApiKeys(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  IssuedKey create(KeySpec spec) {
    String secret = Secrets.newSecret();
    String prefix = Secrets.displayPrefix(secret);
    Instant created = Instant.ofEpochMilli(clock.millis());
    long id = jdbc.write(c -> {
      if (activeNamed(c, spec.name())) {
        throw nameTaken(spec.name());
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (name, prefix, secret_sha256, budget_usd_day, "
          + "budget_usd_month, max_effort, default_effort, rpm, tpm, agent, created_ms) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
        ps.setString(1, spec.name());
        ps.setString(2, prefix);
        ps.setBytes(3, Secrets.hash(secret));
        Sql.set(ps, 4, spec.budgetUsdDay());
        Sql.set(ps, 5, spec.budgetUsdMonth());
        Sql.setEffort(ps, 6, spec.maxEffort().orElse(null));
        Sql.setEffort(ps, 7, spec.defaultEffort().orElse(null));
        Sql.set(ps, 8, spec.rpm());
        Sql.set(ps, 9, spec.tpm());
        ps.setBoolean(10, spec.agent());
        ps.setLong(11, created.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        // Another node created the same name between our check and our insert (PostgreSQL).
        if (Sql.isUniqueViolation(e)) {
          throw nameTaken(spec.name());
        }
        throw e;
      }
    });
    ApiKey key = new ApiKey(id, spec.name(), prefix, spec.budgetUsdDay(), spec.budgetUsdMonth(), spec.maxEffort(),
        spec.defaultEffort(), spec.rpm(), spec.tpm(), spec.agent(), created, Optional.empty());
    return new IssuedKey(secret, key);
  }

  /** A key with the hash of its secret. */
  record Stored(ApiKey key, byte[] secretSha256) {}

  /** Every key, revoked ones included, with its secret's hash. */
  List<Stored> all() {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys");
          ResultSet rs = ps.executeQuery()) {
        List<Stored> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(new Stored(key(rs), rs.getBytes("secret_sha256")));
        }
        return keys;
      }
    });
  }

  /** The key table's version: bumped by every change to it (migration V2's triggers). */
  long version() {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT version FROM api_keys_version WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("api_keys_version has no row; the store's migration V2 did not run");
        }
        return rs.getLong(1);
      }
    });
  }

  List<ApiKey> list() {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        List<ApiKey> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(key(rs));
        }
        return keys;
      }
    });
  }

  Optional<ApiKey> revoke(String idOrName) {
    String target = idOrName == null ? "" : idOrName.strip();
    long now = clock.millis();
    return jdbc.write(c -> {
      Optional<ApiKey> found = find(c, target);
      if (found.isEmpty() || found.get().isRevoked()) {
        return found;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")) {
        ps.setLong(1, now);
        ps.setLong(2, found.get().id());
        ps.executeUpdate();
      }
      return find(c, Long.toString(found.get().id()));
    });
  }

  /** By id when all digits (names start with a letter), else by name, the active key first. */
  private static Optional<ApiKey> find(Connection c, String idOrName) throws SQLException {
    boolean numeric = !idOrName.isEmpty() && idOrName.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    String sql = numeric
        ? "SELECT " + COLUMNS + " FROM api_keys WHERE id = ?"
        : "SELECT " + COLUMNS + " FROM api_keys WHERE name = ? "
            + "ORDER BY CASE WHEN revoked_ms IS NULL THEN 0 ELSE 1 END, id DESC LIMIT 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (numeric) {
        try {
          ps.setLong(1, Long.parseLong(idOrName));
        } catch (NumberFormatException tooLong) {
          return Optional.empty();
        }
      } else {
        ps.setString(1, idOrName);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(key(rs)) : Optional.empty();
      }
    }
  }

  private static boolean activeNamed(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys WHERE name = ? AND revoked_ms IS NULL")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static IllegalArgumentException nameTaken(String name) {
    return new IllegalArgumentException("an active key is already named '" + name
        + "'; choose another name, or revoke that key first");
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    Long revoked = Sql.nullableLong(rs, "revoked_ms");
    return new ApiKey(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("prefix"),
        Sql.optionalDouble(rs, "budget_usd_day"),
        Sql.optionalDouble(rs, "budget_usd_month"),
        Sql.optionalEffort(rs, "max_effort"),
        Sql.optionalEffort(rs, "default_effort"),
        Sql.optionalInt(rs, "rpm"),
        Sql.optionalInt(rs, "tpm"),
        rs.getBoolean("agent"),
        Instant.ofEpochMilli(rs.getLong("created_ms")),
        Optional.ofNullable(revoked).map(Instant::ofEpochMilli));
  }
}
