package dev.effort.providers.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Tool;
import dev.effort.core.Tools;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Anthropic codec both ways: a block, tool or tool choice read and written again is what came
 * (the gateway relays a client's conversation to an Anthropic upstream, and an upstream's answer to
 * a client, through this one codec).
 */
class AnthropicWireTest {

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  static JsonNode roundTrip(JsonNode block, String role) {
    return AnthropicWire.render(AnthropicWire.block(block, "block", role), true).orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"text\",\"text\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}",
      "{\"type\":\"text\",\"text\":\"Sunny.\",\"citations\":[{\"type\":\"char_location\",\"cited_text\":\"sun\","
          + "\"document_index\":0,\"start_char_index\":0,\"end_char_index\":3}]}",
      "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/webp\",\"data\":\"UklGRg==\"}}",
      "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"},\"cache_control\":{\"type\":\"ephemeral\"}}",
      "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}}",
      "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"},\"title\":\"a\"}",
      "{\"type\":\"search_result\",\"source\":\"https://x\",\"title\":\"x\",\"content\":[{\"type\":\"text\",\"text\":\"y\"}]}",
  })
  void userBlocksRenderAsTheyCame(String block) throws Exception {
    assertThat(roundTrip(json(block), "user")).isEqualTo(json(block));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"thinking\",\"thinking\":\"Hm.\",\"signature\":\"EqQBCgIYAhIM1gbc\"}",
      "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"EqQBCgIYAhIM1gbc\"}",
      "{\"type\":\"thinking\",\"thinking\":\"Another provider's.\",\"signature\":\"effort-gateway\"}",
      "{\"type\":\"thinking\",\"thinking\":\"OpenAI's.\",\"signature\":\"effort-gateway.openai.gAAAAB-enc\"}",
      "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}",
      "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"},\"cache_control\":{\"type\":\"ephemeral\"}}",
      "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_01\",\"name\":\"web_search\",\"input\":{\"query\":\"q\"}}",
      "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_01\",\"content\":[]}",
  })
  void assistantBlocksRenderAsTheyCame(String block) throws Exception {
    assertThat(roundTrip(json(block), "assistant")).isEqualTo(json(block));
  }

  @Test
  void toolResultsRenderAsTheyCameWithOneTextAsAStringAndNoFalseError() throws Exception {
    String blocks = "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"is_error\":true,"
        + "\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\","
        + "\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}],\"cache_control\":{\"type\":\"ephemeral\"}}";
    assertThat(roundTrip(json(blocks), "user")).isEqualTo(json(blocks));
    assertThat(roundTrip(json("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}],"
        + "\"is_error\":false}"), "user")).isEqualTo(json("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"a\"}"));
    assertThat(roundTrip(json("{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}"), "user"))
        .isEqualTo(json("{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}"));
  }

  @Test
  void signaturesTellWhoSignedTheThinking() throws Exception {
    assertThat(AnthropicWire.block(json("{\"type\":\"thinking\",\"thinking\":\"a\",\"signature\":\"Eq1\"}"), "b", "assistant"))
        .isEqualTo(new Content.Thinking("a", "Eq1", Content.Thinking.ANTHROPIC));
    assertThat(AnthropicWire.block(json("{\"type\":\"thinking\",\"thinking\":\"a\",\"signature\":\"effort-gateway\"}"), "b",
        "assistant")).isEqualTo(Content.Thinking.unsigned("a"));
    assertThat(AnthropicWire.block(json("{\"type\":\"thinking\",\"thinking\":\"a\",\"signature\":\"effort-gateway.openai.enc\"}"),
        "b", "assistant")).isEqualTo(new Content.Thinking("a", "enc", Content.Thinking.OPENAI));
  }

  @Test
  void toolsAndToolChoicesRenderAsTheyCame() throws Exception {
    JsonNode tools = json("[{\"name\":\"Bash\",\"description\":\"Run\",\"input_schema\":{\"$schema\":\"https://json-schema.org/"
        + "draft/2020-12/schema\",\"type\":\"object\",\"properties\":{},\"additionalProperties\":false},"
        + "\"cache_control\":{\"type\":\"ephemeral\"},\"defer_loading\":true,\"strict\":true},"
        + "{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":3},"
        + "{\"type\":\"bash_20250124\",\"name\":\"bash\"},"
        + "{\"type\":\"computer_20250124\",\"name\":\"computer\",\"display_width_px\":1024,\"display_height_px\":768}]");
    for (String choice : List.of("{\"type\":\"auto\"}", "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
        "{\"type\":\"any\",\"disable_parallel_tool_use\":false}", "{\"type\":\"tool\",\"name\":\"Bash\"}", "{\"type\":\"none\"}")) {
      Tools parsed = AnthropicWire.tools(tools, json(choice));
      assertThat(parsed.offered()).hasExactlyElementsOfTypes(Tool.Function.class, Tool.Hosted.class, Tool.Hosted.class,
          Tool.Hosted.class);
      JsonNode rendered = Json.MAPPER.valueToTree(parsed.offered().stream().map(t -> AnthropicWire.render(t, true)).toList());
      assertThat(rendered).isEqualTo(tools);
      assertThat(AnthropicWire.toolChoice(parsed.choice(), parsed.parallel()).orElseThrow()).isEqualTo(json(choice));
    }
  }

  @Test
  void aFunctionWithoutASchemaTypeGetsTheObjectTypeAnthropicRequires() throws Exception {
    Tool.Function noArguments = new Tool.Function("now", "", Json.MAPPER.createObjectNode(), java.util.Optional.empty(), null);
    assertThat(AnthropicWire.render(noArguments, false)).isEqualTo(json("{\"name\":\"now\",\"input_schema\":{\"type\":\"object\"}}"));
  }

  @Test
  void aBlockOfAnotherRoleOrWithoutATypeIsInvalidAndSaysWhere() {
    assertThatThrownBy(() -> AnthropicWire.block(json("{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}"), "messages.1.content.0",
        "assistant"))
        .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.param()).isEqualTo("messages.1.content.0"))
        .hasMessageContaining("belongs in a user message");
    assertThatThrownBy(() -> AnthropicWire.block(json("{\"text\":\"x\"}"), "system.0", "system"))
        .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.param()).isEqualTo("system.0.type"));
  }
}
