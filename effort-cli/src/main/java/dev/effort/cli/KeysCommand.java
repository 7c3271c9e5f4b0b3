package dev.effort.cli;

import dev.effort.core.Effort;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.IssuedKey;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import dev.effort.server.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code effort keys create | list | revoke}: the gateway's API keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Creates, lists and revokes the gateway's API keys.",
      "A key's secret is shown once, when it is created; the database keeps only its hash and a prefix."
    },
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand; accepted: create, list, revoke");
  }

  /** {@code --db}, shared by the key and usage commands. */
  static final class Database {
    static final String DEFAULT = "jdbc:sqlite:" + Store.DEFAULT_FILE;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = DEFAULT,
        description = "jdbc:sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P "
            + "(default: ${DEFAULT-VALUE}, in the current folder).")
    String url = DEFAULT;

    /**
     * Opens the store. Commands that only read refuse to create a new SQLite file: a mistyped path
     * would otherwise show an empty database instead of an error.
     */
    Store open(boolean mayCreate) {
      String u = url.strip();
      if (!mayCreate && u.startsWith("jdbc:sqlite:")) {
        String file = u.substring("jdbc:sqlite:".length());
        file = file.contains("?") ? file.substring(0, file.indexOf('?')) : file;
        if (!file.isBlank() && !Files.exists(Path.of(file))) {
          throw new CliException("no database at " + file + "; create a key first (effort keys create --name NAME), "
              + "or point --db at the gateway's database");
        }
      }
      try {
        return Store.open(u);
      } catch (StoreException e) {
        throw new CliException(e.getMessage());
      }
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates a key and prints its secret, once.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Database db;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = KeySpec.NAME_RULE + "; unique among active keys.")
    String name;

    @Option(names = "--budget-usd-day", paramLabel = "USD", description = "Spending cap per UTC day.")
    Double budgetUsdDay;

    @Option(names = "--budget-usd-month", paramLabel = "USD", description = "Spending cap per UTC calendar month.")
    Double budgetUsdMonth;

    @Option(names = "--max-effort", paramLabel = "LEVEL",
        description = "Ceiling: low, medium, high, xhigh or max; requests above it are lowered.")
    String maxEffort;

    @Option(names = "--default-effort", paramLabel = "LEVEL",
        description = "Level of requests that name none: low, medium, high, xhigh, max or auto.")
    String defaultEffort;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
    Integer rpm;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute.")
    Integer tpm;

    @Option(names = "--agent", description = "An agent's key (many calls per task) rather than a person's or an app's.")
    boolean agent;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      KeySpec keySpec;
      try {
        keySpec = new KeySpec(name,
            budgetUsdDay == null ? OptionalDouble.empty() : OptionalDouble.of(budgetUsdDay),
            budgetUsdMonth == null ? OptionalDouble.empty() : OptionalDouble.of(budgetUsdMonth),
            effort("--max-effort", maxEffort),
            effort("--default-effort", defaultEffort),
            rpm == null ? OptionalInt.empty() : OptionalInt.of(rpm),
            tpm == null ? OptionalInt.empty() : OptionalInt.of(tpm),
            agent);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      IssuedKey issued;
      try (Store store = db.open(true)) {
        issued = store.keys().create(keySpec);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      ApiKey key = issued.key();
      out.println("created key " + key.id() + " '" + key.name() + "' (" + limits(key) + ")");
      out.println("secret: " + issued.secret());
      out.println("This secret will not be shown again: store it now. Only its hash is kept.");
      out.flush();
      return 0;
    }

    private static Optional<Effort> effort(String option, String value) {
      if (value == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(Effort.parse(value));
      } catch (IllegalArgumentException e) {
        throw new CliException(option + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists every key, revoked ones included. Secrets are never shown: only their prefix.")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Database db;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<ApiKey> keys;
      try (Store store = db.open(false)) {
        keys = store.keys().list();
      }
      if (keys.isEmpty()) {
        out.println("no keys yet; create one with: effort keys create --name NAME");
        out.flush();
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (ApiKey k : keys) {
        rows.add(List.of(Long.toString(k.id()), k.name(), k.prefix() + "…", k.revoked().map(t -> "revoked " + time(t))
            .orElse("active"), money(k.budgetUsdDay()), money(k.budgetUsdMonth()), level(k.maxEffort()),
            level(k.defaultEffort()), count(k.rpm()), count(k.tpm()), k.agent() ? "yes" : "no", time(k.created())));
      }
      table(out, List.of("ID", "NAME", "PREFIX", "STATUS", "USD/DAY", "USD/MONTH", "MAX", "DEFAULT", "RPM", "TPM",
          "AGENT", "CREATED"), rows);
      out.flush();
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes a key: it stops authenticating at once and stays listed, with its ledger rows.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Database db;

    @Parameters(index = "0", paramLabel = "ID_OR_NAME", description = "The key's id, or the name of an active key.")
    String idOrName;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Store store = db.open(false)) {
        // Revocation times come from this process's clock: one before "now" was an earlier revoke.
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiKey key = store.keys().revoke(idOrName).orElseThrow(() -> new CliException(
            "no key with id or name '" + idOrName + "'; see them with: effort keys list"));
        Instant revokedAt = key.revoked().orElseThrow();
        out.println((revokedAt.isBefore(before) ? "key " + key.id() + " '" + key.name() + "' was already revoked at "
            : "revoked key " + key.id() + " '" + key.name() + "' at ") + time(revokedAt));
      }
      out.flush();
      return 0;
    }
  }

  private static String limits(ApiKey k) {
    List<String> parts = new ArrayList<>();
    parts.add(k.prefix() + "…");
    k.budgetUsdDay().ifPresent(v -> parts.add(String.format(Locale.ROOT, "$%.2f/day", v)));
    k.budgetUsdMonth().ifPresent(v -> parts.add(String.format(Locale.ROOT, "$%.2f/month", v)));
    k.maxEffort().ifPresent(e -> parts.add("max effort " + e));
    k.defaultEffort().ifPresent(e -> parts.add("default effort " + e));
    k.rpm().ifPresent(v -> parts.add(v + " rpm"));
    k.tpm().ifPresent(v -> parts.add(v + " tpm"));
    if (k.agent()) {
      parts.add("agent");
    }
    return String.join(", ", parts);
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  static String time(Instant t) {
    return TIME.format(t);
  }

  private static String money(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "-";
  }

  private static String count(OptionalInt v) {
    return v.isPresent() ? Integer.toString(v.getAsInt()) : "-";
  }

  private static String level(Optional<Effort> e) {
    return e.map(Effort::wireName).orElse("-");
  }

  /** Columns padded to their widest cell, two spaces apart. */
  static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        line.append(i == 0 ? "" : "  ").append(r.get(i)).append(" ".repeat(width[i] - r.get(i).length()));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
