package dev.effort.server;

import dev.effort.core.Content;
import dev.effort.core.Effort;
import dev.effort.core.Message;
import dev.effort.core.UnknownEffortException;
import dev.effort.server.ChatRequest.BodyEffort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an ask's effort comes from, highest first: a leading {@code /effort <level>} line in the
 * user's latest own turn (the last user message, or, in a tool loop, the one before the tool
 * results that started it; stripped before forwarding), the {@code Effort} (or {@code X-Effort})
 * header, the body's {@code effort}, {@code reasoning_effort}, {@code reasoning.effort},
 * {@code output_config.effort}, a level chosen by model name ({@code effort-high}), the key's
 * default, the configured default.
 *
 * @param effort the level asked for
 * @param source where it came from, e.g. {@code header Effort} or {@code /effort line}
 * @param messages the messages to forward, without the {@code /effort} line
 */
public record EffortResolution(Effort effort, String source, List<Message> messages) {
  private static final Pattern SLASH_LINE = Pattern.compile("\\A[ \\t]*/effort(?:[ \\t]+(\\S*))?[ \\t]*(?:\\r?\\n|\\z)");

  public static EffortResolution resolve(
      List<Message> messages,
      Optional<String> header,
      String headerName,
      List<BodyEffort> body,
      Optional<Effort> byModelName,
      Optional<Effort> keyDefault,
      Effort configDefault) {
    // An agent's tool loop: the requests after the first end with a user message of tool results;
    // the line is in the user's own turn that started the loop, and holds for every request of it.
    for (int i = messages.size() - 1; i >= 0; i--) {
      Message m = messages.get(i);
      if (!m.role().equals("user")) {
        continue;
      }
      Optional<EffortResolution> line = slashLine(messages, i);
      if (line.isPresent()) {
        return line.get();
      }
      if (m.content().stream().noneMatch(c -> c instanceof Content.ToolResult)) {
        break;
      }
    }
    if (header.isPresent()) {
      return new EffortResolution(parse(header.get(), "header " + headerName), "header " + headerName, messages);
    }
    if (!body.isEmpty()) {
      BodyEffort first = body.get(0);
      return new EffortResolution(parse(first.value(), first.field()), "body " + first.field(), messages);
    }
    if (byModelName.isPresent()) {
      return new EffortResolution(byModelName.get(), "model name", messages);
    }
    if (keyDefault.isPresent()) {
      return new EffortResolution(keyDefault.get(), "key default", messages);
    }
    return new EffortResolution(configDefault, "config default", messages);
  }

  /**
   * The {@code /effort} line at the start of a text block of the last user message. Agent clients
   * send a user turn as several text blocks (reminders first, what the user typed last), so every
   * block is looked at; only the line is stripped, the other blocks and their fields stay as sent.
   */
  private static Optional<EffortResolution> slashLine(List<Message> messages, int last) {
    Message user = messages.get(last);
    List<Content> blocks = user.content();
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.get(i) instanceof Content.Text text)) {
        continue;
      }
      if (!startsWithSlashEffort(text.text())) {
        continue; // the usual case, answered without the regex
      }
      Matcher m = SLASH_LINE.matcher(text.text());
      if (!m.find()) {
        continue;
      }
      String value = m.group(1);
      if (value == null || value.isEmpty()) {
        throw WireError.invalid("/effort needs a level, e.g. '/effort high'; accepted: " + Effort.ACCEPTED, "messages");
      }
      Effort effort = parse(value, "the /effort line");
      String rest = text.text().substring(m.end()).stripLeading();
      List<Content> kept = new ArrayList<>(blocks);
      if (rest.isEmpty()) {
        kept.remove(i);
      } else {
        kept.set(i, new Content.Text(rest, text.passthrough()));
      }
      if (kept.stream().noneMatch(c -> !(c instanceof Content.Text t) || !t.text().isBlank())) {
        throw WireError.invalid("the last user message holds only '/effort " + value
            + "'; put the question after it, on the next line", "messages");
      }
      List<Message> stripped = new ArrayList<>(messages);
      stripped.set(last, new Message(user.role(), kept));
      return Optional.of(new EffortResolution(effort, "/effort line", stripped));
    }
    return Optional.empty();
  }

  /** Whether the text, after spaces and tabs, starts with {@code /effort}: what {@link #SLASH_LINE} needs first. */
  private static boolean startsWithSlashEffort(String text) {
    int i = 0;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return text.startsWith("/effort", i);
  }

  private static Effort parse(String value, String where) {
    try {
      return Effort.parse(value);
    } catch (UnknownEffortException e) {
      String param = where.startsWith("header") ? null : where.startsWith("the /effort line") ? "messages" : where;
      throw WireError.invalid(where + ": " + e.getMessage(), param);
    }
  }

}
