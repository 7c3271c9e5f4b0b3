package dev.effort.langchain4j;

import dev.effort.client.EffortClient;
import dev.effort.core.Answer;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Objects;

/**
 * The effort dial as a LangChain4j {@link StreamingChatModel}: as {@link EffortChatModel}, with
 * the answer's text and thinking passed to the handler as they are written (a single call streams
 * as the model writes; a cascade or vote once its answer is chosen), then its tool calls whole,
 * then the complete response with the trace in its {@link EffortResponseMetadata}. Each request
 * runs on a virtual thread of its own; a failure goes to {@code onError}.
 */
public final class EffortStreamingChatModel implements StreamingChatModel {
  private final EffortClient client;
  private final Effort effort;
  private final EffortRequestParameters defaults;
  private final List<ChatModelListener> listeners;

  private EffortStreamingChatModel(Builder b) {
    this.client = Objects.requireNonNull(b.client, "client: give the EffortClient that answers");
    this.effort = b.effort != null ? b.effort : client.defaultEffort();
    this.defaults = EffortRequestParameters.builder().modelName(b.modelName).build();
    this.listeners = List.copyOf(b.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    Thread.ofVirtual().name("effort-stream").start(() -> {
      Answer answer;
      try {
        answer = client.stream(Mapping.ask(request, client, effort), new Deltas() {
          @Override
          public void thinking(String delta) {
            handler.onPartialThinking(new PartialThinking(delta));
          }

          @Override
          public void text(String delta) {
            handler.onPartialResponse(delta);
          }
        });
      } catch (RuntimeException e) {
        handler.onError(e);
        return;
      }
      ChatResponse response = Mapping.response(answer);
      List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
      for (int i = 0; i < calls.size(); i++) {
        handler.onCompleteToolCall(new CompleteToolCall(i, calls.get(i)));
      }
      handler.onCompleteResponse(response);
    });
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

    public EffortStreamingChatModel build() {
      return new EffortStreamingChatModel(this);
    }
  }
}
