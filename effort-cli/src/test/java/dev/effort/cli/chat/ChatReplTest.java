package dev.effort.cli.chat;

import static dev.effort.cli.chat.ScriptedProvider.CHEAP;
import static dev.effort.cli.chat.ScriptedProvider.SMART;
import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.cli.chat.ChatDriver.Transcript;
import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Message;
import dev.effort.core.Planner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code effort chat} driven line by line through a dumb terminal, answered in process by a scripted fleet. */
class ChatReplTest {
  final ScriptedProvider provider = new ScriptedProvider();
  final InProcessChat backend =
      new InProcessChat(provider.fleet(), Optional.empty(), Planner.DEFAULT_TARGET, Effort.HIGH, Optional.empty());

  Transcript chat(String... lines) {
    return ChatDriver.chat(backend, String.join("\n", lines) + "\n");
  }

  @Test
  void aMessageIsAnsweredWithItsThinkingThenItsTextThenALineOfLevelPlanModelAndCost() {
    Transcript t = chat("What is 2 + 2?");

    assertThat(t.exit()).isZero();
    assertThat(t.text()).contains("effort chat: in process, a scripted fleet")
        .contains("Level high (default)")
        .contains("pondering\n" + SMART + " says: What is 2 + 2?\n")
        .contains("[high | single(" + SMART + ") | " + SMART + " | $1.500000 | 400 ms]");
    assertThat(t.text()).as("plain text on a dumb terminal").doesNotContain("\u001b[");
  }

  @Test
  void onATerminalThatShowsStylesTheThinkingIsFaintAndThereIsAPrompt() {
    Transcript t = new ChatDriver("What is 2 + 2?\n", "xterm-256color").run(backend);

    assertThat(t.text()).contains("> ").contains("\u001b[2mpondering\u001b[22m\n" + SMART + " says: What is 2 + 2?\n");
  }

  @Test
  void aLeadingEffortLineSetsTheLevelOfThatMessageOnlyAndIsStripped() {
    Transcript t = chat("/effort low\\", "first question", "second question");

    assertThat(provider.asks).extracting(Ask::effort).containsExactly(Effort.LOW, Effort.HIGH);
    assertThat(provider.asks.get(0).prompt()).isEqualTo("first question");
    assertThat(t.text()).contains(CHEAP + " says: first question")
        .contains("[low (this message) | single(" + CHEAP + ")")
        .contains("[high | single(" + SMART + ")");
  }

  @Test
  void effortCommandSetsTheSessionLevelAndAnUnknownLevelNamesTheAcceptedOnes() {
    Transcript t = chat("/effort turbo", "/effort minimal", "one", "two", "/effort");

    assertThat(t.text()).contains("unknown effort 'turbo'; accepted: low, medium, high, xhigh, max, auto")
        .contains("level low\n");
    assertThat(provider.asks).extracting(Ask::effort).containsExactly(Effort.LOW, Effort.LOW);
  }

  @Test
  void aQuestionOnTheEffortLineItselfIsNotASilentLevelChange() {
    Transcript t = chat("/effort high please answer");

    assertThat(t.text()).contains("unknown effort 'high please answer'");
    assertThat(provider.asks).isEmpty();
  }

  @Test
  void costAddsUpTheSessionsAnswers() {
    Transcript t = chat("/cost", "/effort low", "one", "/effort max", "two", "three", "/cost");

    assertThat(t.text()).contains("spent $0.000000 on 0 answers")
        .contains("spent $3.250000 on 3 answers"); // 0.25 + 1.5 + 1.5
  }

  @Test
  void budgetCapsTheSessionsSpendAndRefusesOnceItIsSpent() {
    Transcript t = chat("/budget 2", "one", "two", "three", "/cost", "/budget off", "four");

    assertThat(t.text()).contains("session budget $2.000000, $2.000000 left")
        .contains("the session budget of $2.000000 is spent ($3.000000); raise it with /budget USD, or /budget off")
        .contains("spent $3.000000 on 2 answers of a $2.000000 budget ($0.000000 left)");
    assertThat(provider.asks).extracting(Ask::prompt).containsExactly("one", "two", "four");
    assertThat(provider.asks.get(0).maxCostUsd()).as("each answer's cost cap is what is left").contains(2.0);
    assertThat(provider.asks.get(1).maxCostUsd()).contains(0.5);
    assertThat(provider.asks.get(2).maxCostUsd()).isEmpty();
  }

  @Test
  void budgetAndDeadlineAreReadByTheGatewaysRules() {
    Transcript t = chat("/budget -1", "/deadline soon", "/deadline 1500ms", "question", "/deadline off", "again");

    assertThat(t.text()).contains("/budget: '-1' is not a positive number of US dollars")
        .contains("/deadline: 'soon' is not a duration; use e.g. 2s, 1500ms or 0.5m (accepted: 1ms to 3600s)")
        .contains("deadline 1500 ms per answer");
    // The call gets what is left of the 1.5 s deadline when it starts; the next message has none.
    assertThat(provider.asks).hasSize(2);
    assertThat(provider.asks.get(0).deadline()).hasValueSatisfying(d ->
        assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(1500)).isGreaterThan(Duration.ofMillis(500)));
    assertThat(provider.asks.get(1).deadline()).isEmpty();
  }

  @Test
  void planShowsTheLastAnswersPlanAndTrace() {
    Transcript t = chat("/plan", "/effort medium", "question", "/plan");

    assertThat(t.text()).contains("no answer yet")
        .contains("plan single(" + CHEAP + ")\n")
        .contains("effort asked medium, applied medium\n")
        .contains("  answer     " + CHEAP + " (used) | in 10, out 5, thinking 0 tokens | $0.250000 | 400 ms\n")
        .contains("answer by " + CHEAP + ", $0.250000, 400 ms");
  }

  @Test
  void modelPinsAModelEffortGivesTheDialBackAndAnUnknownNameListsTheAcceptedOnes() {
    Transcript t = chat("/model " + CHEAP, "one", "/model effort", "two", "/model effort-low", "three", "/model gpt-9");

    assertThat(provider.asks).extracting(a -> a.model().orElse("dial")).containsExactly(CHEAP, "dial", "dial");
    assertThat(provider.asks).extracting(Ask::effort).containsExactly(Effort.HIGH, Effort.HIGH, Effort.LOW);
    assertThat(t.text()).contains("model " + CHEAP + " pinned")
        .contains("model 'gpt-9' is not served here; accepted: effort, effort-low")
        .contains(SMART + ", " + CHEAP);
  }

  @Test
  void theConversationGoesOnUntilClear() {
    chat("one", "two", "/clear", "three");

    assertThat(provider.asks.get(1).messages()).extracting(Message::role, Message::text).containsExactly(
        org.assertj.core.groups.Tuple.tuple("user", "one"),
        org.assertj.core.groups.Tuple.tuple("assistant", SMART + " says: one"),
        org.assertj.core.groups.Tuple.tuple("user", "two"));
    assertThat(provider.asks.get(2).messages()).extracting(Message::text).containsExactly("three");
  }

  @Test
  void aLineEndingInABackslashAndATripleQuoteBlockAreOneMessageEach() {
    chat("first line\\", "second line", "\"\"\"", "block one", "", "block three", "\"\"\"", "after");

    assertThat(provider.asks).extracting(Ask::prompt)
        .containsExactly("first line\nsecond line", "block one\n\nblock three", "after");
  }

  @Test
  void whatAFailedAnswerCostIsCountedAndTakenFromTheBudget() {
    Transcript t = chat("/budget 2", "this breaks", "/cost", "What is 2 + 2?", "/cost");

    assertThat(t.text()).contains("the upstream broke off");
    java.util.regex.Matcher failed = java.util.regex.Pattern
        .compile("spent \\$0\\.000000 on 0 answers and \\$(\\S+) on 1 stopped or failed, of a \\$2\\.000000 budget \\(\\$(\\S+) left\\)")
        .matcher(t.text());
    assertThat(failed.find()).as(t.text()).isTrue();
    double lost = Double.parseDouble(failed.group(1));
    assertThat(Double.parseDouble(failed.group(2))).isEqualTo(2 - lost, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(lost).isPositive();
    // The next answer's cost cap is what is left after the failed call too.
    assertThat(provider.asks.get(1).maxCostUsd()).hasValueSatisfying(cap -> assertThat(cap).isEqualTo(2 - lost, org.assertj.core.data.Offset.offset(1e-6)));
    assertThat(t.text()).contains(String.format(java.util.Locale.ROOT, "spent $1.500000 on 1 answer and $%.6f on 1 stopped or failed,",
        lost));
  }

  @Test
  void exitEndsTheChatWithStatusZeroAndIgnoresWhatFollows() {
    Transcript t = chat("/exit", "never asked");

    assertThat(t.exit()).isZero();
    assertThat(provider.asks).isEmpty();
  }

  @Test
  void theEndOfPipedInputEndsTheChatWithStatusZero() {
    Transcript t = ChatDriver.chat(backend, "one\ntwo"); // no new line after the last

    assertThat(t.exit()).isZero();
    assertThat(provider.asks).extracting(Ask::prompt).containsExactly("one", "two");
  }

  @Test
  void anUnknownCommandSaysHowToListThem() {
    Transcript t = chat("/frobnicate", "/help");

    assertThat(t.text()).contains("unknown command /frobnicate; /help lists the commands")
        .contains("/effort [LEVEL]").contains("/budget [USD|off]").contains("/plan").contains("/exit");
    assertThat(provider.asks).isEmpty();
  }

  @Test
  void recordedPromptCommandsNeedTheRecording() {
    Transcript t = chat("/sample", "/ask 3");

    assertThat(t.text()).contains("no recorded prompts here: they come with the recorded data");
    assertThat(provider.asks).isEmpty();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measure of speed
  void ctrlCStopsTheAnswerUnderWayInterruptsItsCallAndTheChatGoesOn() throws Exception {
    ChatDriver driver = new ChatDriver("a slow question\n/cost\nnext question\n");
    Terminal terminal = driver.terminal();
    Thread.ofVirtual().start(() -> {
      try {
        provider.streaming.await();
        terminal.raise(Terminal.Signal.INT); // what JLine does on Ctrl-C
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    Transcript t = driver.run(backend);

    assertThat(provider.interrupted.await(30, TimeUnit.SECONDS)).as("the upstream call was interrupted").isTrue();
    assertThat(t.exit()).isZero();
    assertThat(t.text()).contains("The first words\n(stopped)\n")
        .contains(SMART + " says: next question")
        .doesNotContain("not counted here");
    // The stopped call is billed its prompt and the words it streamed, at the smart model's prices.
    java.util.regex.Matcher cost = java.util.regex.Pattern
        .compile("spent \\$0\\.000000 on 0 answers and \\$(\\S+) on 1 stopped or failed\\n").matcher(t.text());
    assertThat(cost.find()).as(t.text()).isTrue();
    assertThat(Double.parseDouble(cost.group(1))).isPositive();
    assertThat(provider.asks.get(1).messages()).as("the stopped question is not part of the conversation")
        .extracting(Message::text).containsExactly("next question");
  }
}
