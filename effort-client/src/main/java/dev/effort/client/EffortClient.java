package dev.effort.client;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.core.Provider;
import dev.effort.core.Router;
import dev.effort.core.resilience.Deployment;
import dev.effort.providers.live.LiveProviders;
import dev.effort.providers.live.Upstream;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The dial from plain Java: the one entry point for applications. Built from a config file (the
 * gateway's YAML: providers, ladder, catalog, router, resilience) or a {@link #builder()}; asks
 * run through the same planner and executor as the gateway, {@code effort ask} and {@code effort
 * chat} (retries, circuit breakers, fallback along the dial), and every {@link Answer} carries its
 * text, usage, cost, latency and {@link dev.effort.core.Trace}.
 *
 * <p>Thread-safe: one client serves any number of threads. Keys, budgets, rate limits and the
 * ledger are the gateway's; an application that needs them talks to a gateway.
 */
public final class EffortClient {
  private final Fleet fleet;
  private final Planner planner;
  private final Executor executor;
  private final Effort defaultEffort;
  private final Optional<Duration> deadline;
  private final Optional<Double> maxCostUsd;

  private EffortClient(Fleet fleet, Optional<Router> router, double target, Effort defaultEffort,
      GatewayConfig.ResilienceConfig resilience, Optional<Duration> deadline, Optional<Double> maxCostUsd) {
    this.fleet = fleet;
    this.planner = fleet.planner(defaultEffort, router, target);
    this.executor = Fleets.executor(fleet, planner, resilience, List.of(), (model, deployment) -> { });
    this.defaultEffort = defaultEffort;
    this.deadline = deadline;
    this.maxCostUsd = maxCostUsd;
  }

  /**
   * A client as the gateway would run {@code file}: its providers, catalog entries, ladder,
   * router, target, default effort and resilience settings. A config with no provider replays the
   * recorded data of its {@code data} folder. Its keys, budgets and ledger settings are not used.
   *
   * @throws IllegalArgumentException when the config is invalid, saying what is wrong
   */
  public static EffortClient fromConfig(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config " + file + " is not a file");
    }
    GatewayConfig config = GatewayConfig.read(file);
    Path data = null;
    if (config.providers().isEmpty()) {
      data = config.data().orElseThrow(() -> new IllegalArgumentException(file + ": no provider and no recorded data;"
          + " add 'providers:' or 'data: DIR' (a folder of RouterBench-format CSV files)"));
    }
    Fleet fleet = Fleets.fromConfig(config, data);
    Optional<Router> router = config.router().isPresent() ? Optional.of(Router.load(config.router().get())) : Optional.empty();
    return new EffortClient(fleet, router, config.target(), config.defaultEffort(), config.resilience(),
        Optional.empty(), Optional.empty());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Answers {@code prompt} at the client's default level. */
  public Answer ask(String prompt) {
    return ask(Ask.of(prompt, defaultEffort));
  }

  public Answer ask(String prompt, Effort effort) {
    return ask(Ask.of(prompt, effort));
  }

  /**
   * Answers a whole request: messages, level, pinned model, deadline, cost cap, tools. The
   * client's deadline and cost cap apply when the ask sets none.
   *
   * @throws dev.effort.core.ProviderException when no deployment or fallback could answer, saying why
   * @throws dev.effort.core.UnknownModelException when the ask pins a model the catalog does not know
   */
  public Answer ask(Ask ask) {
    return stream(ask, Deltas.NONE);
  }

  /** Streams the answer's text to {@code text} as it is written, and returns the whole answer with its trace. */
  public Answer stream(String prompt, Effort effort, Consumer<String> text) {
    return stream(Ask.of(prompt, effort), text);
  }

  public Answer stream(Ask ask, Consumer<String> text) {
    Objects.requireNonNull(text, "text");
    return stream(ask, new Deltas() {
      @Override
      public void thinking(String delta) {}

      @Override
      public void text(String delta) {
        text.accept(delta);
      }
    });
  }

  /**
   * Streams every block of the answer (thinking, text, tool calls, the plan and model as they are
   * chosen) to {@code deltas}. A single call streams as the model writes; a cascade or vote
   * streams its answer once it is chosen.
   */
  public Answer stream(Ask ask, Deltas deltas) {
    return executor.execute(plan(ask), deltas);
  }

  /** What the client would do for {@code ask}: the level applied, the plan and why, without running it. */
  public PlannedAsk plan(Ask ask) {
    return planner.plan(limited(ask));
  }

  private Ask limited(Ask ask) {
    Ask limited = ask;
    if (ask.deadline().isEmpty() && deadline.isPresent()) {
      limited = limited.withDeadline(deadline.get());
    }
    if (ask.maxCostUsd().isEmpty() && maxCostUsd.isPresent()) {
      limited = new Ask(limited.messages(), limited.effort(), limited.model(), limited.deadline(), maxCostUsd,
          limited.key(), limited.tags(), limited.maxTokens(), limited.tools(), limited.stopSequences(),
          limited.passthrough(), limited.ttftDeadline());
    }
    return limited;
  }

  /** The level of an ask that names none ({@link #ask(String)}). */
  public Effort defaultEffort() {
    return defaultEffort;
  }

  /** The models this client can call, in catalog order. */
  public List<String> models() {
    return fleet.models();
  }

  public Catalog catalog() {
    return fleet.catalog();
  }

  public Ladder ladder() {
    return fleet.ladder();
  }

  /** One line: what answers (providers or the replayed recording) and the ladder. */
  public String description() {
    return fleet.description();
  }

  /**
   * Builds a client from parts. Give the models' providers ({@link #provider}, {@link #upstream})
   * or recorded data ({@link #replay}); everything else has the gateway's defaults.
   */
  public static final class Builder {
    private Catalog catalog = Catalog.builtIn();
    private Optional<Ladder> ladder = Optional.empty();
    private final Map<String, List<Deployment>> deployments = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private Optional<Path> replay = Optional.empty();
    private Optional<Router> router = Optional.empty();
    private double target = Planner.DEFAULT_TARGET;
    private Effort defaultEffort = Effort.HIGH;
    private GatewayConfig.ResilienceConfig resilience = GatewayConfig.ResilienceConfig.DEFAULTS;
    private Optional<Duration> deadline = Optional.empty();
    private Optional<Double> maxCostUsd = Optional.empty();

    private Builder() {}

    /** The models' prices, limits and latency priors (default: the built-in catalog). */
    public Builder catalog(Catalog value) {
      this.catalog = Objects.requireNonNull(value, "catalog");
      return this;
    }

    /**
     * The plan of each level. Default: the RouterBench ladder on replay; with providers, every
     * level one call to the first model, the level on its own knobs.
     */
    public Builder ladder(Ladder value) {
      this.ladder = Optional.of(value);
      return this;
    }

    /** {@code provider} serves {@code models} (catalog ids); a model given twice has two deployments. */
    public Builder provider(Provider provider, String... models) {
      if (models.length == 0) {
        throw new IllegalArgumentException("provider " + provider.name() + ": name the catalog models it serves");
      }
      for (String model : models) {
        if (!catalog.contains(model)) {
          throw new IllegalArgumentException("provider " + provider.name() + " serves " + model
              + ", which the catalog does not know; add it with catalog(...) first");
        }
        deployments.computeIfAbsent(model, m -> new ArrayList<>())
            .add(new Deployment(provider.name(), provider, 1, resilience.retry()));
      }
      names.add(provider.name() + " (" + String.join(", ", models) + ")");
      return this;
    }

    /**
     * A live upstream, as a config's {@code providers:} entry: {@code type} is {@code anthropic},
     * {@code openai} or {@code openai-compatible}; its key is read from the environment variable
     * {@code apiKeyVariable} (empty for none).
     */
    public Builder upstream(String name, String type, URI baseUrl, String apiKeyVariable, String... models) {
      Upstream upstream = apiKeyVariable.isEmpty() ? new Upstream(name, baseUrl, "", "")
          : Upstream.fromEnvironment(name, baseUrl, apiKeyVariable);
      return provider(LiveProviders.create(type, upstream, catalog), models);
    }

    /** Answers from the recorded outcomes in {@code folder} (RouterBench-format CSV files), without network or keys. */
    public Builder replay(Path folder) {
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException("replay: " + folder + " is not a folder of RouterBench-format CSV files");
      }
      this.replay = Optional.of(folder);
      return this;
    }

    /** Decides {@code auto} (a router file from {@code effort tune}); without one, auto runs the default level. */
    public Builder router(Router value) {
      this.router = Optional.of(value);
      return this;
    }

    public Builder router(Path file) throws IOException {
      return router(Router.load(file));
    }

    /** Auto's quality target as a share of max's accuracy (default 1.0). */
    public Builder target(double value) {
      this.target = value;
      return this;
    }

    /** The level of an ask that names none (default {@code high}); a fixed level. */
    public Builder defaultEffort(Effort value) {
      if (!value.isFixed()) {
        throw new IllegalArgumentException("the default effort must be a fixed level (low … max), not " + value.wireName());
      }
      this.defaultEffort = value;
      return this;
    }

    /** Retries, circuit breakers, balancing and fallback (default: the gateway's). */
    public Builder resilience(GatewayConfig.ResilienceConfig value) {
      this.resilience = Objects.requireNonNull(value, "resilience");
      return this;
    }

    /** Every ask's latency budget unless it sets its own: a level is lowered until its plan is expected to fit. */
    public Builder deadline(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, got " + value);
      }
      this.deadline = Optional.of(value);
      return this;
    }

    /** Every ask's cost cap in USD unless it sets its own: a level is lowered until its plan is expected to fit. */
    public Builder maxCostUsd(double value) {
      if (!(value > 0)) {
        throw new IllegalArgumentException("maxCostUsd must be positive, got " + value);
      }
      this.maxCostUsd = Optional.of(value);
      return this;
    }

    /** @throws IllegalArgumentException when there is nothing to answer, or the ladder calls a model no one serves */
    public EffortClient build() {
      Fleet fleet;
      if (replay.isPresent()) {
        if (!deployments.isEmpty()) {
          throw new IllegalArgumentException("give providers or replay(folder), not both");
        }
        fleet = Fleets.replay(catalog, ladder.orElseGet(Ladder::routerBench), replay.get());
      } else if (!deployments.isEmpty()) {
        Ladder plans = ladder.orElseGet(() -> Fleets.knobLadder(deployments.keySet().iterator().next()));
        for (String m : plans.models()) {
          if (!deployments.containsKey(m)) {
            throw new IllegalArgumentException("the ladder calls " + m + ", which no provider serves; add it with provider(...)");
          }
        }
        fleet = new Fleet(catalog, plans, deployments, "providers " + String.join("; ", names) + ", ladder " + plans.fleet());
      } else {
        throw new IllegalArgumentException("nothing to answer with: add provider(...) or upstream(...), or replay(folder)"
            + " for recorded data");
      }
      return new EffortClient(fleet, router, target, defaultEffort, resilience, deadline, maxCostUsd);
    }
  }
}
