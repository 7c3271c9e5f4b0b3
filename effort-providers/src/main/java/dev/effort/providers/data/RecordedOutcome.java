package dev.effort.providers.data;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one model answered to one recorded prompt.
 *
 * @param response the answer text; empty when the data records correctness only
 * @param correct the recorded label; empty when the data leaves it blank (unknown, not wrong)
 * @param costUsd the recorded price of the call, when the data has one
 */
public record RecordedOutcome(
    String model, String response, Optional<Boolean> correct, OptionalDouble costUsd) {

  public RecordedOutcome {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(correct, "correct");
    Objects.requireNonNull(costUsd, "costUsd");
  }
}
