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
 * @param listener where the gateway listens and how long it waits for clients
 * @param resilience retries, circuit breakers, balancing, fallbacks and the time-to-first-token deadline
 * @param benchJson an {@code effort bench --json} file whose frontier the dashboard shows
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
    GovernanceConfig governance,
    ListenerConfig listener,
    ResilienceConfig resilience,
    Optional<Path> benchJson) {

  /** A config without a bench JSON for the dashboard. */
  public GatewayConfig(int port, Optional<Path> data, Effort defaultEffort, long maxBodyBytes, Optional<Path> router,
      double target, List<ProviderConfig> providers, List<JsonNode> catalog, Optional<JsonNode> ladder,
      GovernanceConfig governance, ListenerConfig listener, ResilienceConfig resilience) {
    this(port, data, defaultEffort, maxBodyBytes, router, target, providers, catalog, ladder, governance, listener,
        resilience, Optional.empty());
  }

  /** The same settings, with the dashboard showing the frontier of this {@code effort bench --json} file. */
  public GatewayConfig withBenchJson(Path file) {
    return new GatewayConfig(port, data, defaultEffort, maxBodyBytes, router, target, providers, catalog, ladder,
        governance, listener, resilience, Optional.of(file));
  }

  /** A config with the default resilience settings. */
  public GatewayConfig(int port, Optional<Path> data, Effort defaultEffort, long maxBodyBytes, Optional<Path> router,
      double target, List<ProviderConfig> providers, List<JsonNode> catalog, Optional<JsonNode> ladder,
      GovernanceConfig governance, ListenerConfig listener) {
    this(port, data, defaultEffort, maxBodyBytes, router, target, providers, catalog, ladder, governance, listener,
        ResilienceConfig.DEFAULTS);
  }

  /**
   * What a request gets when an upstream fails.
   *
   * @param onFailure when every deployment of a plan's model failed: {@code fallback} (stand-ins at
   *     the same level, then lower levels; default), {@code lower} (lower levels), {@code error}
   * @param balance how a model's deployments share its traffic: {@code weight} (default) or {@code latency}
   * @param ttftDeadline how long a first token may take before another deployment is asked too; unset: no hedging
   * @param breaker when a deployment's circuit opens and for how long
   * @param retry how a failed call is tried again, for providers that set none of their own
   * @param fallbacks per model, the models that may answer in its place at the same level
   */
  public record ResilienceConfig(dev.effort.core.resilience.Fallback.OnFailure onFailure,
      dev.effort.core.resilience.Deployments.Balance balance, Optional<java.time.Duration> ttftDeadline,
      dev.effort.core.resilience.BreakerSettings breaker, dev.effort.core.resilience.RetryPolicy retry,
      Map<String, List<String>> fallbacks) {
    public static final ResilienceConfig DEFAULTS = new ResilienceConfig(dev.effort.core.resilience.Fallback.OnFailure.FALLBACK,
        dev.effort.core.resilience.Deployments.Balance.WEIGHT, Optional.empty(),
        dev.effort.core.resilience.BreakerSettings.DEFAULT, dev.effort.core.resilience.RetryPolicy.DEFAULT, Map.of());

    public ResilienceConfig {
      fallbacks = Map.copyOf(fallbacks);
    }
  }

  /** A config with the default listener settings. */
  public GatewayConfig(int port, Optional<Path> data, Effort defaultEffort, long maxBodyBytes, Optional<Path> router,
      double target, List<ProviderConfig> providers, List<JsonNode> catalog, Optional<JsonNode> ladder,
      GovernanceConfig governance) {
    this(port, data, defaultEffort, maxBodyBytes, router, target, providers, catalog, ladder, governance,
        ListenerConfig.DEFAULTS);
  }

  /**
   * Where the gateway listens and how long it waits for clients.
   *
   * @param host the address to bind (default 127.0.0.1: reachable from this machine only; 0.0.0.0 for
   *     every interface)
   * @param headerTimeout how long a client may take to send a request's headers and body, and
   *     stay silent mid-request (default 10 s)
   * @param idleTimeout how long a connection may sit idle between requests (default 60 s)
   * @param maxConnectionsPerClient connections one client address may hold open at once (default 1,024: a busy application server or load balancer is one address, and a queue of slow streams from it must not be cut)
   */
  public record ListenerConfig(String host, java.time.Duration headerTimeout, java.time.Duration idleTimeout,
      int maxConnectionsPerClient) {
    public static final ListenerConfig DEFAULTS =
        new ListenerConfig("127.0.0.1", java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60), 1024);

    public ListenerConfig withHost(String address) {
      return new ListenerConfig(address, headerTimeout, idleTimeout, maxConnectionsPerClient);
    }
  }

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
   * @param metricsPublic whether {@code /metrics} answers without a key once keys exist (default false)
   * @param ledgerRetentionDays ledger rows older than this are deleted (default 0: kept for ever)
   */
  public record GovernanceConfig(
      Optional<String> database, Optional<String> auth, String adminKeyEnv, Optional<String> redis, String overBudget,
      double tempoMultiplier, double tempoMinPerSecond, boolean metricsPublic, int ledgerRetentionDays) {
    public static final GovernanceConfig DEFAULTS =
        new GovernanceConfig(Optional.empty(), Optional.empty(), "EFFORT_ADMIN_KEY", Optional.empty(), "lower", 20, 2, false, 0);

    /** The same settings with {@code auth} set ({@code required} or {@code off}). */
    public GovernanceConfig withAuth(String value) {
      return new GovernanceConfig(database, Optional.of(value), adminKeyEnv, redis, overBudget, tempoMultiplier,
          tempoMinPerSecond, metricsPublic, ledgerRetentionDays);
    }
  }

  /** A config with the default governance settings. */
  public GatewayConfig(int port, Optional<Path> data, Effort defaultEffort, long maxBodyBytes, Optional<Path> router,
      double target, List<ProviderConfig> providers, List<JsonNode> catalog, Optional<JsonNode> ladder) {
    this(port, data, defaultEffort, maxBodyBytes, router, target, providers, catalog, ladder, GovernanceConfig.DEFAULTS);
  }

  /**
   * How the process logs ({@code log_level}, {@code log_format}); the command line's {@code --log-level}
   * and {@code --log-format} win. Read apart from the rest: logging is set up before the gateway starts.
   *
   * @param level {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}; empty: the command's default
   * @param format {@code text} or {@code json} (one JSON object a line); empty: text
   */
  public record LogSettings(Optional<String> level, Optional<String> format) {
    public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
    public static final List<String> FORMATS = List.of("text", "json");
    public static final LogSettings NONE = new LogSettings(Optional.empty(), Optional.empty());

    /** The log settings of a config file (none when it has none). */
    public static LogSettings read(Path file) throws IOException {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      return root == null || !root.isObject() ? NONE : of(root, file.toString());
    }

    static LogSettings of(JsonNode root, String where) {
      Optional<String> level = Optional.ofNullable(root.get("log_level")).map(n -> oneOf(n, where + " log_level", LEVELS));
      Optional<String> format = Optional.ofNullable(root.get("log_format")).map(n -> oneOf(n, where + " log_format", FORMATS));
      return new LogSettings(level, format);
    }

    private static String oneOf(JsonNode node, String where, List<String> accepted) {
      String value = text(node, where).strip().toLowerCase(java.util.Locale.ROOT);
      if (!accepted.contains(value)) {
        throw new IllegalArgumentException(where + ": '" + node.asText() + "' is not one of " + String.join(", ", accepted));
      }
      return value;
    }
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
   * @param weight its share of each model's traffic among the model's deployments (default 1)
   * @param retry how its failed calls are tried again; empty: the config's {@code retry}
   */
  public record ProviderConfig(String name, String type, String baseUrl, String apiKeyEnv, List<String> models,
      int weight, Optional<dev.effort.core.resilience.RetryPolicy> retry) {
    public ProviderConfig(String name, String type, String baseUrl, String apiKeyEnv, List<String> models) {
      this(name, type, baseUrl, apiKeyEnv, models, 1, Optional.empty());
    }
  }

  public static GatewayConfig defaults() {
    return new GatewayConfig(DEFAULT_PORT, Optional.empty(), Effort.HIGH, DEFAULT_MAX_BODY_BYTES, Optional.empty(), 1.0,
        List.of(), List.of(), Optional.empty(), GovernanceConfig.DEFAULTS, ListenerConfig.DEFAULTS, ResilienceConfig.DEFAULTS);
  }

  private static final Set<String> KEYS =
      Set.of("port", "data", "default_effort", "max_body_bytes", "router", "target", "providers", "catalog", "ladder", "bench_json",
          "database", "auth", "admin_key_env", "redis", "over_budget", "tempo_multiplier", "tempo_min_requests_per_second",
          "host", "header_timeout_seconds", "idle_timeout_seconds", "max_connections_per_client", "metrics_public",
          "ledger_retention_days", "on_failure", "balance", "ttft_deadline_ms", "breaker", "retry", "fallbacks",
          "log_level", "log_format");
  private static final Set<String> PROVIDER_KEYS = Set.of("name", "type", "base_url", "api_key_env", "models", "weight", "retry");
  private static final Set<String> RETRY_KEYS = Set.of("max_retries", "backoff_base_ms", "backoff_max_ms");
  private static final Set<String> BREAKER_KEYS = Set.of("window", "min_calls", "failure_rate", "slow_call_ms",
      "slow_call_rate", "open_ms", "half_open_probes");
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
    LogSettings.of(root, where);
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
    ResilienceConfig resilience = resilience(root, where);
    List<JsonNode> catalog = list(root.get("catalog"), where + " catalog");
    Optional<JsonNode> ladder = Optional.ofNullable(root.get("ladder")).filter(n -> !n.isNull());
    Optional<String> database = root.has("database") ? Optional.of(text(root.get("database"), where + " database")) : Optional.empty();
    // YAML 1.1 reads an unquoted off / no / false (and on / yes / true) as a boolean.
    Optional<String> auth = !root.has("auth") ? Optional.empty()
        : root.get("auth").isBoolean() ? Optional.of(root.get("auth").asBoolean() ? "required" : "off")
        : Optional.of(text(root.get("auth"), where + " auth"));
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
    ListenerConfig defaults = ListenerConfig.DEFAULTS;
    ListenerConfig listener = new ListenerConfig(
        root.has("host") ? text(root.get("host"), where + " host") : defaults.host(),
        root.has("header_timeout_seconds")
            ? java.time.Duration.ofSeconds(intIn(root.get("header_timeout_seconds"), where + " header_timeout_seconds", 1, 3600))
            : defaults.headerTimeout(),
        root.has("idle_timeout_seconds")
            ? java.time.Duration.ofSeconds(intIn(root.get("idle_timeout_seconds"), where + " idle_timeout_seconds", 1, 86_400))
            : defaults.idleTimeout(),
        root.has("max_connections_per_client")
            ? intIn(root.get("max_connections_per_client"), where + " max_connections_per_client", 1, 1_000_000)
            : defaults.maxConnectionsPerClient());
    boolean metricsPublic = root.has("metrics_public") && bool(root.get("metrics_public"), where + " metrics_public");
    int retention = root.has("ledger_retention_days")
        ? intIn(root.get("ledger_retention_days"), where + " ledger_retention_days", 0, 100_000) : 0;
    return new GatewayConfig(port, data, level, maxBody, router, target, providers, catalog, ladder,
        new GovernanceConfig(database.map(d -> d.startsWith("jdbc:sqlite:") && !Path.of(d.substring(12)).isAbsolute()
            ? "jdbc:sqlite:" + dir.resolve(d.substring(12)) : d), auth, adminEnv, redis, overBudget, multiplier, minRate,
            metricsPublic, retention), listener, resilience,
        root.has("bench_json") ? Optional.of(dir.resolve(text(root.get("bench_json"), where + " bench_json"))) : Optional.empty());
  }

  private static ResilienceConfig resilience(JsonNode root, String where) {
    ResilienceConfig d = ResilienceConfig.DEFAULTS;
    try {
      var onFailure = root.has("on_failure")
          ? dev.effort.core.resilience.Fallback.OnFailure.parse(text(root.get("on_failure"), where + " on_failure"))
          : d.onFailure();
      var balance = root.has("balance")
          ? dev.effort.core.resilience.Deployments.Balance.parse(text(root.get("balance"), where + " balance")) : d.balance();
      Optional<java.time.Duration> ttft = root.has("ttft_deadline_ms")
          ? Optional.of(java.time.Duration.ofMillis(intIn(root.get("ttft_deadline_ms"), where + " ttft_deadline_ms", 1, 3_600_000)))
          : d.ttftDeadline();
      var breaker = root.has("breaker") ? breaker(root.get("breaker"), where + " breaker") : d.breaker();
      var retry = root.has("retry") ? retry(root.get("retry"), where + " retry", d.retry()) : d.retry();
      Map<String, List<String>> fallbacks = new java.util.LinkedHashMap<>();
      JsonNode f = root.get("fallbacks");
      if (f != null && !f.isNull()) {
        if (!f.isObject()) {
          throw new IllegalArgumentException(where + " fallbacks: expected a mapping of model -> [models that may answer in its place]");
        }
        for (Map.Entry<String, JsonNode> e : f.properties()) {
          List<String> standIns = new ArrayList<>();
          for (JsonNode m : list(e.getValue(), where + " fallbacks " + e.getKey())) {
            standIns.add(text(m, where + " fallbacks " + e.getKey()));
          }
          fallbacks.put(e.getKey(), standIns);
        }
      }
      return new ResilienceConfig(onFailure, balance, ttft, breaker, retry, fallbacks);
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + " " + e.getMessage(), e);
    }
  }

  private static void keysIn(JsonNode node, Set<String> accepted, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping with " + String.join(", ", accepted.stream().sorted().toList()));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!accepted.contains(e.getKey())) {
        throw new IllegalArgumentException(where + ": unknown key '" + e.getKey() + "'; accepted: "
            + String.join(", ", accepted.stream().sorted().toList()));
      }
    }
  }

  private static dev.effort.core.resilience.RetryPolicy retry(JsonNode node, String where,
      dev.effort.core.resilience.RetryPolicy d) {
    keysIn(node, RETRY_KEYS, where);
    return new dev.effort.core.resilience.RetryPolicy(
        node.has("max_retries") ? intIn(node.get("max_retries"), where + " max_retries", 0, 10) : d.maxRetries(),
        node.has("backoff_base_ms") ? java.time.Duration.ofMillis(intIn(node.get("backoff_base_ms"), where + " backoff_base_ms", 0, 600_000)) : d.base(),
        node.has("backoff_max_ms") ? java.time.Duration.ofMillis(intIn(node.get("backoff_max_ms"), where + " backoff_max_ms", 0, 3_600_000)) : d.max());
  }

  private static dev.effort.core.resilience.BreakerSettings breaker(JsonNode node, String where) {
    keysIn(node, BREAKER_KEYS, where);
    var d = dev.effort.core.resilience.BreakerSettings.DEFAULT;
    return new dev.effort.core.resilience.BreakerSettings(
        node.has("window") ? intIn(node.get("window"), where + " window", 1, 10_000) : d.window(),
        node.has("min_calls") ? intIn(node.get("min_calls"), where + " min_calls", 1, 10_000) : d.minCalls(),
        node.has("failure_rate") ? share(node.get("failure_rate"), where + " failure_rate") : d.failureRate(),
        node.has("slow_call_ms") ? java.time.Duration.ofMillis(intIn(node.get("slow_call_ms"), where + " slow_call_ms", 1, 3_600_000)) : d.slowCall(),
        node.has("slow_call_rate") ? share(node.get("slow_call_rate"), where + " slow_call_rate") : d.slowCallRate(),
        node.has("open_ms") ? java.time.Duration.ofMillis(intIn(node.get("open_ms"), where + " open_ms", 1, 86_400_000)) : d.openFor(),
        node.has("half_open_probes") ? intIn(node.get("half_open_probes"), where + " half_open_probes", 1, 1000) : d.halfOpenProbes());
  }

  private static double share(JsonNode node, String where) {
    if (node == null || !node.isNumber() || !(node.asDouble() > 0 && node.asDouble() <= 1)) {
      throw new IllegalArgumentException(where + ": expected a share in (0, 1], e.g. 0.5");
    }
    return node.asDouble();
  }

  private static boolean bool(JsonNode node, String where) {
    if (node == null || !node.isBoolean()) {
      throw new IllegalArgumentException(where + ": expected true or false");
    }
    return node.asBoolean();
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
    int weight = p.has("weight") ? intIn(p.get("weight"), where + " " + name + " weight", 1, 1000) : 1;
    Optional<dev.effort.core.resilience.RetryPolicy> retry = p.has("retry")
        ? Optional.of(retry(p.get("retry"), where + " " + name + " retry", dev.effort.core.resilience.RetryPolicy.DEFAULT))
        : Optional.empty();
    return new ProviderConfig(name, type, baseUrl, keyEnv, models, weight, retry);
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
    if (node != null && node.isBoolean()) {
      throw new IllegalArgumentException(where + ": YAML read an unquoted word (off, on, no, yes, false or true) as the"
          + " boolean " + node.asBoolean() + "; quote it to mean the word, e.g. '" + (node.asBoolean() ? "on" : "off") + "'");
    }
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
