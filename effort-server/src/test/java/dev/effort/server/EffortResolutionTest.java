package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Content;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.server.ChatRequest.BodyEffort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the effort comes from, and what is forwarded after a /effort line is taken out. */
class EffortResolutionTest {

  static EffortResolution resolve(List<Message> messages, List<BodyEffort> body) {
    return EffortResolution.resolve(messages, Optional.empty(), "Effort", body, Optional.of(Effort.LOW), Optional.empty(),
        Effort.HIGH);
  }

  @Test
  void aSlashLineInTheTypedBlockOfAMultiBlockTurnIsStrippedAndTheOtherBlocksKeptAsSent() {
    ObjectNode cache = Json.MAPPER.createObjectNode();
    cache.putObject("cache_control").put("type", "ephemeral");
    Message user = new Message("user", List.of(
        new Content.Text("<system-reminder>today is Wednesday</system-reminder>"),
        new Content.Text("/effort max\nWhy is the sky blue?", cache)));
    EffortResolution r = resolve(List.of(user), List.of());

    assertThat(r.effort()).isEqualTo(Effort.MAX);
    assertThat(r.source()).isEqualTo("/effort line");
    Message sent = r.messages().get(0);
    assertThat(sent.content()).containsExactly(
        new Content.Text("<system-reminder>today is Wednesday</system-reminder>"),
        new Content.Text("Why is the sky blue?", cache));
  }

  @Test
  void aBlockHoldingOnlyTheLineIsDroppedWhenOtherBlocksCarryTheQuestion() {
    Message user = new Message("user", List.of(new Content.Text("/effort low"), new Content.Text("Why is the sky blue?")));
    EffortResolution r = resolve(List.of(user), List.of());
    assertThat(r.effort()).isEqualTo(Effort.LOW);
    assertThat(r.messages().get(0).content()).containsExactly(new Content.Text("Why is the sky blue?"));
  }

  @Test
  void aTurnHoldingOnlyTheLineIsAClearError() {
    assertThatThrownBy(() -> resolve(List.of(Message.user("/effort high")), List.of()))
        .isInstanceOf(WireError.class).hasMessageContaining("put the question after it");
  }

  @Test
  void anAgentsOwnEffortFieldWinsOverTheLevelItsModelNameChose() {
    EffortResolution r = resolve(List.of(Message.user("hi")), List.of(new BodyEffort("output_config.effort", "xhigh")));
    assertThat(r.effort()).isEqualTo(Effort.XHIGH);
    assertThat(r.source()).isEqualTo("body output_config.effort");
  }
}
