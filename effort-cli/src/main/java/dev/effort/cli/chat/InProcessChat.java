package dev.effort.cli.chat;

import dev.effort.core.Ask;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Planner;
import dev.effort.core.Router;
import dev.effort.server.Fleet;
import dev.effort.server.ModelField;
import java.util.Optional;

/** Answers through the planner and executor in this process, over a fleet built from the config. */
public final class InProcessChat implements ChatBackend {
  private final Fleet fleet;
  private final Planner planner;
  private final Executor executor;
  private final Effort defaultEffort;
  private final Optional<RecordedPrompts> recorded;

  /**
   * @param recorded the recording's prompts when the fleet replays it
   */
  public InProcessChat(Fleet fleet, Optional<Router> router, double target, Effort defaultEffort,
      Optional<RecordedPrompts> recorded) {
    this.fleet = fleet;
    this.planner = new Planner(fleet.ladder(), fleet.catalog(), defaultEffort, router, target);
    this.executor = new Executor(fleet::provider);
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
