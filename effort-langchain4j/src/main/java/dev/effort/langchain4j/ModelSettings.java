package dev.effort.langchain4j;

import dev.effort.client.EffortClient;
import dev.effort.core.Effort;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import java.util.List;
import java.util.Objects;

/** What both chat models are built from: the client that answers, the default level and model name, listeners. */
record ModelSettings(EffortClient client, Effort effort, EffortRequestParameters defaults,
    List<ChatModelListener> listeners) {

  /** The ask of a LangChain4j request: its level from its parameters, its model name, else {@link #effort}. */
  dev.effort.core.Ask ask(dev.langchain4j.model.chat.request.ChatRequest request) {
    return Mapping.ask(request, client, effort);
  }

  /** The builder both models share; {@code M} is the model it builds. */
  public abstract static class Builder<B extends Builder<B, M>, M> {
    private EffortClient client;
    private Effort effort;
    private String modelName = "effort";
    private List<ChatModelListener> listeners = List.of();

    Builder() {}

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    public B client(EffortClient value) {
      this.client = value;
      return self();
    }

    /** The level of a request that names none (default: the client's default level). */
    public B effort(Effort value) {
      this.effort = value;
      return self();
    }

    /** The default model name (default {@code effort}: the dial chooses); {@code effort-high} sets a level. */
    public B modelName(String value) {
      this.modelName = value;
      return self();
    }

    public B listeners(List<ChatModelListener> value) {
      this.listeners = value;
      return self();
    }

    public abstract M build();

    ModelSettings settings() {
      EffortClient c = Objects.requireNonNull(client, "client: give the EffortClient that answers");
      return new ModelSettings(c, effort != null ? effort : c.defaultEffort(),
          EffortRequestParameters.builder().modelName(modelName).build(), List.copyOf(listeners));
    }
  }
}
