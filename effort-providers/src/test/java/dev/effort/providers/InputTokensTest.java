package dev.effort.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Content;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Tool;
import dev.effort.core.Tools;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Tokens of tools and images count toward a request's input, as the upstreams count them. */
class InputTokensTest {

  static byte[] image(String format, int width, int height) throws IOException {
    var out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out)).isTrue();
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "gif"})
  void readsTypeAndSizeFromTheHeader(String format) throws IOException {
    byte[] bytes = image(format, 640, 480);
    assertThat(ImageHeader.mediaType(bytes)).contains("image/" + format);
    assertThat(ImageHeader.size(bytes)).hasValueSatisfying(s -> assertThat(s).containsExactly(640, 480));
  }

  @Test
  void textIsNotAnImage() {
    assertThat(ImageHeader.mediaType("hello, world".getBytes())).isEmpty();
  }

  @Test
  void anImageCountsWidthTimesHeightOver750() throws IOException {
    String png = Base64.getEncoder().encodeToString(image("png", 750, 100));
    Message m = new Message("user", List.of(Content.Image.inline("image/png", png)));
    assertThat(InputTokens.of(List.of(m), Tools.NONE)).isEqualTo(InputTokens.PER_MESSAGE + 100);
    Message byUrl = new Message("user", List.of(Content.Image.at("https://example.com/cat.png")));
    assertThat(InputTokens.of(List.of(byUrl), Tools.NONE)).isEqualTo(InputTokens.PER_MESSAGE + InputTokens.UNKNOWN_IMAGE_TOKENS);
  }

  @Test
  void toolDefinitionsCallsAndResultsCount() {
    ObjectNode schema = (ObjectNode) Json.MAPPER.createObjectNode().put("type", "object")
        .set("properties", Json.MAPPER.createObjectNode().set("city", Json.MAPPER.createObjectNode().put("type", "string")));
    Tools tools = new Tools(List.of(new Tool.Function("get_weather", "Weather of a city", schema, Optional.empty(), null)),
        Optional.empty(), Optional.empty());
    List<Message> plain = List.of(Message.user("Weather in Paris?"));
    long without = InputTokens.of(plain, Tools.NONE);
    long with = InputTokens.of(plain, tools);
    assertThat(with - without).isGreaterThan(TokenCounter.count("get_weather Weather of a city"));

    List<Message> loop = List.of(Message.user("Weather in Paris?"),
        new Message("assistant", List.of(new Content.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
        new Message("user", List.of(new Content.ToolResult("call_1", "18 C, sunny", false))));
    assertThat(InputTokens.of(loop, tools)).isGreaterThan(with + TokenCounter.count("18 C, sunny"));
  }
}
