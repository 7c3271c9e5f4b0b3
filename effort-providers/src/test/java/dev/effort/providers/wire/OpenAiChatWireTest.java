package dev.effort.providers.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Chat Completions codec on its own: what a client sends, read into blocks and written back unchanged. */
class OpenAiChatWireTest {

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A conversation with every kind of message and part an OpenAI client sends. */
  static final String CONVERSATION = """
      [{"role": "system", "content": "Be brief."},
       {"role": "user", "content": [
          {"type": "text", "text": "What is in this picture, and the weather there?", "cache_control": {"type": "ephemeral"}},
          {"type": "image_url", "image_url": {"url": "https://example.com/paris.jpg", "detail": "high"}},
          {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}]},
       {"role": "assistant", "content": null, "tool_calls": [
          {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
          {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]},
       {"role": "tool", "tool_call_id": "call_1", "content": "18 °C"},
       {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "14:00"}, {"type": "text", "text": "CET"}]},
       {"role": "user", "content": "Thanks."},
       {"role": "assistant", "content": "You are welcome."}]""";

  @Test
  void aConversationIsReadIntoBlocksWithToolMessagesMergedIntoOneUserMessage() throws Exception {
    List<Message> messages = OpenAiChatWire.messages(json(CONVERSATION));

    assertThat(messages).extracting(Message::role).containsExactly("system", "user", "assistant", "user", "user", "assistant");
    assertThat(messages.get(1).content()).extracting(Content::kind).containsExactly("text", "image", "input_audio");
    assertThat(((Content.Text) messages.get(1).content().get(0)).passthrough()).isEqualTo(json("{\"cache_control\": {\"type\": \"ephemeral\"}}"));
    Content.Image image = (Content.Image) messages.get(1).content().get(1);
    assertThat(image.url()).contains("https://example.com/paris.jpg");
    assertThat(image.passthrough()).isEqualTo(json("{\"detail\": \"high\"}"));
    assertThat(messages.get(2).blocks(Content.ToolCall.class)).extracting(Content.ToolCall::id).containsExactly("call_1", "call_2");
    assertThat(messages.get(3).blocks(Content.ToolResult.class)).extracting(r -> r.callId() + ": " + r.text())
        .containsExactly("call_1: 18 °C", "call_2: 14:00\nCET");
  }

  @Test
  void aConversationReadAndWrittenForTheSameFormatIsUnchanged() throws Exception {
    assertThat(OpenAiChatWire.messages(OpenAiChatWire.messages(json(CONVERSATION)), true)).isEqualTo(json(CONVERSATION));
  }

  @Test
  void developerIsSystemAndADataUrlIsAnInlineImage() throws Exception {
    List<Message> messages = OpenAiChatWire.messages(json("""
        [{"role": "developer", "content": "Be brief."},
         {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}}]}]"""));

    assertThat(messages.get(0)).isEqualTo(new Message("system", "Be brief."));
    assertThat(messages.get(1).content()).containsExactly(Content.Image.inline("image/jpeg", "/9j/4AAQ"));
  }

  @Test
  void customToolsAreOpenAiOnlyAndCanBeNamedInTheToolChoice() throws Exception {
    Tools tools = OpenAiChatWire.tools(json("""
        {"tools": [{"type": "function", "function": {"name": "f", "strict": false, "x_extra": 1}},
                   {"type": "custom", "custom": {"name": "sql", "format": {"type": "text"}}}],
         "tool_choice": {"type": "custom", "custom": {"name": "sql"}}, "parallel_tool_calls": false}"""));

    assertThat(tools.offered().get(0)).isInstanceOfSatisfying(Tool.Function.class, f -> {
      assertThat(f.strict()).contains(false);
      assertThat(f.passthrough()).isEqualTo(json("{\"x_extra\": 1}"));
    });
    assertThat(tools.offered().get(1)).isInstanceOfSatisfying(Tool.Hosted.class, h -> {
      assertThat(h.format()).isEqualTo("openai");
      assertThat(h.name()).isEqualTo("sql");
    });
    assertThat(tools.choice()).contains(ToolChoice.named("sql"));
    assertThat(tools.parallel()).contains(false);
    assertThat(OpenAiChatWire.toolChoice(tools.choice().orElseThrow(), tools.offered()))
        .isEqualTo(json("{\"type\": \"custom\", \"custom\": {\"name\": \"sql\"}}"));
    assertThat(OpenAiChatWire.tool(tools.offered().get(1), false))
        .isEqualTo(json("{\"type\": \"custom\", \"custom\": {\"name\": \"sql\", \"format\": {\"type\": \"text\"}}}"));
  }

  @Test
  void anAllowedToolsChoiceKeepsItsMode() throws Exception {
    Tools tools = OpenAiChatWire.tools(json("""
        {"tools": [{"type": "function", "function": {"name": "f"}}],
         "tool_choice": {"type": "allowed_tools", "allowed_tools": {"mode": "required", "tools": [{"type": "function", "function": {"name": "f"}}]}}}"""));

    assertThat(tools.choice()).contains(ToolChoice.of(ToolChoice.Mode.REQUIRED));
  }

  @Test
  void stopIsAStringOrAnArrayOfStrings() throws Exception {
    assertThat(OpenAiChatWire.stop(json("\"END\""))).containsExactly("END");
    assertThat(OpenAiChatWire.stop(json("[\"a\", \"b\"]"))).containsExactly("a", "b");
    assertThat(OpenAiChatWire.stop(null)).isEmpty();
    InvalidRequest e = catchThrowableOfType(InvalidRequest.class, () -> OpenAiChatWire.stop(json("[1]")));
    assertThat(e.param()).isEqualTo("stop");
  }

  @Test
  void anAnswerThatOnlyCallsToolsHasNullContent() throws Exception {
    Content.ToolCall call = new Content.ToolCall("call_1", "f", "{}");

    assertThat(OpenAiChatWire.assistantMessage(List.of(call), false)).isEqualTo(json("""
        {"role": "assistant", "content": null,
         "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}"""));
    assertThat(OpenAiChatWire.assistantMessage(List.of(new Content.Text("")), false))
        .isEqualTo(json("{\"role\": \"assistant\", \"content\": \"\"}"));
  }

  @Test
  void anUpstreamAnswerIsReadIntoBlocksAndACustomToolsCallGoesBackToTheClientAsItCame() {
    JsonNode message = json("""
        {"role": "assistant", "content": null, "reasoning_content": "Look it up.",
         "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\":1}"}},
                        {"id": "call_2", "type": "custom", "custom": {"name": "sql", "input": "SELECT 1"}}]}""");

    List<Content> blocks = OpenAiChatWire.answer(message);

    assertThat(blocks).extracting(Content::kind).containsExactly("thinking", "tool_call", "custom");
    assertThat(blocks.get(1)).isEqualTo(new Content.ToolCall("call_1", "f", "{\"a\":1}"));
    assertThat(OpenAiChatWire.assistantMessage(blocks, false)).isEqualTo(json("""
        {"role": "assistant", "content": null,
         "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\":1}"}},
                        {"id": "call_2", "type": "custom", "custom": {"name": "sql", "input": "SELECT 1"}}]}"""));
  }
}
