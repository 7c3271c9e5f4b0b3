package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model field: the dial, a level by name, a served model, or a snapshot name of a served model. */
class ModelFieldTest {
  static final List<String> FLEET = List.of("claude-sonnet-4-5", "gpt-4o");

  static ModelField parse(String name) {
    return ModelField.parse(name, Catalog.builtIn(), FLEET);
  }

  @Test
  void snapshotNamesThatAgentsSendPinTheServedModel() {
    assertThat(parse("claude-sonnet-4-5-20250929").pinned()).contains("claude-sonnet-4-5");
    assertThat(parse("gpt-4o-2024-08-06").pinned()).contains("gpt-4o");
    assertThat(parse("claude-sonnet-4-5-latest").pinned()).contains("claude-sonnet-4-5");
  }

  @Test
  void dialNamesChooseALevel() {
    assertThat(parse("effort").level()).isEmpty();
    assertThat(parse("effort-xhigh").level()).contains(Effort.XHIGH);
  }

  @Test
  void aSnapshotOfAModelNotServedIsStillNotServed() {
    assertThatThrownBy(() -> parse("claude-opus-4-5-20251101")).isInstanceOf(WireError.class)
        .hasMessageContaining("not served here; accepted: effort, effort-low");
    assertThatThrownBy(() -> parse("claude-sonnet-4-5-2025")).isInstanceOf(WireError.class);
  }
}
