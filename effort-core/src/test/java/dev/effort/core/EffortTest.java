package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EffortTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // OpenAI reasoning_effort
    "none, LOW", "minimal, LOW", "low, LOW", "medium, MEDIUM", "high, HIGH", "xhigh, XHIGH",
    // Anthropic output_config.effort and Claude Code /effort
    "max, MAX", "auto, AUTO",
    // any case, blanks, separators
    "LOW, LOW", "High, HIGH", "'  medium ', MEDIUM", "XHigh, XHIGH", "x-high, XHIGH", "x_high, XHIGH",
    "MINIMAL, LOW", "None, LOW", "AUTO, AUTO"
  })
  void parsesEveryConventionInUse(String value, Effort expected) {
    assertThat(Effort.parse(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "hihg", "ultra", "1", "very high", "extreme", "lowest"})
  void rejectsUnknownValuesNamingTheAcceptedOnes(String value) {
    assertThatThrownBy(() -> Effort.parse(value))
        .isInstanceOf(UnknownEffortException.class)
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining("low, medium, high, xhigh, max, auto")
        .hasMessageContaining("none and minimal");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Effort.parse(null)).isInstanceOf(UnknownEffortException.class);
  }

  @Test
  void levelsRiseFromLowToMax() {
    assertThat(Effort.LEVELS).containsExactly(Effort.LOW, Effort.MEDIUM, Effort.HIGH, Effort.XHIGH, Effort.MAX);
    assertThat(Effort.MAX.isAbove(Effort.XHIGH)).isTrue();
    assertThat(Effort.LOW.isAbove(Effort.LOW)).isFalse();
    assertThat(Effort.HIGH.lower()).isEqualTo(Effort.MEDIUM);
    assertThat(Effort.LOW.lower()).isEqualTo(Effort.LOW);
  }

  @Test
  void autoHasNoPlaceOnTheDial() {
    assertThat(Effort.AUTO.isFixed()).isFalse();
    assertThatThrownBy(Effort.AUTO::lower).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void wireNamesAreLowerCase() {
    assertThat(Effort.XHIGH.wireName()).isEqualTo("xhigh");
    assertThat(Effort.AUTO.toString()).isEqualTo("auto");
  }
}
