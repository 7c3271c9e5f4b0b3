package dev.effort.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.AnswerFormat;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Estimate;
import dev.effort.core.FinalAnswer;
import dev.effort.core.Ladder;
import dev.effort.core.Message;
import dev.effort.core.Plan;
import dev.effort.core.PlanForecast;
import dev.effort.core.Step;
import dev.effort.core.Strategy;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.server.Fleet;
import dev.effort.server.Fleets;
import dev.effort.server.Gateway;
import dev.effort.server.GatewayConfig;
import dev.effort.server.ModelField;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * A gateway on a free port serving the recorded RouterBench outcomes through the replay provider,
 * and what a client should get back from it: the recorded answer of each (model, prompt), the
 * plan of each level, the level a deadline or cost cap should lower an ask to.
 */
final class RecordedGateway implements AutoCloseable {
  static final Ladder LADDER = Ladder.routerBench();
  static final String MIXTRAL = "mistralai/mixtral-8x7b-chat";
  static final String GPT4_TURBO = "gpt-4-1106-preview";

  final Fleet fleet;
  final Gateway gateway;
  final List<RecordedDataset> datasets;
  private final Map<String, Integer> textCounts = new HashMap<>();

  RecordedGateway() {
    Path data = data();
    this.fleet = Fleets.replay(Catalog.builtIn(), LADDER, data);
    this.gateway = Gateway.start(GatewayConfig.defaults(), fleet, Optional.empty(), 0);
    this.datasets = RouterBenchCsv.loadFolder(data);
    datasets.forEach(d -> d.prompts().forEach(p -> textCounts.merge(p.prompt(), 1, Integer::sum)));
  }

  /** The RouterBench folder of the recorded data (system property {@code effort.data}); fails, never skips, without it. */
  static Path data() {
    String root = System.getProperty("effort.data");
    assertThat(root).as("system property effort.data (the recorded data folder, set by the build)").isNotBlank();
    Path dir = Path.of(root, "routerbench").toAbsolutePath().normalize();
    assertThat(Files.isDirectory(dir)).as("recorded RouterBench data in " + dir).isTrue();
    return dir;
  }

  int port() {
    return gateway.port();
  }

  /** Every name the {@code model} field accepts, as {@code GET /v1/models} should list them. */
  List<String> acceptedModelNames() {
    return ModelField.acceptedNames(fleet.models());
  }

  /**
   * A code-writing prompt of MBPP: free-form, so a cascade cannot check agreement and escalates at
   * once, which makes every level's answering model known in advance. Its text is recorded once,
   * starts with no blank, and the models of the ladder all answered it, each differently, so the
   * answer text tells which model answered.
   */
  RecordedPrompt freeFormPrompt() {
    List<String> answering = List.of(MIXTRAL, "gpt-3.5-turbo-1106", GPT4_TURBO);
    return find("mbpp_train", p -> AnswerFormat.of(p.prompt()) == AnswerFormat.FREE
        && LADDER.models().stream().allMatch(m -> p.outcome(m).filter(o -> !o.response().isBlank()).isPresent())
        && answering.stream().map(m -> p.outcome(m).orElseThrow().response()).distinct().count() == answering.size()
        && answering.stream().allMatch(m -> p.outcome(m).orElseThrow().costUsd().isPresent()));
  }

  /**
   * A multiple-choice prompt of ARC on which the cheap probes of {@code medium} (mixtral and Yi)
   * {@code agree} or not, with a different answer from the escalation model.
   */
  RecordedPrompt choicePrompt(boolean agree) {
    Plan medium = LADDER.plan(Effort.MEDIUM);
    return find("arc_challenge_train", p -> {
      if (AnswerFormat.of(p.prompt()) != AnswerFormat.CHOICE
          || !medium.models().stream().allMatch(m -> p.outcome(m).filter(o -> !o.response().isBlank()).isPresent())) {
        return false;
      }
      List<Optional<String>> letters = medium.probes().stream()
          .map(s -> FinalAnswer.choiceLetter(p.outcome(s.model()).orElseThrow().response())).toList();
      boolean agreed = letters.get(0).isPresent() && letters.stream().allMatch(letters.get(0)::equals);
      String probe = p.outcome(medium.probes().get(0).model()).orElseThrow().response();
      String escalation = p.outcome(medium.escalation().model()).orElseThrow().response();
      return agreed == agree && !probe.equals(escalation);
    });
  }

  private RecordedPrompt find(String dataset, Predicate<RecordedPrompt> wanted) {
    return datasets.stream().filter(d -> d.name().equals(dataset)).findFirst().orElseThrow().prompts().stream()
        .filter(p -> textCounts.get(p.prompt()) == 1 && p.prompt().equals(p.prompt().strip()))
        .filter(wanted)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no suitable prompt in " + dataset));
  }

  static String recorded(RecordedPrompt prompt, String model) {
    return outcome(prompt, model).response();
  }

  static RecordedOutcome outcome(RecordedPrompt prompt, String model) {
    return prompt.outcome(model).orElseThrow(() -> new AssertionError(model + " has no recorded answer to " + prompt.id()));
  }

  /** What the recorded calls of {@code models} to {@code prompt} cost together. */
  static double recordedCost(RecordedPrompt prompt, List<String> models) {
    return models.stream().mapToDouble(m -> outcome(prompt, m).costUsd().orElseThrow(
        () -> new AssertionError(m + " has no recorded cost for " + prompt.id()))).sum();
  }

  /** The plan string the gateway reports for a level of the ladder. */
  static String plan(Effort level) {
    return LADDER.plan(level).describe();
  }

  /** The plan string of a pinned model at a level: one call, the level on the model's own knob. */
  static String pinnedPlan(String model, Effort level) {
    return new Plan(Strategy.SINGLE, List.of(new Step(model, Optional.of(level), OptionalInt.empty(), OptionalInt.empty())))
        .describe();
  }

  /** The model whose recorded answer a level returns for a free-form prompt (cascades escalate at once). */
  static String answeringModel(Effort level, RecordedPrompt freeForm) {
    assertThat(AnswerFormat.of(freeForm.prompt())).isEqualTo(AnswerFormat.FREE);
    Plan plan = LADDER.plan(level);
    return switch (plan.strategy()) {
      case SINGLE -> plan.steps().get(0).model();
      case CASCADE -> plan.escalation().model();
      case VOTE, ESCALATE -> throw new AssertionError("the routerbench ladder has no vote or escalation: " + plan.describe());
    };
  }

  /** The planner's forecast of a level's plan for a one-message ask, as the gateway makes it. */
  Estimate forecast(Effort level, String prompt, OptionalInt maxTokens) {
    Ask ask = new Ask(List.of(Message.user(prompt)), level, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Map.of(), maxTokens);
    return PlanForecast.of(LADDER.plan(level), ask, fleet.catalog());
  }

  /**
   * A deadline that the plan of {@code asked} is expected to miss and a lower level is expected to
   * meet, with that lower level: the highest one whose forecast fits.
   */
  Downgrade deadlineBelow(Effort asked, String prompt, OptionalInt maxTokens) {
    Duration askedLatency = forecast(asked, prompt, maxTokens).latency();
    for (Effort level = asked.lower(); ; level = level.lower()) {
      Duration latency = forecast(level, prompt, maxTokens).latency();
      long ms = (latency.toNanos() + 999_999) / 1_000_000; // rounded up: the level fits
      if (askedLatency.compareTo(Duration.ofMillis(ms)) > 0) {
        // The highest level that fits this deadline, searching down from the one asked.
        for (Effort fits = asked; ; fits = fits.lower()) {
          if (forecast(fits, prompt, maxTokens).latency().compareTo(Duration.ofMillis(ms)) <= 0) {
            return new Downgrade(ms + "ms", fits);
          }
        }
      }
      if (level == Effort.LOW) {
        throw new AssertionError("no level is forecast faster than " + asked + "; pick another level for this test");
      }
    }
  }

  /** A cost cap that the plan of {@code asked} is expected to exceed and {@code low} to meet, with the level expected. */
  Downgrade costCapBelow(Effort asked, String prompt, OptionalInt maxTokens) {
    double cap = forecast(Effort.LOW, prompt, maxTokens).costUsd();
    assertThat(forecast(asked, prompt, maxTokens).costUsd()).as("forecast cost of " + asked).isGreaterThan(cap);
    for (Effort fits = asked; ; fits = fits.lower()) {
      if (forecast(fits, prompt, maxTokens).costUsd() <= cap) {
        return new Downgrade(Double.toString(cap), fits);
      }
    }
  }

  /** A constraint as a header value, and the level it should lower the ask to. */
  record Downgrade(String value, Effort expected) {}

  /** The text value at a JSON pointer, failing when it is missing. */
  static String text(JsonNode node, String pointer) {
    JsonNode v = node.at(pointer);
    assertThat(v.isMissingNode()).as(pointer + " in " + node).isFalse();
    return v.asText();
  }

  @Override
  public void close() {
    gateway.close();
  }
}
