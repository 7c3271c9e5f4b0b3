package dev.effort.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.ProviderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffortClientTest {
  private static final EffortClient REPLAY = EffortClient.builder().replay(Recordings.routerBench()).build();

  @Test
  void answersARecordedPromptWithItsTraceAndCost() {
    Answer answer = REPLAY.ask(Recordings.prompt(), Effort.LOW);

    assertThat(answer.text()).isNotBlank();
    assertThat(answer.trace().asked()).isEqualTo(Effort.LOW);
    assertThat(answer.trace().applied()).isEqualTo(Effort.LOW);
    assertThat(answer.trace().plan().describe()).isEqualTo("single(mistralai/mixtral-8x7b-chat)");
    assertThat(answer.model()).isEqualTo("mistralai/mixtral-8x7b-chat");
    assertThat(answer.costUsd()).isPositive();
    assertThat(answer.usage().outputTokens()).isPositive();
    assertThat(answer.trace().attempts()).hasSize(1);
  }

  @Test
  void asksAtTheDefaultLevelWhenNoneIsGiven() {
    EffortClient client = EffortClient.builder().replay(Recordings.routerBench()).defaultEffort(Effort.MAX).build();

    Answer answer = client.ask(Recordings.prompt());

    assertThat(answer.trace().asked()).isEqualTo(Effort.MAX);
    assertThat(answer.model()).isEqualTo("gpt-4-1106-preview");
  }

  @Test
  void streamsTheTextThatTheAnswerHolds() {
    StringBuilder streamed = new StringBuilder();

    Answer answer = REPLAY.stream(Recordings.prompt(), Effort.MAX, streamed::append);

    assertThat(streamed.toString()).isEqualTo(answer.text()).isNotEmpty();
    assertThat(answer.trace().applied()).isEqualTo(Effort.MAX);
  }

  @Test
  void runsCascadesThroughTheSameExecutorAsTheGateway() {
    Answer answer = REPLAY.ask(Recordings.prompt(), Effort.HIGH);

    assertThat(answer.trace().plan().describe()).startsWith("cascade(");
    assertThat(answer.trace().notes()).anyMatch(n -> n.startsWith("cascade:"));
    assertThat(answer.trace().steps()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void lowersTheLevelToMeetTheClientsCostCap() {
    EffortClient thrifty = EffortClient.builder().replay(Recordings.routerBench()).maxCostUsd(0.0005).build();

    Answer answer = thrifty.ask(Recordings.prompt(), Effort.MAX);

    assertThat(answer.trace().asked()).isEqualTo(Effort.MAX);
    assertThat(answer.trace().applied()).isLessThan(Effort.MAX);
    assertThat(answer.trace().downgrade()).isPresent();
  }

  @Test
  void anAsksOwnDeadlineWinsOverTheClients() {
    EffortClient hurried = EffortClient.builder().replay(Recordings.routerBench()).deadline(Duration.ofMillis(1)).build();
    Ask relaxed = Ask.of(Recordings.prompt(), Effort.MAX).withDeadline(Duration.ofMinutes(10));

    assertThat(hurried.plan(relaxed).ask().deadline()).contains(Duration.ofMinutes(10));
    assertThat(hurried.plan(Ask.of(Recordings.prompt(), Effort.MAX)).ask().deadline()).contains(Duration.ofMillis(1));
  }

  @Test
  void buildsFromTheGatewaysConfigFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("effort.yaml");
    Files.writeString(config, "data: " + Recordings.routerBench().toAbsolutePath() + "\ndefault_effort: low\n");

    EffortClient client = EffortClient.fromConfig(config);
    Answer answer = client.ask(Recordings.prompt());

    assertThat(client.defaultEffort()).isEqualTo(Effort.LOW);
    assertThat(client.description()).startsWith("replay of");
    assertThat(answer.trace().applied()).isEqualTo(Effort.LOW);
  }

  @Test
  void aConfigWithNothingToAnswerWithSaysWhatToAdd(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("effort.yaml");
    Files.writeString(config, "default_effort: low\n");

    assertThatThrownBy(() -> EffortClient.fromConfig(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add 'providers:' or 'data: DIR'");
  }

  @Test
  void aBuilderWithNothingToAnswerWithSaysWhatToAdd() {
    assertThatThrownBy(() -> EffortClient.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("provider(...)")
        .hasMessageContaining("replay(folder)");
  }

  @Test
  void anUnrecordedPromptIsAClearProviderError() {
    assertThatThrownBy(() -> REPLAY.ask("a prompt nobody recorded", Effort.LOW))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("no recorded answer for this prompt");
  }
}
