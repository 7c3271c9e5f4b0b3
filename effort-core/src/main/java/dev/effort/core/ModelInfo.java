package dev.effort.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;

/**
 * What the catalog knows of one model: who serves it, what it costs, how fast it answers.
 *
 * @param id model id as the provider and the recorded data name it
 * @param provider provider name: anthropic, openai, openai-compatible or replay
 * @param inputUsdPerMillion USD per million input tokens
 * @param outputUsdPerMillion USD per million output (and thinking) tokens
 * @param ttftMs prior for time to first token, milliseconds
 * @param outputTokensPerSecond prior for output speed
 * @param contextWindow context window in tokens
 * @param source where the price and latency figures come from
 */
public record ModelInfo(
    @JsonProperty("id") String id,
    @JsonProperty("provider") String provider,
    @JsonProperty("input_usd_per_million") double inputUsdPerMillion,
    @JsonProperty("output_usd_per_million") double outputUsdPerMillion,
    @JsonProperty("ttft_ms") long ttftMs,
    @JsonProperty("output_tokens_per_second") double outputTokensPerSecond,
    @JsonProperty("context_window") int contextWindow,
    @JsonProperty("source") String source) {

  public ModelInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(provider, "provider");
    if (inputUsdPerMillion < 0 || outputUsdPerMillion < 0) {
      throw new IllegalArgumentException(id + ": prices must not be negative");
    }
    if (ttftMs < 0 || outputTokensPerSecond <= 0) {
      throw new IllegalArgumentException(id + ": ttft_ms must be >= 0 and output_tokens_per_second > 0");
    }
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
