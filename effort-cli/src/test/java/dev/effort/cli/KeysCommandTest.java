package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.effort.core.Effort;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.Store;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  @TempDir Path tmp;

  private static final Pattern SECRET = Pattern.compile("secret: (ek_[A-Za-z0-9_-]{32})\\n");

  private String db() {
    return "jdbc:sqlite:" + tmp.resolve("effort.db");
  }

  private static CommandRun keys(String... args) {
    return CommandRun.of(new KeysCommand(), args);
  }

  private static String secretIn(CommandRun run) {
    Matcher m = SECRET.matcher(run.out());
    assertThat(m.find()).as("a secret line in:\n" + run.out()).isTrue();
    return m.group(1);
  }

  @Test
  void createPrintsTheSecretOnceAndTheKeyAuthenticatesWithItsLimits() {
    CommandRun run = keys("create", "--db", db(), "--name", "ci", "--budget-usd-day", "5", "--budget-usd-month", "80",
        "--max-effort", "xhigh", "--default-effort", "minimal", "--rpm", "60", "--tpm", "90000", "--agent");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("created key 1 'ci'").contains("$5.00/day").contains("max effort xhigh")
        .contains("This secret will not be shown again");
    String secret = secretIn(run);
    assertThat(run.out().split(Pattern.quote(secret), -1)).as("the secret is printed exactly once").hasSize(2);

    try (Store store = Store.open(db())) {
      ApiKey key = store.keys().authenticate(secret).orElseThrow();
      assertThat(key.name()).isEqualTo("ci");
      assertThat(key.budgetUsdDay()).isEqualTo(OptionalDouble.of(5));
      assertThat(key.budgetUsdMonth()).isEqualTo(OptionalDouble.of(80));
      assertThat(key.maxEffort()).contains(Effort.XHIGH);
      assertThat(key.defaultEffort()).contains(Effort.LOW);
      assertThat(key.rpm()).isEqualTo(OptionalInt.of(60));
      assertThat(key.tpm()).isEqualTo(OptionalInt.of(90000));
      assertThat(key.agent()).isTrue();
    }
  }

  @Test
  void listShowsEveryKeyByPrefixAndNeverASecret() {
    String first = secretIn(keys("create", "--db", db(), "--name", "app", "--budget-usd-day", "2.5"));
    String second = secretIn(keys("create", "--db", db(), "--name", "bot", "--agent"));
    keys("revoke", "--db", db(), "bot");

    CommandRun run = keys("list", "--db", db());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain(first).doesNotContain(second)
        .contains(first.substring(0, 9)).contains(second.substring(0, 9));
    String[] lines = run.out().split("\n");
    assertThat(lines[0]).startsWith("ID").contains("NAME", "PREFIX", "STATUS", "USD/DAY", "MAX", "AGENT");
    assertThat(lines[1]).contains("app", "active", "2.50", "no");
    assertThat(lines[2]).contains("bot", "revoked", "yes");
    assertThat(lines).hasSize(3);
  }

  @Test
  void revokeStopsAKeyAndSaysSoWhenItWasAlreadyRevoked() {
    String secret = secretIn(keys("create", "--db", db(), "--name", "temp"));

    CommandRun first = keys("revoke", "--db", db(), "temp");
    CommandRun again = keys("revoke", "--db", db(), "1");
    CommandRun unknown = keys("revoke", "--db", db(), "nobody");

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("revoked key 1 'temp' at ");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).startsWith("key 1 'temp' was already revoked at ");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no key with id or name 'nobody'").contains("effort keys list");
    try (Store store = Store.open(db())) {
      assertThat(store.keys().authenticate(secret)).get().matches(ApiKey::isRevoked);
    }
  }

  @Test
  void badOptionsFailSayingWhatIsAccepted() {
    assertRefused(keys("create", "--db", db(), "--name", "x", "--max-effort", "huge"),
        "--max-effort: unknown effort 'huge'; accepted: low, medium, high, xhigh, max");
    assertRefused(keys("create", "--db", db(), "--name", "x", "--max-effort", "auto"), "not auto");
    assertRefused(keys("create", "--db", db(), "--name", "x", "--budget-usd-day", "0"), "must be a positive number");
    assertRefused(keys("create", "--db", db(), "--name", "x", "--rpm", "-3"), "rpm must be a positive whole number");
    assertRefused(keys("create", "--db", db(), "--name", "42"), "starting with a letter");
    assertRefused(keys("create", "--db", db()), "--name");
    assertRefused(keys("create", "--db", db(), "--name", "x", "--rpm", "many"), "--rpm");
    assertRefused(keys("create", "--db", "jdbc:mysql://h/db", "--name", "x"), "accepted: jdbc:sqlite:PATH");
    assertRefused(keys(), "accepted: create, list, revoke");

    assertThat(keys("create", "--db", db(), "--name", "dup").exit()).isZero();
    assertRefused(keys("create", "--db", db(), "--name", "dup"), "already named 'dup'");
  }

  @Test
  void readingCommandsDoNotCreateAMissingDatabase() {
    Path missing = tmp.resolve("typo.db");
    CommandRun list = keys("list", "--db", "jdbc:sqlite:" + missing);
    CommandRun revoke = keys("revoke", "--db", "jdbc:sqlite:" + missing, "ci");
    assertRefused(list, "no database at " + missing);
    assertRefused(revoke, "effort keys create --name NAME");
    assertThat(missing).doesNotExist();
  }

  @Test
  void listOfAnEmptyDatabaseSaysHowToCreateAKey() {
    try (Store store = Store.open(db())) {
      assertThat(store.keys().anyKeys()).isFalse();
    }
    CommandRun run = keys("list", "--db", db());
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("no keys yet; create one with: effort keys create --name NAME");
  }

  @Test
  void defaultDatabaseIsEffortDbInTheCurrentFolder() {
    assertThat(new KeysCommand.Database().url).isEqualTo("jdbc:sqlite:effort.db");
  }

  @Test
  void keysWorkOnPostgres() throws SQLException {
    String base = System.getProperty("effort.test.postgres",
        "jdbc:postgresql://localhost:5432/effort_test?user=postgres&password=postgres");
    String schema = "effort_cli_" + UUID.randomUUID().toString().replace("-", "");
    try (var c = DriverManager.getConnection(base); var s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      fail("PostgreSQL is not reachable (" + e.getMessage() + "). Start it with scripts/start-services (as root; "
          + "CI runs it), or by hand: pg_ctlcluster 15 main start; "
          + "su postgres -c \"psql -c \\\"ALTER USER postgres PASSWORD 'postgres';\\\"\"; "
          + "su postgres -c \"createdb effort_test\"; or set -Deffort.test.postgres=JDBC_URL", e);
    }
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try {
      String secret = secretIn(keys("create", "--db", url, "--name", "pg-key", "--rpm", "10"));
      CommandRun list = keys("list", "--db", url);
      assertThat(list.out()).contains("pg-key").doesNotContain(secret);
      assertThat(keys("revoke", "--db", url, "pg-key").out()).startsWith("revoked key");
    } finally {
      try (var c = DriverManager.getConnection(base); var s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static void assertRefused(CommandRun run, String message) {
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

}
