package dev.effort.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.client.EffortClient;
import dev.effort.core.Effort;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

/** The dial driven through LangChain4j's own ChatModel API, over the recorded data. */
class EffortChatModelTest {
  private static final EffortClient CLIENT = Recordings.CLIENT;
  private static final ChatModel MODEL = EffortChatModel.builder().client(CLIENT).effort(Effort.LOW).build();

  @Test
  void answersAPlainStringAtTheBuildersLevel() {
    String reply = MODEL.chat(Recordings.prompt());

    assertThat(reply).isEqualTo(CLIENT.ask(Recordings.prompt(), Effort.LOW).text()).isNotBlank();
  }

  @Test
  void returnsTokenUsageFinishReasonModelAndTheTraceInTheMetadata() {
    ChatResponse response = MODEL.chat(UserMessage.from(Recordings.prompt()));

    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.modelName()).isEqualTo("mistralai/mixtral-8x7b-chat");
    assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    assertThat(response.tokenUsage().totalTokenCount())
        .isEqualTo(response.tokenUsage().inputTokenCount() + response.tokenUsage().outputTokenCount());
    EffortResponseMetadata meta = (EffortResponseMetadata) response.metadata();
    assertThat(meta.trace().asked()).isEqualTo(Effort.LOW);
    assertThat(meta.trace().plan().describe()).isEqualTo("single(mistralai/mixtral-8x7b-chat)");
    assertThat(meta.costUsd()).isPositive();
  }

  @Test
  void takesTheLevelFromTheModelName() {
    ChatResponse response = MODEL.chat(ChatRequest.builder()
        .messages(UserMessage.from(Recordings.prompt()))
        .modelName("effort-max")
        .build());

    assertThat(((EffortResponseMetadata) response.metadata()).trace().asked()).isEqualTo(Effort.MAX);
    assertThat(response.modelName()).isEqualTo("gpt-4-1106-preview");
  }

  @Test
  void theLevelOfTheRequestParametersWinsOverTheModelName() {
    ChatResponse response = MODEL.chat(ChatRequest.builder()
        .messages(UserMessage.from(Recordings.prompt()))
        .parameters(EffortRequestParameters.builder().modelName("effort-max").effort(Effort.HIGH).build())
        .build());

    assertThat(((EffortResponseMetadata) response.metadata()).trace().asked()).isEqualTo(Effort.HIGH);
  }

  @Test
  void aModelIdPinsThatModel() {
    ChatResponse response = MODEL.chat(ChatRequest.builder()
        .messages(UserMessage.from(Recordings.prompt()))
        .modelName("gpt-3.5-turbo-1106")
        .build());

    assertThat(response.modelName()).isEqualTo("gpt-3.5-turbo-1106");
  }

  @Test
  void theRequestsCostCapLowersTheLevelAndTheTraceSaysWhy() {
    ChatResponse response = MODEL.chat(ChatRequest.builder()
        .messages(SystemMessage.from("Answer with the letter."), UserMessage.from(Recordings.prompt()))
        .parameters(EffortRequestParameters.builder().effort(Effort.MAX).maxCostUsd(0.0005).build())
        .build());

    var trace = ((EffortResponseMetadata) response.metadata()).trace();
    assertThat(trace.applied()).isLessThan(Effort.MAX);
    assertThat(trace.downgrade()).isPresent();
  }

  @Test
  void anUnknownModelNameListsTheAcceptedOnes() {
    assertThatThrownBy(() -> MODEL.chat(ChatRequest.builder()
        .messages(UserMessage.from(Recordings.prompt())).modelName("gpt-5").build()))
        .hasMessageContaining("gpt-5")
        .hasMessageContaining("effort-high");
  }

  @Test
  void samplingParametersAreRefusedByName() {
    assertThatThrownBy(() -> MODEL.chat(ChatRequest.builder()
        .messages(UserMessage.from(Recordings.prompt())).temperature(0.2).topP(0.9).build()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("temperature, topP");
  }
}
