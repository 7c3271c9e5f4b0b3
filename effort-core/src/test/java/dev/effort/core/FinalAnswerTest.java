package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FinalAnswerTest {

  @Nested
  class ChoiceLetter {

    // Forms recorded in RouterBench ARC and Winogrande answers, plus common long forms.
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
        A                                 | A
        'A\n'                             | A
        ' B'                              | B
        B)                                | B
        (C)                               | C
        'D ('                             | D
        A.                                | A
        **E**                             | E
        C. some text                      | C
        B) palms covered with oil         | B
        'D\nBecause friction makes heat.' | D
        The answer is D                   | D
        Answer: B                         | B
        'Answer:\nC'                      | C
        The correct answer is (B).        | B
        My final answer is: **C**         | C
        I would choose B.                 | B
        """)
    void readsTheCommittedLetter(String text, String letter) {
      assertThat(FinalAnswer.choiceLetter(unescape(text))).contains(letter);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "I do",
        "Unfortunately I",
        "Based on",
        "You have",
        "13",
        "G\n",
        "* Jeremy",
        "E.g. rubbing creates heat",
        "Sediment",
        "",
        "   ",
        "I do not have enough context to determine the correct answer from the options given.",
    })
    void isEmptyWithoutAnyLetter(String text) {
      assertThat(FinalAnswer.choiceLetter(text)).isEmpty();
    }

    @Test
    void leadingCapitalAFollowedByAWordIsTheArticleNotAChoice() {
      assertThat(FinalAnswer.choiceLetter("A hypothesis is included because")).isEmpty();
      assertThat(FinalAnswer.choiceLetter("A chart")).isEmpty();
    }

    @Test
    void otherLeadingLettersFollowedByAWordAreChoices() {
      assertThat(FinalAnswer.choiceLetter("B palms covered")).contains("B");
      assertThat(FinalAnswer.choiceLetter("A\nThe rubbing of dry palms")).contains("A");
    }

    @Test
    void conflictingCommitmentsAreAmbiguous() {
      assertThat(FinalAnswer.choiceLetter("The answer is B. On reflection, the answer is C.")).isEmpty();
      assertThat(FinalAnswer.choiceLetter("B) wet palms. The answer is D")).isEmpty();
    }

    @Test
    void repeatedCommitmentToOneLetterIsKept() {
      assertThat(FinalAnswer.choiceLetter("C) mirrors\nThe answer is C.")).contains("C");
    }

    @Test
    void anEchoedOptionListIsNotACommitment() {
      assertThat(FinalAnswer.choiceLetter("A) west\nB) east\nC) north\nD) south")).isEmpty();
    }

    @Test
    void lowerCaseArticleAfterAnswerIsIsNotALetter() {
      assertThat(FinalAnswer.choiceLetter("The answer is a chart of the data")).isEmpty();
    }

    @Test
    void nullIsEmpty() {
      assertThat(FinalAnswer.choiceLetter(null)).isEmpty();
    }
  }

  @Nested
  class FinalNumber {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
        'She makes 9 * $2 = $<<9*2=18>>18.\n#### 18'            | 18
        '#### $1,000.00'                                        | 1000
        'So the answer is 18.0 dollars.'                        | 18
        'The temperature was -6 + 3 = -3 degrees.'              | -3
        '#### 2.5'                                              | 2.5
        '#### 2.50'                                             | 2.5
        'Answer: $1,450,000'                                    | 1450000
        'He sells 9 eggs for $18 every day.'                    | 18
        '#### 7 packs and 2 extra glue sticks'                  | 7
        'The answer is 5. We checked with 3 other methods.'     | 5
        '20-13=7'                                               | 7
        '#### 0'                                                | 0
        '#### -0.0'                                             | 0
        """)
    void readsAndNormalizesTheFinalNumber(String text, String number) {
      assertThat(FinalAnswer.finalNumber(unescape(text))).contains(number);
    }

    @Test
    void hashesWinOverALaterNumber() {
      assertThat(FinalAnswer.finalNumber("#### 18\n\n(Note: checked 3 times)")).contains("18");
    }

    @Test
    void answerPhraseWinsOverALaterNumber() {
      assertThat(FinalAnswer.finalNumber("The answer is 42, found in 3 steps")).contains("42");
    }

    @Test
    void hashesWithoutANumberFallBackToTheRest() {
      assertThat(FinalAnswer.finalNumber("It costs 12 dollars.\n#### twelve")).contains("12");
    }

    @Test
    void listCommasAreNotThousandsSeparators() {
      assertThat(FinalAnswer.finalNumber("the counts are 1,2345")).contains("2345");
    }

    @Test
    void isEmptyWithoutANumber() {
      assertThat(FinalAnswer.finalNumber("no idea")).isEmpty();
      assertThat(FinalAnswer.finalNumber("")).isEmpty();
      assertThat(FinalAnswer.finalNumber(null)).isEmpty();
    }
  }

  @Nested
  class Signature {

    @Test
    void shortChoiceFormsOfOneLetterAgree() {
      assertThat(FinalAnswer.signature("B"))
          .isEqualTo("choice:B")
          .isEqualTo(FinalAnswer.signature("B)\n"))
          .isEqualTo(FinalAnswer.signature("(B) wet palms"))
          .isEqualTo(FinalAnswer.signature("The answer is B."));
    }

    @Test
    void differentLettersDisagree() {
      assertThat(FinalAnswer.signature("A")).isNotEqualTo(FinalAnswer.signature("B"));
    }

    @Test
    void longReasoningEndingInAnAnswerLineIsAChoice() {
      String reasoning = "Rubbing dry skin creates the most friction, because nothing lubricates it. "
          .repeat(3) + "\nThe answer is A.";
      assertThat(FinalAnswer.signature(reasoning)).isEqualTo("choice:A");
    }

    @Test
    void longProseOpeningWithACapitalLetterIsText() {
      String prose = "B vitamins help the body turn food into energy, and most people get enough "
          + "of them from a varied diet without any supplements at all.";
      assertThat(FinalAnswer.signature(prose)).startsWith("text:");
    }

    @Test
    void finalNumberFormsOfOneValueAgree() {
      assertThat(FinalAnswer.signature("9 * 2 = 18\n#### 18"))
          .isEqualTo("number:18")
          .isEqualTo(FinalAnswer.signature("So she makes $18.00 a day.\nThe answer is $18."))
          .isEqualTo(FinalAnswer.signature("18"));
    }

    @Test
    void reasoningWithoutAFinalNumberLineIsText() {
      String text = "She sells 9 eggs for $2 each, so she makes $18 a day.\nThat is her income.";
      assertThat(FinalAnswer.signature(text)).startsWith("text:");
    }

    @Test
    void textIsLowerCasedAndWhitespaceCollapsed() {
      assertThat(FinalAnswer.signature("  def f(x):\n    return  X \n"))
          .isEqualTo("text:def f(x): return x");
    }

    @Test
    void refusalsAreTextNotAChoice() {
      assertThat(FinalAnswer.signature("I do not know")).isEqualTo("text:i do not know");
    }

    @Test
    void nullIsEmptyText() {
      assertThat(FinalAnswer.signature(null)).isEqualTo("text:");
    }
  }

  // jqwik does not run properties inside JUnit @Nested classes, so they live here.

  @Property
  void normalizesAnyAmountWrittenWithDollarsAndThousandsSeparators(
      @ForAll long cents, @ForAll @IntRange(min = 0, max = 2) int decimals) {
    BigDecimal amount = BigDecimal.valueOf(cents, 2);
    String written = String.format(Locale.ROOT, "%,." + decimals + "f", amount.abs());
    String text = "So it comes to " + (amount.signum() < 0 ? "-$" : "$") + written + ".";
    BigDecimal shown = new BigDecimal(written.replace(",", "")).multiply(BigDecimal.valueOf(amount.signum()));
    String expected = shown.signum() == 0 ? "0" : shown.stripTrailingZeros().toPlainString();
    assertThat(FinalAnswer.finalNumber(text)).contains(expected);
  }

  @Property
  void everyLetterAgreesWithItsStatedAnswer(@ForAll("letters") String letter) {
    assertThat(FinalAnswer.signature(letter + "\n"))
        .isEqualTo(FinalAnswer.signature("The answer is (" + letter + ")."))
        .isEqualTo("choice:" + letter);
  }

  @Provide
  Arbitrary<String> letters() {
    return Arbitraries.of("A", "B", "C", "D", "E");
  }

  // CsvSource keeps "\n" literally; recorded answers contain real line breaks.
  private static String unescape(String text) {
    return text == null ? "" : text.replace("\\n", "\n");
  }
}
