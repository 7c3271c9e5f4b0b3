package dev.effort.providers.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Effort;
import dev.effort.core.Passthrough;
import dev.effort.core.Step;
import dev.effort.core.StopReason;
import dev.effort.core.Tools;
import dev.effort.providers.RecordedDataFolder;
import dev.effort.providers.TokenCounter;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replay provider answers as an upstream would: whole, cut at the client's cap, or at a stop sequence. */
class ReplayProviderTest {
  static final String MODEL = "gpt-4-1106-preview";
  static ReplayProvider replay;
  static RecordedPrompt mbpp;

  @BeforeAll
  static void load() {
    List<RecordedDataset> data = RouterBenchCsv.loadFolder(RecordedDataFolder.routerBench());
    Catalog catalog = ReplayCatalog.of(Catalog.builtIn(), data);
    replay = new ReplayProvider(data, catalog);
    // A code answer: long enough to cut.
    mbpp = data.stream().filter(d -> d.name().startsWith("mbpp")).findFirst().orElseThrow().prompts().stream()
        .filter(p -> p.outcome(MODEL).map(o -> TokenCounter.count(o.response()) > 60).orElse(false))
        .findFirst().orElseThrow();
  }

  static Ask ask(OptionalInt maxTokens, List<String> stop) {
    return new Ask(List.of(dev.effort.core.Message.user(mbpp.prompt())), Effort.HIGH, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Map.of(ReplayProvider.PROMPT_ID_TAG, mbpp.id()), maxTokens, Tools.NONE, stop,
        Passthrough.NONE);
  }

  @Test
  void answersWholeWhenNothingCutsIt() {
    Completion c = replay.complete(ask(OptionalInt.empty(), List.of()), Step.of(MODEL));
    assertThat(c.text()).isEqualTo(mbpp.outcome(MODEL).orElseThrow().response());
    assertThat(c.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(c.costUsd()).isEqualTo(mbpp.outcome(MODEL).orElseThrow().costUsd().getAsDouble());
  }

  @Test
  void honoursTheClientsMaxTokensAndSaysMaxTokens() {
    Completion whole = replay.complete(ask(OptionalInt.empty(), List.of()), Step.of(MODEL));
    Completion cut = replay.complete(ask(OptionalInt.of(10), List.of()), Step.of(MODEL));
    assertThat(cut.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    assertThat(cut.usage().outputTokens()).isLessThanOrEqualTo(10);
    assertThat(whole.text()).startsWith(cut.text());
    assertThat(cut.costUsd()).isLessThan(whole.costUsd()).isPositive();
  }

  @Test
  void stopsAtTheFirstStopSequenceAndNamesIt() {
    String whole = mbpp.outcome(MODEL).orElseThrow().response();
    String stop = whole.substring(whole.length() / 2, whole.length() / 2 + 3);
    Completion c = replay.complete(ask(OptionalInt.empty(), List.of(stop)), Step.of(MODEL));
    assertThat(c.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
    assertThat(c.stopSequence()).contains(stop);
    assertThat(c.text()).isEqualTo(whole.substring(0, whole.indexOf(stop)));
  }
}
