package dev.effort.router;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part of a prompt that tells it apart from other prompts: what gets embedded. Few-shot
 * prompts (RouterBench ARC, Winogrande) put a long, identical block of solved examples before the
 * actual question; embedded whole, every such prompt would look the same.
 *
 * <p>The rule: the last block after a blank line, extended backwards by earlier blocks while the
 * text is shorter than {@link #MIN_CHARS} (a question may come after its context paragraph), but
 * never into a solved example. Answer-format boilerplate is dropped, and the result is cut to its
 * last {@link #MAX_CHARS} characters.
 */
final class FocusedText {

  /** Shorter than this, the last block is extended by the one before it. */
  static final int MIN_CHARS = 300;
  /**
   * About 250 word pieces: all-MiniLM-L6-v2 was trained on inputs up to 256, and one encoder pass
   * keeps the embedding time bounded however long the prompt.
   */
  static final int MAX_CHARS = 1_000;

  private static final Pattern BLANK_LINE = Pattern.compile("\\n[ \\t]*\\n\\s*");
  private static final List<Pattern> BOILERPLATE = List.of(
      Pattern.compile("(?i)print only a single choice\\s+from\\s.*?without explanation\\.?"),
      Pattern.compile("(?i)please answer with the letter of the correct answer\\.?"),
      Pattern.compile("(?i)\\banswer:\\s*\\z"));
  // A solved example ends in "Answer:" and a short answer ("Answer:\nB"); the open question does not.
  private static final Pattern SOLVED_EXAMPLE = Pattern.compile("(?i)\\banswer:\\s*\\S[^\\n]{0,40}\\z");

  private FocusedText() {}

  static String of(String prompt) {
    String text = prompt.replace("\r\n", "\n").strip();
    String[] blocks = BLANK_LINE.split(text);
    Deque<String> kept = new ArrayDeque<>();
    int length = 0;
    for (int i = blocks.length - 1; i >= 0; i--) {
      boolean last = i == blocks.length - 1;
      if (!last && (length >= MIN_CHARS || SOLVED_EXAMPLE.matcher(blocks[i].strip()).find())) {
        break;
      }
      String cleaned = withoutBoilerplate(blocks[i]);
      if (!cleaned.isEmpty()) {
        kept.addFirst(cleaned);
        length += cleaned.length() + 2;
      }
    }
    // Nothing but boilerplate: the prompt itself is all there is to go by.
    String focus = kept.isEmpty() ? text : String.join("\n\n", kept);
    return tail(focus, MAX_CHARS);
  }

  private static String withoutBoilerplate(String block) {
    String cleaned = block.strip();
    for (Pattern p : BOILERPLATE) {
      cleaned = p.matcher(cleaned).replaceAll("").strip();
    }
    return cleaned;
  }

  /** The last {@code max} characters, starting at a word. */
  private static String tail(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int start = text.length() - max;
    int space = text.indexOf(' ', start);
    return (space < 0 || space > start + 40 ? text.substring(start) : text.substring(space + 1)).strip();
  }
}
