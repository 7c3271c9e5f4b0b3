package dev.effort.server.store;

import dev.effort.core.Effort;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Binding and reading optional values the same way on SQLite and PostgreSQL (typed nulls). */
final class Sql {
  private Sql() {}

  static void set(PreparedStatement ps, int i, OptionalDouble v) throws SQLException {
    if (v.isPresent()) {
      ps.setDouble(i, v.getAsDouble());
    } else {
      ps.setNull(i, Types.DOUBLE);
    }
  }

  static void set(PreparedStatement ps, int i, OptionalInt v) throws SQLException {
    if (v.isPresent()) {
      ps.setInt(i, v.getAsInt());
    } else {
      ps.setNull(i, Types.INTEGER);
    }
  }

  static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v != null) {
      ps.setLong(i, v);
    } else {
      ps.setNull(i, Types.BIGINT);
    }
  }

  static void setText(PreparedStatement ps, int i, String v) throws SQLException {
    if (v != null) {
      ps.setString(i, v);
    } else {
      ps.setNull(i, Types.VARCHAR);
    }
  }

  static void setEffort(PreparedStatement ps, int i, Effort v) throws SQLException {
    setText(ps, i, v == null ? null : v.wireName());
  }

  static OptionalDouble optionalDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  static OptionalInt optionalInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Effort effort(ResultSet rs, String column) throws SQLException {
    String v = rs.getString(column);
    return v == null ? null : Effort.parse(v);
  }

  static Optional<Effort> optionalEffort(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(effort(rs, column));
  }

  /** A unique index refused the row: SQLState class 23 on PostgreSQL, SQLITE_CONSTRAINT on SQLite. */
  static boolean isUniqueViolation(SQLException e) {
    String state = e.getSQLState();
    return (state != null && state.startsWith("23"))
        || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
  }
}
