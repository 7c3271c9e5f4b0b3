package dev.effort.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
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

/** The README's "Use it from Java" example, as a reader would copy it: compiled, then run on the recorded data. */
class ReadmeExampleTest {
  private static final String MARKER = "<!-- readme-example: EffortClient -->";

  @Test
  void theReadmeExampleCompilesAndAnswers(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("AskExample.java");
    Files.writeString(source, example());
    Path classes = Files.createDirectories(dir.resolve("classes"));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-Xlint:all", "-Werror"),
        null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source.toFile()))
        .call();
    assertThat(compiled).as("the README example compiles:%n%s", diagnostics).isTrue();

    String printed = run(classes, Recordings.routerBench().toString(), Recordings.prompt());

    assertThat(printed).contains("low -> low | single(mistralai/mixtral-8x7b-chat) | mistralai/mixtral-8x7b-chat | $");
    assertThat(printed).contains("gpt-4-1106-preview answered, ");
  }

  /** The fenced Java block after the marker in the repository's README. */
  static String example() throws Exception {
    Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    String text = Files.readString(readme);
    int at = text.indexOf(MARKER);
    assertThat(at).as("%s holds %s", readme, MARKER).isNotNegative();
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
    assertThat(block.find(at)).as("a ```java block follows the marker").isTrue();
    return block.group(1);
  }

  private static String run(Path classes, String... args) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ReadmeExampleTest.class.getClassLoader())) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      loader.loadClass("AskExample").getMethod("main", String[].class).invoke(null, (Object) args);
    } finally {
      System.setOut(out);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    // What the example printed of its trace, for the test log.
    printed.lines().filter(l -> l.contains(" | $") || l.contains(" answered, ")).forEach(out::println);
    return printed;
  }
}
