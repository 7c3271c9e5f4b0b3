package dev.effort.langchain4j;

import dev.effort.core.Answer;
import dev.effort.core.Deltas;
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

/**
 * The effort dial as a LangChain4j {@link StreamingChatModel}: as {@link EffortChatModel}, with
 * the answer's text and thinking passed to the handler as they are written (a single call streams
 * as the model writes; a cascade or vote once its answer is chosen), then its tool calls whole,
 * then the complete response with the trace in its {@link EffortResponseMetadata}. Each request
 * runs on a virtual thread of its own; a failure goes to {@code onError}.
 */
public final class EffortStreamingChatModel implements StreamingChatModel {
  private final ModelSettings settings;

  private EffortStreamingChatModel(ModelSettings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    Thread.ofVirtual().name("effort-stream").start(() -> {
      Answer answer;
      try {
        answer = settings.client().stream(settings.ask(request), new Deltas() {
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
    return settings.defaults();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return settings.listeners();
  }

  public static final class Builder extends ModelSettings.Builder<Builder, EffortStreamingChatModel> {
    private Builder() {}

    @Override
    public EffortStreamingChatModel build() {
      return new EffortStreamingChatModel(settings());
    }
  }
}
