package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Every plan works with tools: cascades and votes compare tool calls by name and canonical arguments. */
class ToolAnswersTest {
  static final String CODE_PROMPT = "Fix the failing test in this repository.";

  /** Answers each model with fixed tool calls (or text); records the calls made. */
  static final class ToolCallingProvider implements Provider {
    final Map<String, List<Content>> answers;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    ToolCallingProvider(Map<String, List<Content>> answers) {
      this.answers = answers;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public Completion complete(Ask ask, Step step) {
      calls.add(step.model());
      List<Content> content = answers.get(step.model());
      boolean calling = content.stream().anyMatch(Content.ToolCall.class::isInstance);
      return new Completion(step.model(), content, calling ? StopReason.TOOL_USE : StopReason.END_TURN, Optional.empty(),
          new Usage(10, 5, 0), 0.001, Duration.ofMillis(10), Duration.ofMillis(50));
    }
  }

  static Ask toolAsk() {
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    Tool bash = new Tool.Function("bash", "run a command", schema, Optional.empty(), null);
    return new Ask(List.of(Message.user(CODE_PROMPT)), Effort.HIGH, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Map.of(), OptionalInt.empty(), new Tools(List.of(bash), Optional.empty(), Optional.empty()),
        List.of(), Passthrough.NONE);
  }

  static Content.ToolCall call(String id, String args) {
    return new Content.ToolCall(id, "bash", args);
  }

  static Answer run(ToolCallingProvider provider, Plan plan, Deltas deltas) {
    return new Executor(m -> provider).execute(new PlannedAsk(toolAsk(), Effort.HIGH, plan, List.of()), deltas);
  }

  @Test
  void cascadeAcceptsProbesThatMakeTheSameCallsWhateverTheKeyOrderAndSpacing() {
    var provider = new ToolCallingProvider(Map.of(
        "a", List.of(call("call_a", "{\"cmd\":\"ls\",\"cwd\":\"/tmp\"}")),
        "b", List.of(call("toolu_b", "{ \"cwd\": \"/tmp\", \"cmd\": \"ls\" }")),
        "big", List.of(new Content.Text("should not be asked"))));
    Answer answer = run(provider, Plan.cascade(List.of("a", "b"), "big"), Deltas.NONE);

    assertThat(provider.calls).containsExactlyInAnyOrder("a", "b");
    assertThat(answer.toolCalls()).containsExactly(call("call_a", "{\"cmd\":\"ls\",\"cwd\":\"/tmp\"}"));
    assertThat(answer.stopReason()).isEqualTo(StopReason.TOOL_USE);
    assertThat(answer.trace().notes()).anyMatch(n -> n.contains("agreed"));
  }

  @Test
  void cascadeEscalatesWhenProbesCallWithDifferentArguments() {
    var provider = new ToolCallingProvider(Map.of(
        "a", List.of(call("call_a", "{\"cmd\":\"ls\"}")),
        "b", List.of(call("call_b", "{\"cmd\":\"rm -rf build\"}")),
        "big", List.of(call("call_big", "{\"cmd\":\"git status\"}"))));
    Answer answer = run(provider, Plan.cascade(List.of("a", "b"), "big"), Deltas.NONE);

    assertThat(answer.model()).isEqualTo("big");
    assertThat(answer.toolCalls()).extracting(Content.ToolCall::id).containsExactly("call_big");
    assertThat(answer.costUsd()).as("the probes were paid too").isCloseTo(0.003, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void cascadeDoesNotTakeATextAnswerForAToolCall() {
    var provider = new ToolCallingProvider(Map.of(
        "a", List.of(new Content.Text("I would run ls")),
        "b", List.of(call("call_b", "{\"cmd\":\"ls\"}")),
        "big", List.of(call("call_big", "{\"cmd\":\"ls\"}"))));
    assertThat(run(provider, Plan.cascade(List.of("a", "b"), "big"), Deltas.NONE).model()).isEqualTo("big");
  }

  @Test
  void voteCountsParallelCallsAsOneAnswerInAnyOrder() {
    var provider = new ToolCallingProvider(Map.of(
        "a", List.of(call("1", "{\"cmd\":\"ls\"}"), call("2", "{\"cmd\":\"pwd\"}")),
        "b", List.of(call("3", "{\"cmd\":\"pwd\"}"), call("4", "{\"cmd\":\"ls\"}")),
        "c", List.of(call("5", "{\"cmd\":\"whoami\"}"))));
    Answer answer = run(provider, Plan.vote(List.of("c", "a", "b")), Deltas.NONE);
    assertThat(answer.model()).isEqualTo("a");
    assertThat(answer.toolCalls()).hasSize(2);
  }

  @Test
  void aChosenAnswerIsStreamedBlockByBlock() {
    var provider = new ToolCallingProvider(Map.of(
        "a", List.of(new Content.Thinking("need a listing", "sig-1", Content.Thinking.ANTHROPIC), new Content.Text("Listing."),
            call("call_a", "{\"cmd\":\"ls\"}")),
        "b", List.of(call("call_b", "{\"cmd\":\"ls\"}")),
        "big", List.of(new Content.Text("unused"))));
    List<String> events = new ArrayList<>();
    run(provider, Plan.cascade(List.of("a", "b"), "big"), new Deltas() {
      @Override
      public void thinking(String delta) {
        events.add("thinking " + delta);
      }

      @Override
      public void thinkingSignature(String signature, String origin) {
        events.add("signature " + signature + " " + origin);
      }

      @Override
      public void text(String delta) {
        events.add("text " + delta);
      }

      @Override
      public void toolCall(String id, String name) {
        events.add("call " + id + " " + name);
      }

      @Override
      public void toolArguments(String fragment) {
        events.add("args " + fragment);
      }
    });
    assertThat(events).containsExactly("thinking need a listing", "signature sig-1 anthropic", "text Listing.",
        "call call_a bash", "args {\"cmd\":\"ls\"}");
  }

  @Test
  void canonicalArgumentsIgnoreKeyOrderAndSpacingButNotValues() {
    assertThat(Json.canonical("{\"b\": [1, {\"y\":2,\"x\":1}], \"a\": \"s\"}")).isEqualTo("{\"a\":\"s\",\"b\":[1,{\"x\":1,\"y\":2}]}");
    assertThat(call("1", "{\"n\":1}").key()).isNotEqualTo(call("1", "{\"n\":2}").key());
  }

  @Test
  void thinkingGoesOnlyBackToTheUpstreamThatSignedIt() {
    var signed = new Content.Thinking("t", "sig", Content.Thinking.ANTHROPIC);
    assertThat(CrossFormat.sendable(signed, "anthropic")).isTrue();
    assertThat(CrossFormat.sendable(signed, "openai")).isFalse();
    assertThat(CrossFormat.sendable(Content.Thinking.unsigned("t"), "anthropic")).isFalse();
    assertThat(CrossFormat.sendable(new Content.Thinking("t", "effort-gateway", Content.Thinking.GATEWAY), "anthropic")).isFalse();
    assertThat(CrossFormat.sendable(new Content.RedactedThinking("x"), "openai")).isFalse();
  }

  @Test
  void hostedToolsGoOnlyToTheirOwnFormatAndAreNamedWhenDropped() {
    Tool search = new Tool.Hosted("anthropic", "web_search_20250305", "web_search", Json.MAPPER.createObjectNode());
    Ask ask = toolAsk();
    ask = new Ask(ask.messages(), ask.effort(), ask.model(), ask.deadline(), ask.maxCostUsd(), ask.key(), ask.tags(),
        ask.maxTokens(), new Tools(List.of(ask.tools().offered().get(0), search), Optional.empty(), Optional.empty()),
        List.of(), Passthrough.NONE);
    assertThat(CrossFormat.droppedTools(ask, "anthropic")).isEmpty();
    assertThat(CrossFormat.droppedTools(ask, "openai")).containsExactly("web_search");
  }

  @Test
  void aToolChoiceNamesATool() {
    assertThatThrownBy(() -> new ToolChoice(ToolChoice.Mode.NAMED, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThat(ToolChoice.named("bash").name()).contains("bash");
  }
}
