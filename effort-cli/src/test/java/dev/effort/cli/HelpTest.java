package dev.effort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a newcomer reads first: the command list of --help, the launcher's usage line, the module's name. */
class HelpTest {
  static final CommandLine CLI = new CommandLine(new Main());

  static List<CommandLine> allCommands(CommandLine c) {
    List<CommandLine> all = new ArrayList<>();
    for (CommandLine sub : c.getSubcommands().values()) {
      if (!all.contains(sub) && !sub.getCommandName().equals("help")) {
        all.add(sub);
        all.addAll(allCommands(sub));
      }
    }
    return all;
  }

  @Test
  void everyCommandsSummaryIsOneWholeSentence() {
    // picocli lists a command under --help by the first line of its description only.
    assertThat(allCommands(CLI)).allSatisfy(c -> {
      String[] description = c.getCommandSpec().usageMessage().description();
      assertThat(description).as(c.getCommandName()).isNotEmpty();
      assertThat(description[0]).as(c.getCommandName() + ": first line of its description").endsWith(".")
          .hasSizeLessThanOrEqualTo(100);
    });
  }

  @Test
  void theLauncherAndTheModuleNameListEveryCommand() throws Exception {
    Path home = Path.of(System.getProperty("user.dir")).getParent();
    String usage = Files.readAllLines(home.resolve("effort")).stream().filter(l -> l.contains("Usage:")).findFirst().orElseThrow();
    String pomName = Files.readAllLines(home.resolve("effort-cli/pom.xml")).stream().filter(l -> l.contains("<name>"))
        .findFirst().orElseThrow();
    for (String command : CLI.getSubcommands().keySet()) {
      if (!command.equals("help")) {
        assertThat(usage).as("./effort's usage line").contains(" " + command + " ");
        assertThat(pomName).as("effort-cli's name").contains(" " + command);
      }
    }
  }
}
