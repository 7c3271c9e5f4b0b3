package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LadderTest {

  @Test
  void shipsAPlanForEveryFixedLevelOfTheRouterBenchFleet() {
    Ladder ladder = Ladder.routerBench();
    assertThat(ladder.fleet()).isEqualTo("routerbench");
    for (Effort level : Effort.LEVELS) {
      assertThat(ladder.plan(level)).isNotNull();
    }
    assertThat(ladder.plan(Effort.MAX).describe()).isEqualTo("single(gpt-4-1106-preview)");
  }

  @Test
  void everyShippedLadderModelIsInTheCatalog() {
    Catalog catalog = Catalog.builtIn();
    assertThat(Ladder.routerBench().models()).allSatisfy(m -> assertThat(catalog.contains(m)).as(m).isTrue());
  }

  @Test
  void readsStepKnobsFromJson() throws Exception {
    Ladder ladder = read("""
        {"fleet": "t", "levels": {
          "low": {"strategy": "single", "steps": [{"model": "a", "max_tokens": 512}]},
          "medium": {"strategy": "single", "steps": [{"model": "a", "effort": "minimal"}]},
          "high": {"strategy": "cascade", "steps": [{"model": "a"}, {"model": "b"}, {"model": "c"}]},
          "xhigh": {"strategy": "vote", "steps": [{"model": "b"}, {"model": "c"}]},
          "max": {"strategy": "single", "steps": [{"model": "c", "effort": "max", "thinking_budget_tokens": 32000}]}}}
        """);
    assertThat(ladder.plan(Effort.LOW).describe()).isEqualTo("single(a max_tokens=512)");
    assertThat(ladder.plan(Effort.MEDIUM).describe()).isEqualTo("single(a effort=low)");
    assertThat(ladder.plan(Effort.MAX).describe()).isEqualTo("single(c effort=max thinking=32000)");
    assertThat(ladder.models()).containsExactly("a", "b", "c");
  }

  @Test
  void aLadderMissingALevelIsAnErrorNamingIt() {
    assertThatThrownBy(() -> read("""
        {"fleet": "t", "levels": {"low": {"strategy": "single", "steps": [{"model": "a"}]}}}
        """)).hasMessageContaining("no plan for level medium");
  }

  @Test
  void badLadderFilesSayWhereAndWhat() {
    assertThatThrownBy(() -> read("""
        {"fleet": "t", "levels": {"hgih": {"strategy": "single", "steps": [{"model": "a"}]}}}
        """)).isInstanceOf(UnknownEffortException.class).hasMessageContaining("hgih");
    assertThatThrownBy(() -> read("""
        {"fleet": "t", "levels": {"low": {"strategy": "fanout", "steps": [{"model": "a"}]}}}
        """)).hasMessageContaining("unknown strategy 'fanout'").hasMessageContaining("single, cascade, vote");
    assertThatThrownBy(() -> read("""
        {"fleet": "t", "levels": {"low": {"strategy": "single", "steps": [{"name": "a"}]}}}
        """)).hasMessageContaining("level low").hasMessageContaining("'model'");
  }

  @Test
  void autoIsNotALadderLevel() {
    assertThatThrownBy(() -> Ladder.routerBench().plan(Effort.AUTO)).hasMessageContaining("auto");
  }

  private static Ladder read(String json) throws Exception {
    return Ladder.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}
