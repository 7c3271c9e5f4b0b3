package dev.effort.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.client.EffortClient;
import dev.effort.core.Effort;
import dev.effort.core.ProviderException;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dial driven through LangChain4j's own StreamingChatModel API, over the recorded data. */
class EffortStreamingChatModelTest {
  private static final EffortClient CLIENT = Recordings.CLIENT;
  private static final StreamingChatModel MODEL =
      EffortStreamingChatModel.builder().client(CLIENT).effort(Effort.MAX).build();

  /** What a handler saw: the partial text, then the complete response or the error. */
  private static final class Collected implements StreamingChatResponseHandler {
    final StringBuilder partial = new StringBuilder();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String text) {
      partial.append(text);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  @Test
  void streamsTheTextThenTheCompleteResponseWithItsTrace() throws Exception {
    Collected handler = new Collected();

    MODEL.chat(Recordings.prompt(), handler);
    ChatResponse response = handler.done.get(30, TimeUnit.SECONDS);

    assertThat(handler.partial.toString()).isEqualTo(response.aiMessage().text()).isNotEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.modelName()).isEqualTo("gpt-4-1106-preview");
    assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    EffortResponseMetadata meta = (EffortResponseMetadata) response.metadata();
    assertThat(meta.trace().asked()).isEqualTo(Effort.MAX);
    assertThat(meta.trace().plan().describe()).isEqualTo("single(gpt-4-1106-preview)");
  }

  @Test
  void aCascadeStreamsItsChosenAnswer() throws Exception {
    Collected handler = new Collected();

    MODEL.chat(ChatRequest.builder().messages(UserMessage.from(Recordings.prompt())).modelName("effort-high").build(),
        handler);
    ChatResponse response = handler.done.get(30, TimeUnit.SECONDS);

    assertThat(((EffortResponseMetadata) response.metadata()).trace().plan().describe()).startsWith("cascade(");
    assertThat(handler.partial.toString()).isEqualTo(response.aiMessage().text());
  }

  @Test
  void aFailureGoesToOnError() throws Exception {
    Collected handler = new Collected();

    MODEL.chat("a prompt nobody recorded", handler);

    assertThat(handler.done).failsWithin(30, TimeUnit.SECONDS)
        .withThrowableThat().havingRootCause().isInstanceOf(ProviderException.class)
        .withMessageContaining("no recorded answer for this prompt");
  }
}
