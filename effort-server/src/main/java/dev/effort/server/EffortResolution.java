package dev.effort.server;

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
 * last user message (stripped before forwarding), the {@code Effort} (or {@code X-Effort})
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
    int last = lastUserMessage(messages);
    if (last >= 0) {
      Matcher m = SLASH_LINE.matcher(messages.get(last).text());
      if (m.find()) {
        String value = m.group(1);
        if (value == null || value.isEmpty()) {
          throw WireError.invalid("/effort needs a level, e.g. '/effort high'; accepted: " + Effort.ACCEPTED, "messages");
        }
        Effort effort = parse(value, "the /effort line");
        String rest = messages.get(last).text().substring(m.end()).stripLeading();
        if (rest.isEmpty()) {
          throw WireError.invalid("the last user message holds only '/effort " + value
              + "'; put the question after it, on the next line", "messages");
        }
        List<Message> stripped = new ArrayList<>(messages);
        stripped.set(last, messages.get(last).withText(rest));
        return new EffortResolution(effort, "/effort line", stripped);
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

  private static Effort parse(String value, String where) {
    try {
      return Effort.parse(value);
    } catch (UnknownEffortException e) {
      String param = where.startsWith("header") ? null : where.startsWith("the /effort line") ? "messages" : where;
      throw WireError.invalid(where + ": " + e.getMessage(), param);
    }
  }

  private static int lastUserMessage(List<Message> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return i;
      }
    }
    return -1;
  }
}
