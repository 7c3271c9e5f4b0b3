package dev.effort.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog knows of one model: who serves it, what it costs, how fast it answers, and which
 * effort knob it takes with which levels.
 *
 * @param id model id as the provider and the recorded data name it
 * @param provider provider name: anthropic, openai, openai-compatible or replay
 * @param inputUsdPerMillion USD per million input tokens
 * @param outputUsdPerMillion USD per million output (and thinking) tokens
 * @param ttftMs prior for time to first token, milliseconds
 * @param outputTokensPerSecond prior for output speed
 * @param contextWindow context window in tokens
 * @param source where the figures come from
 * @param knob the model's own effort knob ({@link EffortKnob#NONE} when it has none)
 * @param levels the values the knob accepts, as sent on the wire, lowest first (empty for {@code
 *     none})
 * @param maxOutputTokens the most output tokens (thinking included) one call may ask for; 0 when
 *     unknown
 * @param images whether the model reads images; null when the catalog does not say (then the
 *     upstream decides)
 * @param tools whether the model calls client-defined tools; null when the catalog does not say
 */
public record ModelInfo(
    @JsonProperty("id") String id,
    @JsonProperty("provider") String provider,
    @JsonProperty("input_usd_per_million") double inputUsdPerMillion,
    @JsonProperty("output_usd_per_million") double outputUsdPerMillion,
    @JsonProperty("ttft_ms") long ttftMs,
    @JsonProperty("output_tokens_per_second") double outputTokensPerSecond,
    @JsonProperty("context_window") int contextWindow,
    @JsonProperty("source") String source,
    @JsonProperty("knob") EffortKnob knob,
    @JsonProperty("levels") List<String> levels,
    @JsonProperty("max_output_tokens") int maxOutputTokens,
    @JsonProperty("images") Boolean images,
    @JsonProperty("tools") Boolean tools) {

  /**
   * Every value an effort knob can take on the wire, lowest first. The dial's levels sit on the same
   * scale under their own names ({@code low} … {@code max}); OpenAI's {@code none} and {@code
   * minimal} lie below {@code low}.
   */
  static final List<String> WIRE_SCALE = List.of("none", "minimal", "low", "medium", "high", "xhigh", "max");

  /** Which of the model's own settings the effort dial turns. */
  public enum EffortKnob {
    /** No knob: the dial picks models and output length only. */
    NONE("none", List.of()),
    /** Anthropic {@code output_config.effort} with adaptive thinking ({@code thinking: {type: adaptive}}). */
    ANTHROPIC_EFFORT("anthropic_effort", List.of("low", "medium", "high", "xhigh", "max")),
    /**
     * Anthropic {@code output_config.effort} together with extended thinking on a token budget
     * ({@code thinking: {type: enabled, budget_tokens}}), for models that take effort but not
     * adaptive thinking.
     */
    ANTHROPIC_EFFORT_WITH_THINKING_BUDGET(
        "anthropic_effort_with_thinking_budget", List.of("low", "medium", "high", "xhigh", "max")),
    /** Anthropic extended thinking on a token budget; the level chooses the budget. */
    ANTHROPIC_THINKING_BUDGET("anthropic_thinking_budget", List.of("low", "medium", "high", "xhigh", "max")),
    /** OpenAI {@code reasoning_effort} (Chat Completions). */
    OPENAI_REASONING_EFFORT(
        "openai_reasoning_effort", List.of("none", "minimal", "low", "medium", "high", "xhigh"));

    private final String wireName;
    private final List<String> possibleLevels;

    EffortKnob(String wireName, List<String> possibleLevels) {
      this.wireName = wireName;
      this.possibleLevels = possibleLevels;
    }

    /** The name in catalog files: {@code anthropic_effort}, {@code none}, … */
    @JsonValue
    public String wireName() {
      return wireName;
    }

    /** Every value this kind of knob can take; a model accepts some of them. */
    public List<String> possibleLevels() {
      return possibleLevels;
    }

    /** @throws IllegalArgumentException naming the accepted knobs */
    @JsonCreator
    public static EffortKnob parse(String name) {
      if (name == null) {
        return NONE;
      }
      String n = name.strip().toLowerCase(Locale.ROOT);
      for (EffortKnob k : values()) {
        if (k.wireName.equals(n)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown effort knob '" + name + "'; accepted: "
          + String.join(", ", Arrays.stream(values()).map(EffortKnob::wireName).toList()));
    }
  }

  @JsonCreator
  public ModelInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(provider, "provider");
    if (inputUsdPerMillion < 0 || outputUsdPerMillion < 0) {
      throw new IllegalArgumentException(id + ": prices must not be negative");
    }
    if (ttftMs < 0 || outputTokensPerSecond <= 0) {
      throw new IllegalArgumentException(id + ": ttft_ms must be >= 0 and output_tokens_per_second > 0");
    }
    knob = knob == null ? EffortKnob.NONE : knob;
    levels = levels == null ? List.of() : List.copyOf(levels);
    if (maxOutputTokens < 0) {
      throw new IllegalArgumentException(id + ": max_output_tokens must be >= 0 (0 when unknown)");
    }
    checkLevels(id, knob, levels);
  }

  /** A model whose catalog entry does not say whether it reads images or calls tools. */
  public ModelInfo(String id, String provider, double inputUsdPerMillion, double outputUsdPerMillion, long ttftMs,
      double outputTokensPerSecond, int contextWindow, String source, EffortKnob knob, List<String> levels,
      int maxOutputTokens) {
    this(id, provider, inputUsdPerMillion, outputUsdPerMillion, ttftMs, outputTokensPerSecond, contextWindow, source,
        knob, levels, maxOutputTokens, null, null);
  }

  /** A model without an effort knob whose output limit is unknown (replay, default priors). */
  public ModelInfo(String id, String provider, double inputUsdPerMillion, double outputUsdPerMillion, long ttftMs,
      double outputTokensPerSecond, int contextWindow, String source) {
    this(id, provider, inputUsdPerMillion, outputUsdPerMillion, ttftMs, outputTokensPerSecond, contextWindow, source,
        EffortKnob.NONE, List.of(), 0);
  }

  private static void checkLevels(String id, EffortKnob knob, List<String> levels) {
    if (knob == EffortKnob.NONE) {
      if (!levels.isEmpty()) {
        throw new IllegalArgumentException(id + ": a model with knob 'none' takes no levels, but lists " + levels);
      }
      return;
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException(id + ": knob '" + knob.wireName() + "' needs its accepted levels, some of "
          + knob.possibleLevels());
    }
    int previous = -1;
    for (String level : levels) {
      if (!knob.possibleLevels().contains(level)) {
        throw new IllegalArgumentException(id + ": '" + level + "' is not a level of knob '" + knob.wireName()
            + "'; its levels are " + knob.possibleLevels());
      }
      int rank = WIRE_SCALE.indexOf(level);
      if (rank <= previous) {
        throw new IllegalArgumentException(id + ": levels must be listed once each, lowest first: " + levels);
      }
      previous = rank;
    }
  }

  /**
   * The value this model's knob is set to for an effort level: the level itself where the model
   * accepts it, else the nearest accepted value (the lower one on a tie, so a call never spends more
   * than asked). A level the model does not accept is never returned.
   *
   * @return empty for a model without a knob, and for {@link Effort#AUTO} (which a plan resolves first)
   */
  public Optional<String> nativeLevel(Effort effort) {
    if (knob == EffortKnob.NONE || !effort.isFixed()) {
      return Optional.empty();
    }
    int wanted = WIRE_SCALE.indexOf(effort.wireName());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String level : levels) {
      int distance = Math.abs(WIRE_SCALE.indexOf(level) - wanted);
      if (distance < bestDistance) {
        best = level;
        bestDistance = distance;
      }
    }
    return Optional.of(best);
  }

  /** False only when the catalog says the model reads no images. */
  public boolean takesImages() {
    return !Boolean.FALSE.equals(images);
  }

  /** False only when the catalog says the model calls no tools. */
  public boolean takesTools() {
    return !Boolean.FALSE.equals(tools);
  }

  /** Price model: USD for the given usage at list prices. */
  public double costUsd(Usage usage) {
    return (usage.inputTokens() * inputUsdPerMillion
            + (usage.outputTokens() + usage.thinkingTokens()) * outputUsdPerMillion)
        / 1_000_000.0;
  }

  /** Latency model: time to first token plus generated tokens at the model's output speed. */
  public Duration latency(long generatedTokens) {
    return Duration.ofMillis(ttftMs).plus(Duration.ofNanos(Math.round(generatedTokens / outputTokensPerSecond * 1e9)));
  }

  public Duration ttft() {
    return Duration.ofMillis(ttftMs);
  }
}
