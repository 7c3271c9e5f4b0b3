package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Catalog;
import dev.effort.core.Json;
import dev.effort.core.Ladder;
import dev.effort.core.ModelInfo;
import dev.effort.core.Provider;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.providers.replay.ReplayCatalog;
import dev.effort.providers.replay.ReplayProvider;
import dev.effort.providers.live.LiveProviders;
import dev.effort.providers.live.Upstream;
import dev.effort.core.Effort;
import dev.effort.core.Plan;
import dev.effort.core.Step;
import dev.effort.core.Strategy;
import dev.effort.core.Ask;
import dev.effort.core.Executor;
import dev.effort.core.Planner;
import dev.effort.core.Usage;
import dev.effort.core.resilience.ChooseDeployment;
import dev.effort.core.resilience.Deployment;
import dev.effort.core.resilience.Deployments;
import dev.effort.core.resilience.Fallback;
import dev.effort.core.resilience.Health;
import dev.effort.core.resilience.Hedge;
import dev.effort.core.resilience.Retry;
import dev.effort.providers.InputTokens;
import dev.effort.providers.TokenCounter;
import java.net.URI;
import java.util.EnumMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the gateway's {@link Fleet} from its config. */
public final class Fleets {
  private Fleets() {}

  /**
   * With no provider configured: the replay provider over the recorded data in {@code data}, so
   * the whole API works without keys. Otherwise the configured upstreams.
   */
  public static Fleet fromConfig(GatewayConfig config, Path data) {
    Catalog catalog = withOverrides(Catalog.builtIn(), config.catalog());
    if (config.providers().isEmpty()) {
      return replay(catalog, config.ladder().map(Fleets::ladder).orElseGet(Ladder::routerBench), data);
    }
    return live(catalog, config);
  }

  /**
   * The configured upstreams. Without a ladder in the config, every level is one call to the
   * first configured model, the level turning that model's own knobs (native effort, thinking).
   */
  public static Fleet live(Catalog catalog, GatewayConfig config) {
    Map<String, List<Deployment>> byModel = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    java.util.Set<String> providerNames = new java.util.HashSet<>();
    for (GatewayConfig.ProviderConfig p : config.providers()) {
      if (!providerNames.add(p.name())) {
        throw new IllegalArgumentException("two providers are named " + p.name() + "; give each its own name");
      }
      String variable = p.apiKeyEnv() != null ? p.apiKeyEnv() : LiveProviders.defaultApiKeyVariable(p.type()).orElse("");
      Upstream upstream = variable.isEmpty()
          ? new Upstream(p.name(), URI.create(p.baseUrl()), "", "")
          : Upstream.fromEnvironment(p.name(), URI.create(p.baseUrl()), variable);
      Provider provider = LiveProviders.create(p.type(), upstream, catalog);
      Deployment deployment = new Deployment(p.name(), provider, p.weight(), p.retry().orElse(config.resilience().retry()));
      for (String model : p.models()) {
        if (!catalog.contains(model)) {
          throw new IllegalArgumentException("provider " + p.name() + " serves " + model + ", which the catalog does not know;"
              + " add it under 'catalog:' with its prices and latency priors");
        }
        // A model listed by several providers has several deployments: failover and balancing among them.
        byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(deployment);
      }
      names.add(p.name() + " (" + p.type() + ", " + String.join(", ", p.models()) + ")");
    }
    Ladder ladder = config.ladder().map(Fleets::ladder).orElseGet(() -> knobLadder(byModel.keySet().iterator().next()));
    for (String m : ladder.models()) {
      if (!byModel.containsKey(m)) {
        throw new IllegalArgumentException("the ladder calls " + m + ", which no configured provider serves");
      }
    }
    config.resilience().fallbacks().forEach((model, standIns) -> {
      for (String m : java.util.stream.Stream.concat(java.util.stream.Stream.of(model), standIns.stream()).toList()) {
        if (!byModel.containsKey(m)) {
          throw new IllegalArgumentException("fallbacks name " + m + ", which no configured provider serves");
        }
      }
    });
    return new Fleet(catalog, ladder, byModel, "providers " + String.join("; ", names) + ", ladder " + ladder.fleet());
  }

  /**
   * The executor every entry point runs asks through (the gateway, {@code effort ask}, {@code
   * effort chat}, the library): {@code exchangeLinks} around each request, then fallback along the
   * dial around each plan, and around each provider call deployment choice and circuit breaker →
   * retry / failover → hedge → circuit accounting.
   *
   * @param onRetry told of each retry (model, deployment), for metrics
   */
  public static Executor executor(Fleet fleet, Planner planner, GatewayConfig.ResilienceConfig resilience,
      List<Executor.ExchangeLink> exchangeLinks, java.util.function.BiConsumer<String, String> onRetry) {
    return executor(fleet, planner, resilience, exchangeLinks, onRetry, List.of());
  }

  /**
   * The same executor, with {@code attemptLinks} innermost around each attempt, after the
   * deployment is chosen and its circuit let the call through: one run per upstream call made
   * (each retry, each of a hedge's racers, each of a cascade's probes), as traces need.
   */
  public static Executor executor(Fleet fleet, Planner planner, GatewayConfig.ResilienceConfig resilience,
      List<Executor.ExchangeLink> exchangeLinks, java.util.function.BiConsumer<String, String> onRetry,
      List<Executor.CallLink> attemptLinks) {
    Deployments deployments = new Deployments(fleet.deployments(), resilience.balance(), resilience.breaker(),
        System::nanoTime);
    List<Executor.CallLink> callLinks = new ArrayList<>(
        List.of(new ChooseDeployment(deployments), new Retry(onRetry), new Hedge(), new Health(deployments)));
    callLinks.addAll(attemptLinks);
    return new Executor(deployments, exchangeLinks,
        List.of(new Fallback(planner, deployments, resilience.onFailure(), resilience.fallbacks())),
        callLinks, (ask, model, output) -> spent(fleet.catalog(), ask, model, output));
  }

  /**
   * What an upstream bills for an attempt that ended without an answer (a stream cut short, a
   * hedge's cancelled loser): the prompt, and the output it streamed (at least one token), at the
   * model's prices.
   */
  static Executor.Spent spent(Catalog catalog, Ask ask, String model, String output) {
    Usage usage = new Usage(InputTokens.of(ask.messages(), ask.tools()), Math.max(1, TokenCounter.count(output)), 0);
    return new Executor.Spent(usage, catalog.find(model).map(m -> m.costUsd(usage)).orElse(0.0));
  }

  /** Every level one call to {@code model}, the level on the model's own knob. */
  public static Ladder knobLadder(String model) {
    Map<Effort, Plan> plans = new EnumMap<>(Effort.class);
    for (Effort level : Effort.LEVELS) {
      plans.put(level, new Plan(Strategy.SINGLE, List.of(new Step(model, Optional.of(level), OptionalInt.empty(), OptionalInt.empty()))));
    }
    return new Ladder("knobs of " + model, plans);
  }

  public static Fleet replay(Catalog catalog, Ladder ladder, Path data) {
    List<RecordedDataset> datasets = RouterBenchCsv.loadFolder(data);
    Catalog fleetCatalog = ReplayCatalog.of(catalog, datasets);
    Provider replay = new ReplayProvider(datasets, fleetCatalog);
    Map<String, List<Deployment>> byModel = new LinkedHashMap<>();
    List<Deployment> one = List.of(new Deployment(replay.name(), replay, 1, dev.effort.core.resilience.RetryPolicy.DEFAULT));
    datasets.forEach(d -> d.models().forEach(m -> byModel.put(m, one)));
    for (String m : ladder.models()) {
      if (!byModel.containsKey(m)) {
        throw new IllegalArgumentException("the ladder calls " + m + ", which the recorded data in " + data + " does not have");
      }
    }
    return new Fleet(fleetCatalog, ladder, byModel, "replay of " + datasets.size() + " recorded data sets in " + data
        + " (" + byModel.size() + " models)");
  }

  static Catalog withOverrides(Catalog catalog, List<JsonNode> entries) {
    List<ModelInfo> models = new ArrayList<>();
    for (JsonNode e : entries) {
      try {
        models.add(Json.MAPPER.treeToValue(e, ModelInfo.class));
      } catch (IOException | IllegalArgumentException ex) {
        throw new IllegalArgumentException("catalog entry " + e.path("id").asText("(no id)") + ": " + ex.getMessage(), ex);
      }
    }
    // An entry of the config replaces the built-in entry of the same id.
    List<ModelInfo> all = new ArrayList<>(models);
    catalog.ids().stream().filter(id -> models.stream().noneMatch(m -> m.id().equals(id))).map(catalog::model).forEach(all::add);
    return new Catalog(all);
  }

  private static Ladder ladder(JsonNode node) {
    try {
      return Ladder.read(new ByteArrayInputStream(Json.bytes(node)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ladder of the config", e);
    }
  }
}
