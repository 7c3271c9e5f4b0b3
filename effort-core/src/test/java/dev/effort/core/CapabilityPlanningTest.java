package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The planner never sends an image to a model that cannot read it, nor tools to one that cannot call them. */
class CapabilityPlanningTest {
  static final Catalog CATALOG = Catalog.builtIn();

  /** low and medium: a model that reads images; high and up: one that reads none (catalog). */
  static Ladder mixed() {
    Map<Effort, Plan> plans = new EnumMap<>(Effort.class);
    for (Effort level : Effort.LEVELS) {
      plans.put(level, Plan.single(level.isAbove(Effort.MEDIUM) ? "gpt-4-1106-preview" : "gpt-4o-mini"));
    }
    return new Ladder("mixed", plans);
  }

  static Ask withImage(Effort effort) {
    Message m = new Message("user", List.of(new Content.Text("What is in this picture?"),
        Content.Image.inline("image/png", "iVBORw0KGgo=")));
    return new Ask(List.of(m), effort, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
        OptionalInt.empty());
  }

  @Test
  void anImageGoesToTheNearestLevelWhosePlanReadsImagesAndTheTraceSaysSo() {
    PlannedAsk planned = new Planner(mixed(), CATALOG, Effort.HIGH).plan(withImage(Effort.HIGH));
    assertThat(planned.plan()).isEqualTo(Plan.single("gpt-4o-mini"));
    assertThat(planned.notes()).anyMatch(n -> n.contains("reads no images") && n.contains("ran level medium"));
  }

  @Test
  void aTextAskKeepsItsLevelsPlan() {
    PlannedAsk planned = new Planner(mixed(), CATALOG, Effort.HIGH).plan(Ask.of("Hello", Effort.HIGH));
    assertThat(planned.plan()).isEqualTo(Plan.single("gpt-4-1106-preview"));
  }

  @Test
  void aPinnedModelThatReadsNoImagesIsAClearError() {
    Planner planner = new Planner(mixed(), CATALOG, Effort.HIGH);
    assertThatThrownBy(() -> planner.plan(withImage(Effort.HIGH).withModel("gpt-4-1106-preview")))
        .isInstanceOf(UnservableAskException.class)
        .hasMessageContaining("gpt-4-1106-preview' calls gpt-4-1106-preview, which reads no images");
    assertThat(planner.plan(withImage(Effort.HIGH).withModel("gpt-4o")).plan().models()).containsExactly("gpt-4o");
  }

  @Test
  void aFleetWithNoModelThatReadsImagesRefusesWithWhatIsNeeded() {
    assertThatThrownBy(() -> new Planner(Ladder.routerBench(), CATALOG, Effort.HIGH).plan(withImage(Effort.LOW)))
        .isInstanceOf(UnservableAskException.class)
        .hasMessageContaining("no plan of this fleet's ladder can take this request");
  }

  @Test
  void aModelWhoseEntrySaysNothingIsLeftToItsUpstream() {
    ModelInfo unknown = new ModelInfo("local-llava", "openai-compatible", 0, 0, 100, 50, 8192, "test");
    assertThat(unknown.takesImages()).isTrue();
    assertThat(unknown.takesTools()).isTrue();
    assertThat(CATALOG.model("gpt-4-1106-preview").takesTools()).isFalse();
    assertThat(CATALOG.model("claude-sonnet-4-5").takesTools()).isTrue();
  }
}
