package dev.effort.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;

/**
 * The effort dial as a LangChain4j {@link ChatModel}: each request runs through an {@link
 * dev.effort.client.EffortClient} (planner, executor, fallback along the dial) and the response's metadata is an
 * {@link EffortResponseMetadata} holding the trace. The level comes from {@link
 * EffortRequestParameters#effort()}, else the model name ({@code effort-low} … {@code effort-max},
 * {@code effort-auto}, or a model id that pins that model), else the builder's {@code effort}.
 */
public final class EffortChatModel implements ChatModel {
  private final ModelSettings settings;

  private EffortChatModel(ModelSettings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return Mapping.response(settings.client().ask(settings.ask(request)));
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return settings.defaults();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return settings.listeners();
  }

  public static final class Builder extends ModelSettings.Builder<Builder, EffortChatModel> {
    private Builder() {}

    @Override
    public EffortChatModel build() {
      return new EffortChatModel(settings());
    }
  }
}
