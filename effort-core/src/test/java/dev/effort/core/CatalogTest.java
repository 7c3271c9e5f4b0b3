package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {
  private final Catalog catalog = Catalog.builtIn();

  @Test
  void knowsEveryRouterBenchModelWithASource() {
    assertThat(catalog.ids()).contains(
        "gpt-4-1106-preview", "gpt-3.5-turbo-1106", "claude-v1", "claude-v2", "claude-instant-v1",
        "meta/llama-2-70b-chat", "meta/code-llama-instruct-34b-chat", "mistralai/mixtral-8x7b-chat",
        "mistralai/mistral-7b-chat", "zero-one-ai/Yi-34B-Chat", "WizardLM/WizardLM-13B-V1.2");
    assertThat(catalog.ids()).allSatisfy(id -> assertThat(catalog.model(id).source()).isNotBlank());
  }

  @Test
  void pricesUsagePerMillionTokensWithThinkingAtTheOutputPrice() {
    ModelInfo gpt4 = catalog.model("gpt-4-1106-preview");
    assertThat(gpt4.costUsd(new Usage(1_000, 100, 0))).isCloseTo(0.010 + 0.003, within(1e-12));
    assertThat(gpt4.costUsd(new Usage(0, 100, 100))).isCloseTo(0.006, within(1e-12));
  }

  @Test
  void modelsLatencyAsTimeToFirstTokenPlusOutputAtSpeed() {
    ModelInfo m = new ModelInfo("m", "replay", 1, 1, 400, 50, 4096, "test");
    assertThat(m.latency(0)).isEqualTo(Duration.ofMillis(400));
    assertThat(m.latency(100)).isEqualTo(Duration.ofMillis(2_400));
  }

  @Test
  void anUnknownModelIsAnErrorListingTheAcceptedOnes() {
    assertThatThrownBy(() -> catalog.model("gpt-5"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("'gpt-5'")
        .hasMessageContaining("gpt-4-1106-preview");
  }

  @Test
  void plusAddsModelsWithoutReplacingKnownOnes() {
    ModelInfo extra = new ModelInfo("new-model", "replay", 1, 1, 500, 50, 4096, "test");
    ModelInfo clash = new ModelInfo("gpt-4-1106-preview", "replay", 0, 0, 1, 1, 1, "test");
    Catalog more = catalog.plus(List.of(extra, clash));
    assertThat(more.model("new-model")).isEqualTo(extra);
    assertThat(more.model("gpt-4-1106-preview")).isEqualTo(catalog.model("gpt-4-1106-preview"));
  }

  @Test
  void rejectsImpossibleFigures() {
    assertThatThrownBy(() -> new ModelInfo("m", "replay", -1, 1, 1, 1, 1, "s")).hasMessageContaining("negative");
    assertThatThrownBy(() -> new ModelInfo("m", "replay", 1, 1, 1, 0, 1, "s")).hasMessageContaining("output_tokens_per_second");
  }
}
