package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.effort.core.Effort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's YAML configuration. Every key is optional; with none, the gateway serves the
 * recorded outcomes of {@code ../shared/data/routerbench} through the replay provider.
 *
 * @param port listen port (default 8080; {@code effort serve --port} wins)
 * @param data folder of recorded outcomes served when no provider is configured
 * @param defaultEffort level of an ask that names none (default {@code high})
 * @param maxBodyBytes largest request body accepted (default 1 MiB); larger gets a 413
 * @param router router file for {@code auto} (from {@code effort tune}); without one, auto uses
 *     the default level and the trace says so
 * @param target auto's quality target as a share of max's accuracy (default 1.0)
 * @param providers upstream APIs; their keys come from environment variables
 * @param catalog catalog entries added or replaced (same fields as the built-in catalog.json)
 * @param ladder the plan of each level (same shape as a ladder JSON file), or null for the
 *     built-in ladder of the RouterBench fleet
 * @param governance keys, ledger, budgets, rate limits and the tempo guard
 */
public record GatewayConfig(
    int port,
    Optional<Path> data,
    Effort defaultEffort,
    long maxBodyBytes,
    Optional<Path> router,
    double target,
    List<ProviderConfig> providers,
    List<JsonNode> catalog,
    Optional<JsonNode> ladder,
    GovernanceConfig governance) {

  /**
   * @param database JDBC URL of keys and ledger; default {@code jdbc:sqlite:effort.db} beside the
   *     config file (or in the working directory)
   * @param auth {@code required} or {@code off}; unset: required as soon as any key exists
   * @param adminKeyEnv environment variable holding the admin API's key (default EFFORT_ADMIN_KEY);
   *     without it the admin API is off
   * @param redis Redis URL shared by gateway nodes for rate limits and budgets; unset: in memory
   * @param overBudget {@code lower} (default: lower the effort until it fits) or {@code refuse}
   * @param tempoMultiplier throttle a key running this many times its usual rate (default 20)
   * @param tempoMinPerSecond ... and above this many requests per second (default 2)
   */
  public record GovernanceConfig(
      Optional<String> database, Optional<String> auth, String adminKeyEnv, Optional<String> redis, String overBudget,
      double tempoMultiplier, double tempoMinPerSecond) {
    public static final GovernanceConfig DEFAULTS =
        new GovernanceConfig(Optional.empty(), Optional.empty(), "EFFORT_ADMIN_KEY", Optional.empty(), "lower", 20, 2);
  }

  /** A config with the default governance settings. */
  public GatewayConfig(int port, Optional<Path> data, Effort defaultEffort, long maxBodyBytes, Optional<Path> router,
      double target, List<ProviderConfig> providers, List<JsonNode> catalog, Optional<JsonNode> ladder) {
    this(port, data, defaultEffort, maxBodyBytes, router, target, providers, catalog, ladder, GovernanceConfig.DEFAULTS);
  }

  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /**
   * One upstream.
   *
   * @param name unique name, e.g. {@code anthropic} or {@code local-vllm}
   * @param type {@code anthropic}, {@code openai} or {@code openai-compatible}
   * @param baseUrl e.g. {@code http://localhost:8000}; defaults to the public API for anthropic and openai
   * @param apiKeyEnv the environment variable holding its key (never the key itself); defaults to
 *     ANTHROPIC_API_KEY / OPENAI_API_KEY, none for openai-compatible
   * @param models the catalog models it serves
   */
  public record ProviderConfig(String name, String type, String baseUrl, String apiKeyEnv, List<String> models) {}

  public static GatewayConfig defaults() {
    return new GatewayConfig(DEFAULT_PORT, Optional.empty(), Effort.HIGH, DEFAULT_MAX_BODY_BYTES, Optional.empty(), 1.0,
        List.of(), List.of(), Optional.empty(), GovernanceConfig.DEFAULTS);
  }

  private static final Set<String> KEYS =
      Set.of("port", "data", "default_effort", "max_body_bytes", "router", "target", "providers", "catalog", "ladder",
          "database", "auth", "admin_key_env", "redis", "over_budget", "tempo_multiplier", "tempo_min_requests_per_second");
  private static final Set<String> PROVIDER_KEYS = Set.of("name", "type", "base_url", "api_key_env", "models");
  static final Set<String> PROVIDER_TYPES = Set.copyOf(dev.effort.providers.live.LiveProviders.TYPES);

  /** Reads a config file; relative paths in it are relative to the file's folder. */
  public static GatewayConfig read(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    if (root == null || root.isNull() || root.isMissingNode()) {
      return defaults();
    }
    String where = file.toString();
    if (!root.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping of settings");
    }
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException(where + ": unknown key '" + e.getKey() + "'; accepted: " + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    int port = root.has("port") ? intIn(root.get("port"), where + " port", 0, 65535) : DEFAULT_PORT;
    Optional<Path> data = root.has("data") ? Optional.of(dir.resolve(text(root.get("data"), where + " data"))) : Optional.empty();
    Effort level = root.has("default_effort") ? Effort.parse(text(root.get("default_effort"), where + " default_effort")) : Effort.HIGH;
    if (!level.isFixed()) {
      throw new IllegalArgumentException(where + " default_effort: must be a fixed level (low … max), not auto");
    }
    long maxBody = root.has("max_body_bytes") ? intIn(root.get("max_body_bytes"), where + " max_body_bytes", 1024, Integer.MAX_VALUE)
        : DEFAULT_MAX_BODY_BYTES;
    Optional<Path> router = root.has("router") ? Optional.of(dir.resolve(text(root.get("router"), where + " router"))) : Optional.empty();
    double target = root.has("target") ? root.get("target").asDouble(Double.NaN) : 1.0;
    if (!(target > 0 && target <= 1.5)) {
      throw new IllegalArgumentException(where + " target: a share of max's accuracy in (0, 1.5], e.g. 0.95");
    }
    List<ProviderConfig> providers = new ArrayList<>();
    for (JsonNode p : list(root.get("providers"), where + " providers")) {
      providers.add(provider(p, where));
    }
    List<JsonNode> catalog = list(root.get("catalog"), where + " catalog");
    Optional<JsonNode> ladder = Optional.ofNullable(root.get("ladder")).filter(n -> !n.isNull());
    Optional<String> database = root.has("database") ? Optional.of(text(root.get("database"), where + " database")) : Optional.empty();
    Optional<String> auth = root.has("auth") ? Optional.of(text(root.get("auth"), where + " auth")) : Optional.empty();
    auth.ifPresent(a -> Governance.Auth.parse(a, where + " auth"));
    String adminEnv = root.has("admin_key_env") ? text(root.get("admin_key_env"), where + " admin_key_env") : "EFFORT_ADMIN_KEY";
    Optional<String> redis = root.has("redis") ? Optional.of(text(root.get("redis"), where + " redis")) : Optional.empty();
    String overBudget = root.has("over_budget") ? text(root.get("over_budget"), where + " over_budget") : "lower";
    if (!overBudget.equals("lower") && !overBudget.equals("refuse")) {
      throw new IllegalArgumentException(where + " over_budget: '" + overBudget + "' is not one of lower, refuse");
    }
    double multiplier = root.has("tempo_multiplier") ? positive(root.get("tempo_multiplier"), where + " tempo_multiplier") : 20;
    double minRate = root.has("tempo_min_requests_per_second")
        ? positive(root.get("tempo_min_requests_per_second"), where + " tempo_min_requests_per_second") : 2;
    return new GatewayConfig(port, data, level, maxBody, router, target, providers, catalog, ladder,
        new GovernanceConfig(database.map(d -> d.startsWith("jdbc:sqlite:") && !Path.of(d.substring(12)).isAbsolute()
            ? "jdbc:sqlite:" + dir.resolve(d.substring(12)) : d), auth, adminEnv, redis, overBudget, multiplier, minRate));
  }

  private static double positive(JsonNode node, String where) {
    if (node == null || !node.isNumber() || !(node.asDouble() > 0)) {
      throw new IllegalArgumentException(where + ": expected a positive number");
    }
    return node.asDouble();
  }

  private static ProviderConfig provider(JsonNode p, String file) {
    String where = file + " providers";
    if (!p.isObject()) {
      throw new IllegalArgumentException(where + ": each provider is a mapping with name, type, base_url, api_key_env, models");
    }
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      if (!PROVIDER_KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException(where + ": unknown key '" + e.getKey() + "'; accepted: "
            + String.join(", ", PROVIDER_KEYS.stream().sorted().toList()));
      }
    }
    String name = text(p.get("name"), where + " name");
    String type = text(p.get("type"), where + " " + name + " type");
    if (!PROVIDER_TYPES.contains(type)) {
      throw new IllegalArgumentException(where + " " + name + " type: '" + type + "' is not one of "
          + String.join(", ", PROVIDER_TYPES.stream().sorted().toList()));
    }
    String baseUrl = p.has("base_url") ? text(p.get("base_url"), where + " " + name + " base_url")
        : dev.effort.providers.live.LiveProviders.defaultBaseUrl(type).map(Object::toString).orElseThrow(() ->
            new IllegalArgumentException(where + " " + name + ": an openai-compatible provider needs base_url"));
    String keyEnv = p.has("api_key_env") ? text(p.get("api_key_env"), where + " " + name + " api_key_env") : null;
    List<String> models = new ArrayList<>();
    for (JsonNode m : list(p.get("models"), where + " " + name + " models")) {
      models.add(text(m, where + " " + name + " models"));
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException(where + " " + name + ": list the models it serves under 'models'");
    }
    return new ProviderConfig(name, type, baseUrl, keyEnv, models);
  }

  private static List<JsonNode> list(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ": expected a list");
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    return items;
  }

  private static String text(JsonNode node, String where) {
    if (node == null || !node.isValueNode() || node.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": expected a non-empty value");
    }
    return node.asText();
  }

  private static int intIn(JsonNode node, String where, int min, int max) {
    if (node == null || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
      throw new IllegalArgumentException(where + ": expected a whole number from " + min + " to " + max);
    }
    return node.asInt();
  }
}
