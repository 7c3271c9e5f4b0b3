package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Ladder;
import dev.effort.core.Planner;
import dev.effort.core.Provider;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A router trained with models a fleet does not serve: auto must never plan a call no provider can take. */
class FleetPlannerTest {
  static final String YI = "zero-one-ai/Yi-34B-Chat";
  static final String MIXTRAL = "mistralai/mixtral-8x7b-chat";
  static final String GPT4 = "gpt-4-1106-preview";
  // Yi is as good as gpt-4 and cheaper: where Yi is served, auto takes it.
  final dev.effort.router.LearnedRouter router = SyntheticRouters.trained(Map.of(YI, 1.0, MIXTRAL, 0.5, GPT4, 1.0), GPT4);

  static Fleet serving(String... models) {
    Provider provider = GovernanceChainTest.answering(0.001);
    Map<String, Provider> providers = new java.util.LinkedHashMap<>();
    for (String m : models) {
      providers.put(m, provider);
    }
    return Fleet.of(Catalog.builtIn(), Ladder.routerBench(), providers, "test");
  }

  @Test
  void autoChoosesOnlyAmongTheModelsTheFleetServes() {
    Ask ask = Ask.of("Which is a fly? A) ant B) fly", Effort.AUTO);
    assertThat(serving(YI, MIXTRAL, GPT4).planner(Effort.LOW, Optional.of(router), Planner.DEFAULT_TARGET)
        .plan(ask).plan().models()).containsExactly(YI);

    // The threshold stays the one calibrated with Yi among the candidates, so which served plan wins
    // is not the point: that it is served is.
    assertThat(serving(MIXTRAL, GPT4).planner(Effort.LOW, Optional.of(router), Planner.DEFAULT_TARGET)
        .plan(ask).plan().models()).as("Yi is not served").isNotEmpty().isSubsetOf(MIXTRAL, GPT4);
  }

  @Test
  void aFleetWithoutTheRoutersReferenceModelIsRefusedNamingIt() {
    assertThatThrownBy(() -> serving(YI, MIXTRAL).planner(Effort.LOW, Optional.of(router), Planner.DEFAULT_TARGET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference plan single(" + GPT4 + ")").hasMessageContaining("not available: " + GPT4);
  }
}
