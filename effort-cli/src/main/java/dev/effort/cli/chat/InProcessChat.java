package dev.effort.cli.chat;

import dev.effort.core.Ask;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Planner;
import dev.effort.core.Router;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.GatewayConfig;
import dev.effort.server.ModelField;
import java.util.Optional;

/** Answers through the planner and executor in this process, over a fleet built from the config. */
public final class InProcessChat implements ChatBackend {
  private final Fleet fleet;
  private final Planner planner;
  private final Executor executor;
  private final Effort defaultEffort;
  private final Optional<RecordedPrompts> recorded;

  /** With the default retries, circuit breakers and fallback. */
  public InProcessChat(Fleet fleet, Optional<Router> router, double target, Effort defaultEffort,
      Optional<RecordedPrompts> recorded) {
    this(fleet, router, target, defaultEffort, recorded, GatewayConfig.ResilienceConfig.DEFAULTS);
  }

  /**
   * @param recorded the recording's prompts when the fleet replays it
   * @param resilience the config's retries, circuit breakers and fallback, as the gateway runs them
   */
  public InProcessChat(Fleet fleet, Optional<Router> router, double target, Effort defaultEffort,
      Optional<RecordedPrompts> recorded, GatewayConfig.ResilienceConfig resilience) {
    this.fleet = fleet;
    this.planner = fleet.planner(defaultEffort, router, target);
    this.executor = Fleets.executor(fleet, planner, resilience, java.util.List.of(), (model, deployment) -> { });
    this.defaultEffort = defaultEffort;
    this.recorded = recorded;
  }

  @Override
  public String description() {
    return "in process, " + fleet.description();
  }

  @Override
  public Optional<Effort> defaultEffort() {
    return Optional.of(defaultEffort);
  }

  /** As the gateway reads the model field; its error lists every accepted name. */
  @Override
  public String pinnable(String name) {
    ModelField field = ModelField.parse(name, fleet.catalog(), fleet.models());
    return field.pinned().orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a model id"));
  }

  @Override
  public Optional<RecordedPrompts> recorded() {
    return recorded;
  }

  @Override
  public ChatReply answer(Ask ask, boolean levelChosen, Deltas deltas) {
    return ChatReply.of(executor.execute(planner.plan(ask), deltas));
  }
}
