package dev.effort.cli.chat;

import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Message;
import dev.effort.core.ProviderException;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.replay.ReplayProvider;
import dev.effort.server.EffortResolution;
import dev.effort.server.RequestFields;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The {@code effort chat} loop: reads a message or a command, answers messages through the
 * backend with the session's settings, streams the answer, and keeps what {@code /cost} and
 * {@code /plan} report. Ctrl-C stops the answer under way (its call is interrupted), not the chat.
 */
public final class ChatRepl {
  static final String PROMPT = "> ";
  /** How long a stopped answer's call may take to end before its cost is given up as unknown. */
  private static final Duration CALL_END_WAIT = Duration.ofSeconds(10);

  private final Terminal terminal;
  private final LineReader reader;
  private final PrintWriter out;
  private final boolean styled;
  private final ChatBackend backend;

  private Optional<Effort> level;
  private Optional<String> pinned = Optional.empty();
  private Optional<Duration> deadline = Optional.empty();
  private Optional<Double> budgetUsd = Optional.empty();
  private final List<Message> conversation = new ArrayList<>();
  /** Everything this session is known to have spent: answers, and the calls of stopped or failed ones. */
  private double spentUsd;
  private int answers;
  /** Answers stopped or failed after their calls had cost something, and what those calls cost. */
  private int unanswered;
  private double unansweredUsd;
  /** Stopped answers whose cost this side cannot know (through a gateway, its ledger has it). */
  private int uncounted;
  private ChatReply last;

  /**
   * @param level the session's level; empty leaves it to the backend's default
   * @param historyFile where the input history is kept across sessions; empty keeps it in memory
   */
  public ChatRepl(Terminal terminal, ChatBackend backend, Optional<Effort> level, Optional<Path> historyFile) {
    this.terminal = terminal;
    this.backend = backend;
    this.level = level;
    this.out = terminal.writer();
    this.styled = !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    LineReaderBuilder builder = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("effort")
        .parser(new ChatInput())
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "… ")
        // A '!' in a question is text, not a history reference.
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
    historyFile.ifPresent(file -> builder.variable(LineReader.HISTORY_FILE, file));
    this.reader = builder.build();
  }

  /** Runs until {@code /exit} or the end of input; returns the exit status. */
  public int run() {
    greet();
    while (true) {
      String input;
      try {
        // A dumb terminal is mostly a script's pipe: its transcript reads better without prompts.
        input = reader.readLine(styled ? PROMPT : "");
      } catch (UserInterruptException e) {
        continue; // Ctrl-C at the prompt drops the line being typed
      } catch (EndOfFileException e) {
        // A script's last line may lack its new line; it is meant all the same.
        String partial = e.getPartialLine();
        if (partial != null && !partial.isBlank()) {
          handle(ChatInput.message(partial));
        }
        out.println();
        out.flush();
        return 0;
      }
      String message = ChatInput.message(input);
      if (message.isBlank()) {
        continue;
      }
      if (!handle(message)) {
        return 0;
      }
    }
  }

  private void greet() {
    out.println("effort chat: " + backend.description());
    backend.recorded().ifPresent(r -> out.println("The replay provider answers only the " + r.size()
        + " recorded prompts: /sample shows one, /ask N asks recorded prompt N."));
    out.println("Level " + describeLevel() + ". /help lists the commands; Ctrl-C stops an answer; Ctrl-D or /exit ends.");
    out.flush();
  }

  /** @return false when the chat should end */
  private boolean handle(String message) {
    // "/effort high" followed by a question is a message with its own level, as at the gateway.
    boolean oneShotLevel = message.stripLeading().startsWith("/effort") && message.strip().contains("\n");
    if (message.startsWith("/") && !oneShotLevel) {
      return command(message.strip());
    }
    send(message, Map.of());
    return true;
  }

  private boolean command(String line) {
    String[] words = line.split("\\s+", 2);
    String name = words[0];
    String arg = words.length > 1 ? words[1].strip() : "";
    try {
      switch (name) {
        case "/exit", "/quit" -> {
          return false;
        }
        case "/help" -> help();
        case "/effort" -> effort(arg);
        case "/model" -> say(model(arg));
        case "/deadline" -> deadline(arg);
        case "/budget" -> budget(arg);
        case "/cost" -> cost();
        case "/plan" -> plan();
        case "/clear" -> {
          conversation.clear();
          say("new conversation (the settings stay)");
        }
        case "/sample" -> sample(arg);
        case "/ask" -> askRecorded(arg);
        default -> say("unknown command " + name + "; /help lists the commands (a message starting with '/' needs a"
            + " space before it)");
      }
    } catch (RuntimeException e) {
      say(e.getMessage());
    }
    out.flush();
    return true;
  }

  private void help() {
    out.print("""
        Type a message and press Enter. A line ending in \\ continues on the next; \"\"\" opens a block
        that \"\"\" closes. A first line '/effort LEVEL' sets the level of that message only.
          /effort [LEVEL]           the session's level: low, medium, high, xhigh, max, auto
          /model [ID|effort]        pin a model (effort: let the dial choose; effort-low…: a level)
          /deadline [DURATION|off]  latency budget per answer: 2s, 1500ms, 0.5m
          /budget [USD|off]         cap on the session's spend; each answer gets what is left as its cost cap
          /cost                     the session's spend so far
          /plan                     the last answer's plan and trace
          /clear                    start a new conversation
        """);
    if (backend.recorded().isPresent()) {
      out.print("""
            /sample [N]               show recorded prompt N (a random one without N)
            /ask N                    ask recorded prompt N
          """);
    }
    out.print("""
          /help, /exit              this list; end the chat (also Ctrl-D)
        Ctrl-C stops the answer under way.
        """);
  }

  private void effort(String arg) {
    if (!arg.isEmpty()) {
      level = Optional.of(Effort.parse(arg));
    }
    say("level " + describeLevel());
  }

  /**
   * Pins a model ({@code effort} lets the dial choose again; {@code effort-low} … sets the level, as
   * the gateway's model field reads these names).
   *
   * @return what the session's model is now
   * @throws RuntimeException naming the accepted names, for a name the backend does not serve
   */
  public String model(String arg) {
    if (arg.equals("effort")) {
      pinned = Optional.empty();
    } else if (arg.startsWith("effort-")) {
      // A level chosen by name, as the gateway's model field reads it.
      level = Optional.of(Effort.parse(arg.substring("effort-".length())));
      pinned = Optional.empty();
    } else if (!arg.isEmpty()) {
      pinned = Optional.of(backend.pinnable(arg));
    }
    return pinned.map(m -> "model " + m + " pinned; the level turns only its own knobs")
        .orElse("model: the dial chooses (level " + describeLevel() + ")");
  }

  private void deadline(String arg) {
    if (arg.equals("off")) {
      deadline = Optional.empty();
    } else if (!arg.isEmpty()) {
      deadline = Optional.of(RequestFields.duration(arg, "/deadline"));
    }
    say(deadline.map(d -> "deadline " + d.toMillis() + " ms per answer").orElse("no deadline"));
  }

  private void budget(String arg) {
    if (arg.equals("off")) {
      budgetUsd = Optional.empty();
    } else if (!arg.isEmpty()) {
      budgetUsd = Optional.of(RequestFields.cost(arg, "/budget"));
    }
    say(budgetUsd.map(b -> "session budget " + usd(b) + ", " + usd(Math.max(0, b - spentUsd)) + " left")
        .orElse("no session budget"));
  }

  private void cost() {
    String line = "spent " + usd(spentUsd - unansweredUsd) + " on " + answers + (answers == 1 ? " answer" : " answers")
        + (unanswered == 0 ? "" : " and " + usd(unansweredUsd) + " on " + unanswered + " stopped or failed");
    if (unanswered > 0 && budgetUsd.isPresent()) {
      line += ",";
    }
    if (budgetUsd.isPresent()) {
      line += " of a " + usd(budgetUsd.get()) + " budget (" + usd(Math.max(0, budgetUsd.get() - spentUsd)) + " left)";
    }
    say(line);
    if (uncounted > 0) {
      say(uncounted == 1 ? "1 answer was stopped; what it cost is not counted here"
          : uncounted + " answers were stopped; what they cost is not counted here");
    }
  }

  private void plan() {
    if (last == null) {
      say("no answer yet");
      return;
    }
    out.println("plan " + last.plan());
    out.println("effort asked " + last.asked() + ", applied " + last.applied());
    last.downgrade().ifPresent(d -> out.println("downgrade: " + d));
    last.unmet().ifPresent(u -> out.println("unmet: " + u));
    out.println("steps:");
    for (ChatReply.StepLine s : last.steps()) {
      out.printf(Locale.ROOT, "  %-10s %s%s | in %d, out %d, thinking %d tokens | %s | %d ms%n", s.role(), s.model(),
          s.used() ? " (used)" : "", s.inputTokens(), s.outputTokens(), s.thinkingTokens(), usd(s.costUsd()),
          s.latencyMs());
    }
    if (!last.notes().isEmpty()) {
      out.println("notes:");
      last.notes().forEach(n -> out.println("  " + n));
    }
    out.println("answer by " + last.model() + ", " + usd(last.costUsd()) + ", " + last.latency().toMillis() + " ms");
  }

  private void sample(String arg) {
    RecordedPrompts recorded = recordedPrompts();
    int n = arg.isEmpty() ? ThreadLocalRandom.current().nextInt(1, recorded.size() + 1) : number(arg);
    RecordedPrompt p = recorded.number(n);
    out.println("recorded prompt " + n + " (" + p.dataset() + ", id " + p.id() + "):");
    out.println(p.prompt());
    say("ask it with /ask " + n);
  }

  private void askRecorded(String arg) {
    RecordedPrompt p = recordedPrompts().number(number(arg));
    // Several recorded prompts can share a text: the tag picks this one's answers.
    send(p.prompt(), Map.of(ReplayProvider.PROMPT_ID_TAG, p.id()));
  }

  private RecordedPrompts recordedPrompts() {
    return backend.recorded().orElseThrow(() -> new IllegalArgumentException(
        "no recorded prompts here: they come with the recorded data (chat without --config providers; with --url,"
            + " add --data DIR)"));
  }

  private static int number(String arg) {
    try {
      return Integer.parseInt(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected the number of a recorded prompt, got '" + arg + "'");
    }
  }

  /** Asks the backend with the session's settings, the conversation so far and this message. */
  private void send(String text, Map<String, String> tags) {
    List<Message> messages = new ArrayList<>(conversation);
    messages.add(Message.user(text));
    Optional<Double> costCap = Optional.empty();
    if (budgetUsd.isPresent()) {
      double left = budgetUsd.get() - spentUsd;
      if (left <= 0) {
        say("the session budget of " + usd(budgetUsd.get()) + " is spent (" + usd(spentUsd)
            + "); raise it with /budget USD, or /budget off");
        return;
      }
      costCap = Optional.of(left);
    }
    EffortResolution resolved;
    try {
      resolved = EffortResolution.resolve(messages, Optional.empty(), "", List.of(), Optional.empty(), Optional.empty(),
          level.or(backend::defaultEffort).orElse(Effort.HIGH));
    } catch (RuntimeException e) {
      say(e.getMessage());
      return;
    }
    boolean oneShot = resolved.source().equals("/effort line");
    // Without a level chosen, a gateway applies its own default (Effort.HIGH above only fills the field).
    Ask ask = new Ask(resolved.messages(), resolved.effort(), pinned, deadline, costCap, Optional.empty(), tags);
    ChatReply reply = answer(ask, oneShot || level.isPresent());
    if (reply == null) {
      return;
    }
    conversation.clear();
    conversation.addAll(resolved.messages());
    conversation.add(new Message("assistant", reply.text()));
    spentUsd += reply.costUsd();
    answers++;
    last = reply;
    status(reply, oneShot);
  }

  /**
   * Runs the answer on its own thread so that Ctrl-C can interrupt it: the call is cancelled, the
   * chat goes on, and nothing more of that answer is printed.
   */
  private ChatReply answer(Ask ask, boolean levelChosen) {
    AnswerPrinter printer = new AnswerPrinter(out, styled);
    CompletableFuture<ChatReply> result = new CompletableFuture<>();
    // How the call ended, also once the answer was stopped (the future no longer says).
    AtomicReference<ChatReply> answered = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker = Thread.ofVirtual().name("effort-chat-answer").unstarted(() -> {
      try {
        answered.set(backend.answer(ask, levelChosen, printer));
        result.complete(answered.get());
      } catch (Throwable t) {
        failure.set(t);
        result.completeExceptionally(t);
      }
    });
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
      printer.stop();
      worker.interrupt();
      result.cancel(false);
    });
    try {
      worker.start();
      ChatReply reply = result.join();
      printer.end();
      return reply;
    } catch (CancellationException e) {
      printer.end();
      say("(stopped)");
      // The interrupted call ends at once; its failure says what it had cost by then.
      boolean ended = ended(worker, CALL_END_WAIT);
      if (ended && answered.get() != null) {
        addUnanswered(answered.get().costUsd()); // the answer came as Ctrl-C did
      } else if (!(ended && countUnanswered(failure.get()))) {
        uncounted++;
      }
      return null;
    } catch (CompletionException e) {
      printer.end();
      say(e.getCause().getMessage() == null ? e.getCause().toString() : e.getCause().getMessage());
      countUnanswered(e.getCause());
      return null;
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
    }
  }

  /**
   * Adds what a stopped or failed answer's calls cost, when the failure carries it (in process, the
   * executor's {@link ProviderException}); false when it does not.
   */
  private boolean countUnanswered(Throwable failure) {
    if (!(failure instanceof ProviderException p)) {
      return false;
    }
    addUnanswered(p.costUsd());
    return true;
  }

  private void addUnanswered(double costUsd) {
    if (costUsd > 0) {
      unanswered++;
      unansweredUsd += costUsd;
      spentUsd += costUsd;
    }
  }

  /** Whether {@code thread} ended within {@code wait}. */
  private static boolean ended(Thread thread, Duration wait) {
    try {
      return thread.join(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void status(ChatReply r, boolean oneShot) {
    String level = r.asked().equals(r.applied()) ? r.applied() : r.asked() + " -> " + r.applied();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s%s | %s | %s | %s | %d ms]", level,
        oneShot ? " (this message)" : "", r.plan(), r.model(), usd(r.costUsd()), r.latency().toMillis()));
    r.downgrade().ifPresent(d -> line.append(System.lineSeparator()).append("[").append(d).append("]"));
    r.unmet().ifPresent(u -> line.append(System.lineSeparator()).append("[unmet: ").append(u).append("]"));
    out.println(styled ? AnswerPrinter.faint(line.toString()) : line);
    out.flush();
  }

  private String describeLevel() {
    String chosen = level.map(Effort::wireName)
        .orElse(backend.defaultEffort().map(e -> e.wireName() + " (default)").orElse("the gateway's default"));
    return chosen
        + pinned.map(m -> ", model " + m + " pinned").orElse("");
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  static String usd(double amount) {
    return String.format(Locale.ROOT, "$%.6f", amount);
  }
}
