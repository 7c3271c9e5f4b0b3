package dev.effort.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Completion;
import dev.effort.core.Effort;
import dev.effort.core.Ladder;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client built from providers: the ladder on the model's own knobs, and the gateway's retries. */
class EffortClientProvidersTest {

  /** Says which native effort it was asked for; fails its first {@code failures} calls as an upstream 503 would. */
  private static final class Knobs implements Provider {
    final AtomicInteger calls = new AtomicInteger();
    final int failures;

    Knobs(int failures) {
      this.failures = failures;
    }

    @Override
    public String name() {
      return "knobs";
    }

    @Override
    public Completion complete(Ask ask, Step step) {
      if (calls.incrementAndGet() <= failures) {
        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "upstream 503", true, Optional.empty());
      }
      String level = step.nativeEffort().map(Effort::wireName).orElse("none");
      return new Completion(step.model(), "native effort " + level, new Usage(10, 3, 0), 0.0001,
          Duration.ofMillis(5), Duration.ofMillis(10));
    }
  }

  @Test
  void turnsTheModelsOwnKnobWhenNoLadderIsGiven() {
    EffortClient client = EffortClient.builder().provider(new Knobs(0), "claude-sonnet-4-5").build();

    Answer answer = client.ask("Why is the sky blue?", Effort.XHIGH);

    assertThat(answer.text()).isEqualTo("native effort xhigh");
    assertThat(answer.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(client.description()).contains("knobs (claude-sonnet-4-5)");
  }

  @Test
  void retriesAFailedCallAsTheGatewayDoes() {
    Knobs flaky = new Knobs(1);
    EffortClient client = EffortClient.builder().provider(flaky, "claude-sonnet-4-5").build();

    Answer answer = client.ask("Why is the sky blue?", Effort.LOW);

    assertThat(answer.text()).isEqualTo("native effort low");
    assertThat(flaky.calls).hasValue(2);
    assertThat(answer.trace().attempts()).hasSize(2);
  }

  @Test
  void refusesALadderThatCallsAModelNoProviderServes() {
    assertThatThrownBy(() -> EffortClient.builder().provider(new Knobs(0), "claude-sonnet-4-5")
        .ladder(Ladder.routerBench()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("which no provider serves");
  }

  @Test
  void refusesAModelTheCatalogDoesNotKnow() {
    assertThatThrownBy(() -> EffortClient.builder().provider(new Knobs(0), "gpt-17"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gpt-17")
        .hasMessageContaining("catalog");
  }
}
