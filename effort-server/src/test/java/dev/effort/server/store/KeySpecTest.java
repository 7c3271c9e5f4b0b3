package dev.effort.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Effort;
import org.junit.jupiter.api.Test;

class KeySpecTest {

  @Test
  void namesStartWithALetterSoTheyNeverLookLikeIds() {
    assertThat(KeySpec.named("ci-bot.v2_x").name()).isEqualTo("ci-bot.v2_x");
    for (String bad : new String[] {"42", "", " ", "has space", "-dash", "x".repeat(65), "é"}) {
      assertThatThrownBy(() -> KeySpec.named(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("accepted: 1 to 64 letters");
    }
    assertThatThrownBy(() -> KeySpec.named(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsMustBePositive() {
    KeySpec k = KeySpec.named("k");
    assertThatThrownBy(() -> k.budgetUsdDay(0)).hasMessageContaining("budget_usd_day must be a positive number");
    assertThatThrownBy(() -> k.budgetUsdMonth(-1)).hasMessageContaining("budget_usd_month");
    assertThatThrownBy(() -> k.budgetUsdDay(Double.NaN)).hasMessageContaining("budget_usd_day");
    assertThatThrownBy(() -> k.rpm(0)).hasMessageContaining("rpm must be a positive whole number");
    assertThatThrownBy(() -> k.tpm(-5)).hasMessageContaining("tpm");
  }

  @Test
  void ceilingIsALevelAndTheDefaultIsNotAboveIt() {
    assertThatThrownBy(() -> KeySpec.named("k").maxEffort(Effort.AUTO))
        .hasMessageContaining("max effort must be a level, not auto");
    assertThatThrownBy(() -> KeySpec.named("k").maxEffort(Effort.MEDIUM).defaultEffort(Effort.HIGH))
        .hasMessageContaining("default effort high is above max effort medium");
    assertThat(KeySpec.named("k").maxEffort(Effort.MEDIUM).defaultEffort(Effort.AUTO).defaultEffort())
        .contains(Effort.AUTO);
    assertThat(KeySpec.named("k").maxEffort(Effort.HIGH).defaultEffort(Effort.HIGH).maxEffort()).contains(Effort.HIGH);
  }

  @Test
  void issuedKeyNeverPrintsItsSecret() {
    var issued = new IssuedKey("ek_supersecret", null);
    assertThat(issued.toString()).doesNotContain("supersecret");
  }
}
