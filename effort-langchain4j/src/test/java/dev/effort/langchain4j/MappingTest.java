package dev.effort.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.client.EffortClient;
import dev.effort.core.Ask;
import dev.effort.core.Content;
import dev.effort.core.Effort;
import dev.effort.core.Message;
import dev.effort.core.StopReason;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How LangChain4j requests become asks, and answers responses. */
class MappingTest {
  private static final EffortClient CLIENT = Recordings.CLIENT;
  private static final ToolExecutionRequest CALL =
      ToolExecutionRequest.builder().id("call_1").name("weather").arguments("{\"city\":\"Oslo\"}").build();

  @Test
  void mapsSystemUserAiAndToolResultMessages() {
    ChatRequest request = ChatRequest.builder().messages(
            SystemMessage.from("Be brief."),
            UserMessage.from(TextContent.from("Weather?"), ImageContent.from("https://example.com/sky.png")),
            AiMessage.from("Checking.", List.of(CALL, CALL.toBuilder().id("call_2").build())),
            ToolExecutionResultMessage.from(CALL, "sunny"),
            ToolExecutionResultMessage.from("call_2", "weather", "cold"))
        .build();

    List<Message> messages = Mapping.ask(request, CLIENT, Effort.LOW).messages();

    assertThat(messages).extracting(Message::role).containsExactly("system", "user", "assistant", "user");
    assertThat(messages.get(1).content()).hasSize(2).last().isInstanceOf(Content.Image.class);
    assertThat(messages.get(2).blocks(Content.ToolCall.class)).extracting(Content.ToolCall::id)
        .containsExactly("call_1", "call_2");
    assertThat(messages.get(3).blocks(Content.ToolResult.class)).extracting(Content.ToolResult::callId, Content.ToolResult::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("call_1", "sunny"), org.assertj.core.groups.Tuple.tuple("call_2", "cold"));
  }

  @Test
  void offersToolSpecificationsWithTheirSchemaAndChoice() {
    ToolSpecification weather = ToolSpecification.builder().name("weather").description("Weather of a city")
        .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?"))
        .toolSpecifications(weather).toolChoice(dev.langchain4j.model.chat.request.ToolChoice.REQUIRED)
        .maxOutputTokens(200).stopSequences(List.of("END")).build();

    Ask ask = Mapping.ask(request, CLIENT, Effort.MEDIUM);

    Tool.Function tool = (Tool.Function) ask.tools().offered().get(0);
    assertThat(tool.name()).isEqualTo("weather");
    assertThat(tool.description()).isEqualTo("Weather of a city");
    assertThat(tool.parameters().path("type").asText()).isEqualTo("object");
    assertThat(tool.parameters().path("properties").path("city").path("type").asText()).isEqualTo("string");
    assertThat(tool.parameters().path("required").get(0).asText()).isEqualTo("city");
    assertThat(ask.tools().choice()).contains(ToolChoice.of(ToolChoice.Mode.REQUIRED));
    assertThat(ask.maxTokens()).hasValue(200);
    assertThat(ask.stopSequences()).containsExactly("END");
    assertThat(ask.effort()).isEqualTo(Effort.MEDIUM);
  }

  @Test
  void carriesTheDeadlineAndCostCapOfTheParameters() {
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Hi"))
        .parameters(EffortRequestParameters.builder().effort(Effort.XHIGH).deadline(Duration.ofSeconds(3)).maxCostUsd(0.02).build())
        .build();

    Ask ask = Mapping.ask(request, CLIENT, Effort.LOW);

    assertThat(ask.effort()).isEqualTo(Effort.XHIGH);
    assertThat(ask.deadline()).contains(Duration.ofSeconds(3));
    assertThat(ask.maxCostUsd()).contains(0.02);
  }

  @Test
  void keepsEffortsParametersWhenMergedOverTheModelsDefaults() {
    EffortRequestParameters defaults = EffortRequestParameters.builder().modelName("effort").build();

    var merged = defaults.overrideWith(EffortRequestParameters.builder().effort(Effort.MAX).build());

    assertThat(merged).isInstanceOf(EffortRequestParameters.class);
    assertThat(((EffortRequestParameters) merged).effort()).isEqualTo(Effort.MAX);
    assertThat(merged.modelName()).isEqualTo("effort");
  }

  @Test
  void refusesContentItCannotCarryByName() {
    ChatRequest request = ChatRequest.builder()
        .messages(UserMessage.from(AudioContent.from("AAAA", "audio/wav"))).build();

    assertThatThrownBy(() -> Mapping.ask(request, CLIENT, Effort.LOW))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("AUDIO");
  }

  @Test
  void mapsEveryStopReasonToAFinishReason() {
    assertThat(Mapping.finishReason(StopReason.END_TURN)).isEqualTo(FinishReason.STOP);
    assertThat(Mapping.finishReason(StopReason.STOP_SEQUENCE)).isEqualTo(FinishReason.STOP);
    assertThat(Mapping.finishReason(StopReason.MAX_TOKENS)).isEqualTo(FinishReason.LENGTH);
    assertThat(Mapping.finishReason(StopReason.TOOL_USE)).isEqualTo(FinishReason.TOOL_EXECUTION);
    assertThat(Mapping.finishReason(StopReason.REFUSAL)).isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @Test
  void returnsToolCallsAsToolExecutionRequests() {
    var answer = CLIENT.ask(Recordings.prompt(), Effort.LOW);
    var withCall = new dev.effort.core.Answer(List.of(new Content.ToolCall("call_9", "weather", "{\"city\":\"Oslo\"}")),
        answer.model(), StopReason.TOOL_USE, java.util.Optional.empty(), answer.usage(), answer.costUsd(), answer.ttft(),
        answer.latency(), answer.trace());

    var response = Mapping.response(withCall);

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
        .satisfies(r -> assertThat(r.arguments()).isEqualTo("{\"city\":\"Oslo\"}"));
  }
}
