package dev.effort.core;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final answer a model's text commits to: a choice letter, a final number, or a canonical
 * form of the whole text. Graders use it to score recorded answers, cascades use it at run time
 * to decide whether two cheap answers agree, so it must never look at anything but the text.
 */
public final class FinalAnswer {

  // The whole text is one letter, perhaps wrapped: "A", " B\n", "(C)", "**D**", "B.".
  private static final Pattern BARE_LETTER = Pattern.compile("[^A-Za-z0-9]*([A-E])[^A-Za-z0-9]*");

  // A letter opening the text with an option delimiter: "B) palms", "C. some", "A: x", "D (eye";
  // not an abbreviation such as "E.g.".
  private static final Pattern LEADING_MARKED_LETTER =
      Pattern.compile("^[\\s*_`\"']*\\(?([A-E])(?:[).:,]|\\s*\\()(?![A-Za-z]\\.)");

  // A letter opening the text followed by a line break or a word: "A\nbecause", "D is right".
  // For "A" only the line break counts: "A chart" opens with the English article.
  private static final Pattern LEADING_LETTER_THEN_SPACE =
      Pattern.compile("^[\\s*_`\"']*([A-E])(\\s+)\\S");

  // An option list echoed back ("A) west\nB) east"): its first marker is not a commitment.
  private static final Pattern OPTION_LINE = Pattern.compile("(?m)^[\\s*_`]*\\(?([A-E])[).]");

  // "The answer is D", "Answer: B", "correct option is (C)", "I would choose B".
  private static final Pattern COMMITMENT = Pattern.compile(
      "(?:(?i:answer|choice|option)\\s*(?::|(?i:is|would be|should be|will be)\\s*:?)"
          + "|(?i:\\bI(?: would|'d| will)?\\s+(?:choose|pick|select|go with))(?:\\s+(?i:option|choice))?)"
          + "[\\s*_`\"']*\\(?([A-E])(?![A-Za-z0-9'])");

  // GSM8K calculator annotations "<<9*2=18>>" repeat numbers that the text states anyway.
  private static final Pattern CALCULATOR_NOTE = Pattern.compile("<<[^>]*>>");

  // A number as written in answers: "-3", "$1,000.00", "2.5". A minus right after a word or digit
  // is subtraction ("20-13"), not a sign.
  private static final Pattern NUMBER =
      Pattern.compile("(?:(?<![\\w)\\]])[-\u2212])?\\$?(?:\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.\\d+)?");

  private static final Pattern ANSWER_PHRASE = Pattern.compile("(?i)answer\\s*(?::|is\\s*:?)");

  // The last line states the final number: "#### 18", "The answer is $18.", "Answer: 18".
  private static final Pattern FINAL_NUMBER_LINE =
      Pattern.compile("(?i)(?:####|answer\\s*(?::|is\\s*:?))[\\s*_`]*(?:[-\u2212]\\s*)?\\$?\\d");

  private static final Pattern LONE_NUMBER =
      Pattern.compile("[\\s*_`]*[-\u2212]?\\$?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?%?[\\s.*_`]*");

  // Longer texts may open with a capital letter by chance ("B vitamins are ..."): only short
  // answers are read as a bare choice for signatures.
  private static final int SHORT_ANSWER_CHARS = 100;

  private FinalAnswer() {}

  /** The single choice letter A–E the text commits to; empty when none or more than one. */
  public static Optional<String> choiceLetter(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Matcher bare = BARE_LETTER.matcher(text);
    if (bare.matches()) {
      return Optional.of(bare.group(1));
    }
    Set<String> committed = new LinkedHashSet<>();
    leadingLetter(text).ifPresent(committed::add);
    Matcher m = COMMITMENT.matcher(text);
    while (m.find()) {
      committed.add(m.group(1));
    }
    return committed.size() == 1 ? Optional.of(committed.iterator().next()) : Optional.empty();
  }

  private static Optional<String> leadingLetter(String text) {
    String letter = null;
    Matcher marked = LEADING_MARKED_LETTER.matcher(text);
    if (marked.find()) {
      letter = marked.group(1);
    } else {
      Matcher spaced = LEADING_LETTER_THEN_SPACE.matcher(text);
      if (spaced.find() && (!spaced.group(1).equals("A") || spaced.group(2).contains("\n"))) {
        letter = spaced.group(1);
      }
    }
    if (letter == null || echoesOptionList(text, letter)) {
      return Optional.empty();
    }
    return Optional.of(letter);
  }

  private static boolean echoesOptionList(String text, String letter) {
    Matcher lines = OPTION_LINE.matcher(text);
    while (lines.find()) {
      if (!lines.group(1).equals(letter)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The final number of a worked answer (GSM8K style), normalized: "$1,000.00" → "1000",
   * "18.0" → "18". Taken after the last "####" if any, else after the last "answer is" /
   * "Answer:", else the last number in the text.
   */
  public static Optional<String> finalNumber(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = CALCULATOR_NOTE.matcher(text).replaceAll(" ");
    int hashes = t.lastIndexOf("####");
    if (hashes >= 0) {
      Optional<String> n = firstNumber(t.substring(hashes + 4));
      if (n.isPresent()) {
        return n;
      }
    }
    Matcher phrase = ANSWER_PHRASE.matcher(t);
    int after = -1;
    while (phrase.find()) {
      after = phrase.end();
    }
    if (after >= 0) {
      Optional<String> n = firstNumber(t.substring(after));
      if (n.isPresent()) {
        return n;
      }
    }
    Matcher m = NUMBER.matcher(t);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    return Optional.ofNullable(last).map(FinalAnswer::normalizeNumber);
  }

  private static Optional<String> firstNumber(String text) {
    Matcher m = NUMBER.matcher(text);
    return m.find() ? Optional.of(normalizeNumber(m.group())) : Optional.empty();
  }

  private static String normalizeNumber(String raw) {
    String plain = raw.replace("$", "").replace(",", "").replace('\u2212', '-');
    BigDecimal value = new BigDecimal(plain);
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toPlainString();
  }

  /**
   * A canonical form for run-time agreement: two answers agree iff their signatures are equal.
   * "choice:X" for a short answer committing to a letter (or any answer whose last line says "the
   * answer is X"), "number:N" for an answer ending in a final number ("#### N", "the answer is N",
   * or just a number), else "text:" and the lower-cased text with whitespace collapsed.
   */
  public static String signature(String text) {
    String t = text == null ? "" : text.strip();
    String lastLine = lastLine(t);
    Optional<String> letter = choiceLetter(t);
    if (letter.isPresent()
        && (t.length() <= SHORT_ANSWER_CHARS
            || (COMMITMENT.matcher(lastLine).find() && choiceLetter(lastLine).equals(letter)))) {
      return "choice:" + letter.get();
    }
    if (FINAL_NUMBER_LINE.matcher(lastLine).find() || LONE_NUMBER.matcher(t).matches()) {
      Optional<String> number = finalNumber(t);
      if (number.isPresent()) {
        return "number:" + number.get();
      }
    }
    return "text:" + t.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
  }

  private static String lastLine(String text) {
    int newline = text.lastIndexOf('\n');
    return newline < 0 ? text : text.substring(newline + 1);
  }
}
