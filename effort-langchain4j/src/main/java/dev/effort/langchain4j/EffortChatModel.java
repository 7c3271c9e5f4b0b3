package dev.effort.langchain4j;

import dev.effort.client.EffortClient;
import dev.effort.core.Effort;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Objects;

/**
 * The effort dial as a LangChain4j {@link ChatModel}: each request runs through an {@link
 * EffortClient} (planner, executor, fallback along the dial) and the response's metadata is an
 * {@link EffortResponseMetadata} holding the trace. The level comes from {@link
 * EffortRequestParameters#effort()}, else the model name ({@code effort-low} … {@code effort-max},
 * {@code effort-auto}, or a model id that pins that model), else the builder's {@code effort}.
 */
public final class EffortChatModel implements ChatModel {
  private final EffortClient client;
  private final Effort effort;
  private final EffortRequestParameters defaults;
  private final List<ChatModelListener> listeners;

  private EffortChatModel(Builder b) {
    this.client = Objects.requireNonNull(b.client, "client: give the EffortClient that answers");
    this.effort = b.effort != null ? b.effort : client.defaultEffort();
    this.defaults = EffortRequestParameters.builder().modelName(b.modelName).build();
    this.listeners = List.copyOf(b.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return Mapping.response(client.ask(Mapping.ask(request, client, effort)));
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return defaults;
  }

  @Override
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  public static final class Builder {
    private EffortClient client;
    private Effort effort;
    private String modelName = "effort";
    private List<ChatModelListener> listeners = List.of();

    private Builder() {}

    public Builder client(EffortClient value) {
      this.client = value;
      return this;
    }

    /** The level of a request that names none (default: the client's default level). */
    public Builder effort(Effort value) {
      this.effort = value;
      return this;
    }

    /** The default model name (default {@code effort}: the dial chooses); {@code effort-high} sets a level. */
    public Builder modelName(String value) {
      this.modelName = value;
      return this;
    }

    public Builder listeners(List<ChatModelListener> value) {
      this.listeners = value;
      return this;
    }

    public EffortChatModel build() {
      return new EffortChatModel(this);
    }
  }
}
