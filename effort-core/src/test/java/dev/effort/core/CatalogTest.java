package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.effort.core.ModelInfo.EffortKnob;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
    assertThatThrownBy(() -> catalog.model("gpt-9"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("'gpt-9'")
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

  @Test
  void replayModelsTurnNoKnob() {
    for (String id : List.of("gpt-4-1106-preview", "claude-v2", "mistralai/mixtral-8x7b-chat")) {
      assertThat(catalog.model(id).knob()).isEqualTo(EffortKnob.NONE);
      assertThat(catalog.model(id).levels()).isEmpty();
    }
    assertThat(catalog.model("gpt-4-1106-preview").maxOutputTokens()).isEqualTo(4096);
  }

  @Test
  void knowsEachLiveModelsKnobLevelsAndOutputLimit() {
    assertKnob("claude-opus-4-6", EffortKnob.ANTHROPIC_EFFORT, List.of("low", "medium", "high", "max"), 128_000);
    assertKnob("claude-sonnet-4-6", EffortKnob.ANTHROPIC_EFFORT, List.of("low", "medium", "high"), 64_000);
    assertKnob("claude-opus-4-5", EffortKnob.ANTHROPIC_EFFORT_WITH_THINKING_BUDGET,
        List.of("low", "medium", "high"), 64_000);
    assertKnob("claude-sonnet-4-5", EffortKnob.ANTHROPIC_THINKING_BUDGET, EffortKnob.ANTHROPIC_THINKING_BUDGET.possibleLevels(), 64_000);
    assertKnob("claude-opus-4-1", EffortKnob.ANTHROPIC_THINKING_BUDGET, EffortKnob.ANTHROPIC_THINKING_BUDGET.possibleLevels(), 32_000);
    assertKnob("claude-3-5-haiku-20241022", EffortKnob.NONE, List.of(), 8_192);
    assertKnob("gpt-5", EffortKnob.OPENAI_REASONING_EFFORT, List.of("minimal", "low", "medium", "high"), 128_000);
    assertKnob("gpt-5.1", EffortKnob.OPENAI_REASONING_EFFORT, List.of("none", "low", "medium", "high"), 128_000);
    assertKnob("gpt-5.2", EffortKnob.OPENAI_REASONING_EFFORT, List.of("none", "low", "medium", "high", "xhigh"), 128_000);
    assertKnob("o3", EffortKnob.OPENAI_REASONING_EFFORT, List.of("low", "medium", "high"), 100_000);
    assertKnob("gpt-4o", EffortKnob.NONE, List.of(), 16_384);
    assertKnob("gpt-4.1", EffortKnob.NONE, List.of(), 32_768);
  }

  @Test
  void everyLiveModelNamesItsSourceAndOutputLimit() {
    List<ModelInfo> live = catalog.ids().stream().map(catalog::model)
        .filter(m -> m.id().startsWith("claude-") && !m.id().startsWith("claude-v") && !m.id().startsWith("claude-instant")
            || m.id().startsWith("gpt-5") || m.id().startsWith("o3") || m.id().startsWith("o4")
            || m.id().startsWith("gpt-4o") || m.id().startsWith("gpt-4.1"))
        .toList();
    assertThat(live).hasSizeGreaterThanOrEqualTo(17);
    assertThat(live).allSatisfy(m -> {
      assertThat(m.maxOutputTokens()).as(m.id()).isPositive();
      assertThat(m.source()).as(m.id()).contains("max output");
      assertThat(m.provider()).as(m.id()).isIn("anthropic", "openai");
    });
  }

  @Test
  void aLevelTheModelTakesIsSentAsItIs() {
    ModelInfo opus = catalog.model("claude-opus-4-6");
    assertThat(opus.nativeLevel(Effort.LOW)).contains("low");
    assertThat(opus.nativeLevel(Effort.MEDIUM)).contains("medium");
    assertThat(opus.nativeLevel(Effort.HIGH)).contains("high");
    assertThat(opus.nativeLevel(Effort.MAX)).contains("max");
    assertThat(catalog.model("gpt-5.2").nativeLevel(Effort.XHIGH)).contains("xhigh");
  }

  @Test
  void aLevelTheModelDoesNotTakeIsClampedToTheNearestItDoes() {
    ModelInfo gpt5 = catalog.model("gpt-5");
    assertThat(gpt5.nativeLevel(Effort.XHIGH)).contains("high");
    assertThat(gpt5.nativeLevel(Effort.MAX)).contains("high");
    assertThat(gpt5.nativeLevel(Effort.LOW)).contains("low");
    assertThat(catalog.model("gpt-5.2").nativeLevel(Effort.MAX)).contains("xhigh");
    assertThat(catalog.model("claude-opus-4-5").nativeLevel(Effort.MAX)).contains("high");
    ModelInfo gaps = withLevels(EffortKnob.OPENAI_REASONING_EFFORT, List.of("minimal", "high"));
    assertThat(gaps.nativeLevel(Effort.LOW)).contains("minimal");
    assertThat(gaps.nativeLevel(Effort.MEDIUM)).contains("high");
    for (ModelInfo m : List.of(gpt5, gaps, catalog.model("claude-opus-4-6"), catalog.model("o3"))) {
      for (Effort e : Effort.LEVELS) {
        assertThat(m.levels()).as(m.id() + " at " + e).contains(m.nativeLevel(e).orElseThrow());
      }
    }
  }

  @Test
  void onATieTheLowerLevelWinsSoACallNeverSpendsMoreThanAsked() {
    ModelInfo opus = catalog.model("claude-opus-4-6");
    assertThat(opus.nativeLevel(Effort.XHIGH)).contains("high");
    assertThat(withLevels(EffortKnob.OPENAI_REASONING_EFFORT, List.of("low", "high")).nativeLevel(Effort.MEDIUM))
        .contains("low");
  }

  @Test
  void aModelWithoutAKnobAndAutoHaveNoNativeLevel() {
    assertThat(catalog.model("gpt-4o").nativeLevel(Effort.MAX)).isEmpty();
    assertThat(catalog.model("gpt-5").nativeLevel(Effort.AUTO)).isEmpty();
  }

  @Test
  void readsKnobsFromCatalogFilesAndDefaultsAMissingKnobToNone() throws Exception {
    String json = """
        {"models": [
          {"id": "a", "provider": "openai", "input_usd_per_million": 1, "output_usd_per_million": 2,
           "ttft_ms": 100, "output_tokens_per_second": 10, "context_window": 1000, "source": "s",
           "knob": "openai_reasoning_effort", "levels": ["low", "high"], "max_output_tokens": 500},
          {"id": "b", "provider": "openai-compatible", "input_usd_per_million": 0, "output_usd_per_million": 0,
           "ttft_ms": 100, "output_tokens_per_second": 10, "context_window": 1000, "source": "s"}
        ]}""";
    Catalog read = Catalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(read.model("a").knob()).isEqualTo(EffortKnob.OPENAI_REASONING_EFFORT);
    assertThat(read.model("a").levels()).containsExactly("low", "high");
    assertThat(read.model("a").maxOutputTokens()).isEqualTo(500);
    assertThat(read.model("b").knob()).isEqualTo(EffortKnob.NONE);
    assertThat(read.model("b").levels()).isEmpty();
    assertThat(read.model("b").maxOutputTokens()).isZero();
  }

  @Test
  void anUnknownKnobIsAnErrorNamingTheAcceptedOnes() {
    String json = """
        {"models": [{"id": "a", "provider": "openai", "input_usd_per_million": 1, "output_usd_per_million": 2,
           "ttft_ms": 100, "output_tokens_per_second": 10, "context_window": 1000, "source": "s",
           "knob": "reasoning", "levels": ["low"], "max_output_tokens": 500}]}""";
    assertThatThrownBy(() -> Catalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("unknown effort knob 'reasoning'")
        .hasMessageContaining("anthropic_effort, anthropic_effort_with_thinking_budget");
  }

  @Test
  void rejectsLevelsTheKnobCannotTake() {
    assertThatThrownBy(() -> withLevels(EffortKnob.OPENAI_REASONING_EFFORT, List.of("low", "max")))
        .hasMessageContaining("'max' is not a level of knob 'openai_reasoning_effort'");
    assertThatThrownBy(() -> withLevels(EffortKnob.ANTHROPIC_EFFORT, List.of("minimal")))
        .hasMessageContaining("'minimal' is not a level of knob 'anthropic_effort'");
    assertThatThrownBy(() -> withLevels(EffortKnob.ANTHROPIC_EFFORT, List.of("high", "low")))
        .hasMessageContaining("lowest first");
    assertThatThrownBy(() -> withLevels(EffortKnob.ANTHROPIC_EFFORT, List.of()))
        .hasMessageContaining("needs its accepted levels");
    assertThatThrownBy(() -> withLevels(EffortKnob.NONE, List.of("low")))
        .hasMessageContaining("takes no levels");
  }

  @Test
  void theShortConstructorMakesAModelWithoutKnobAndWithUnknownOutputLimit() {
    ModelInfo m = new ModelInfo("m", "replay", 1, 1, 400, 50, 4096, "test");
    assertThat(m.knob()).isEqualTo(EffortKnob.NONE);
    assertThat(m.levels()).isEmpty();
    assertThat(m.maxOutputTokens()).isZero();
  }

  private void assertKnob(String id, EffortKnob knob, List<String> levels, int maxOutput) {
    ModelInfo m = catalog.model(id);
    assertThat(m.knob()).as(id).isEqualTo(knob);
    assertThat(m.levels()).as(id).containsExactlyElementsOf(levels);
    assertThat(m.maxOutputTokens()).as(id).isEqualTo(maxOutput);
    assertThat(m.source()).as(id).isNotBlank();
  }

  private static ModelInfo withLevels(EffortKnob knob, List<String> levels) {
    return new ModelInfo("m", "openai", 1, 1, 100, 10, 1000, "test", knob, levels, 1000);
  }
}
