package dev.effort.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's LangChain4j snippet compiles as written (inside a method, with the imports it names). */
class ReadmeSnippetTest {
  private static final String MARKER = "<!-- readme-example: LangChain4j -->";

  @Test
  void theReadmeSnippetCompiles(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("LangChainExample.java");
    Files.writeString(source, """
        import dev.effort.client.EffortClient;
        import dev.effort.core.Effort;
        import dev.effort.langchain4j.EffortChatModel;
        import dev.effort.langchain4j.EffortRequestParameters;
        import dev.effort.langchain4j.EffortResponseMetadata;
        import dev.effort.langchain4j.EffortStreamingChatModel;
        import dev.langchain4j.data.message.SystemMessage;
        import dev.langchain4j.data.message.UserMessage;
        import dev.langchain4j.model.chat.ChatModel;
        import dev.langchain4j.model.chat.StreamingChatModel;
        import dev.langchain4j.model.chat.request.ChatRequest;
        import dev.langchain4j.model.chat.response.ChatResponse;
        import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
        import java.nio.file.Path;
        import java.time.Duration;

        class LangChainExample {
          static void example(StreamingChatResponseHandler handler) throws Exception {
        %s
          }
        }
        """.formatted(snippet()));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-proc:none"),
        null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source.toFile()))
        .call();

    assertThat(compiled).as("the README snippet compiles:%n%s", diagnostics).isTrue();
  }

  private static String snippet() throws Exception {
    String text = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
    int at = text.indexOf(MARKER);
    assertThat(at).as("README.md holds %s", MARKER).isNotNegative();
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
    assertThat(block.find(at)).isTrue();
    return block.group(1);
  }
}
