package dev.effort.cli.chat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Drives a chat as a script would: its input lines through a dumb JLine terminal over piped
 * streams (no system terminal), its transcript read back as text.
 */
final class ChatDriver {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Terminal terminal;

  ChatDriver(String input) {
    this(input, Terminal.TYPE_DUMB);
  }

  /** @param type the terminal type, e.g. {@code xterm-256color} for one that shows styles */
  ChatDriver(String input, String type) {
    try {
      terminal = TerminalBuilder.builder()
          .system(false)
          .streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out)
          .type(type)
          .encoding(StandardCharsets.UTF_8)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Terminal terminal() {
    return terminal;
  }

  record Transcript(int exit, String text) {}

  Transcript run(ChatBackend backend) {
    int exit = new ChatRepl(terminal, backend, Optional.empty(), Optional.empty()).run();
    terminal.writer().flush();
    // The terminal writes new lines as \r\n (onlcr), as a tty would.
    return new Transcript(exit, out.toString(StandardCharsets.UTF_8).replace("\r", ""));
  }

  static Transcript chat(ChatBackend backend, String input) {
    return new ChatDriver(input).run(backend);
  }
}
