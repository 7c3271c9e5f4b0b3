package dev.effort.providers.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PythonLiteralTest {

  @Test
  void readsBothQuoteStylesAsPythonWritesThem() {
    // Written by Python 3: str([...]) picks double quotes when the text has ' but no ".
    String python = "[\"it's\", 'say \"hi\"', 'both \\' and \"']";
    assertThat(PythonLiteral.parseStringList(python))
        .containsExactly("it's", "say \"hi\"", "both ' and \"");
  }

  @Test
  void decodesEveryEscapePythonWrites() {
    String python = "['tab\\tnew\\nline\\r', 'back\\\\slash', '\\x00\\x1f\\x7f\\x85\\xa0', "
        + "'\\u200b\\u2028', '\\U000e0001', 'q\\\"q']";
    assertThat(PythonLiteral.parseStringList(python)).containsExactly(
        "tab\tnew\nline\r", "back\\slash", "\u0000\u001f\u007f\u0085\u00a0",
        "\u200b\u2028", new String(Character.toChars(0xE0001)), "q\"q");
  }

  @Test
  void keepsPrintableUnicodeAsItIs() {
    assertThat(PythonLiteral.parseStringList("['é ü', '😀', 'Janet’s ducks']"))
        .containsExactly("é ü", "😀", "Janet’s ducks");
  }

  @Test
  void readsEmptyForms() {
    assertThat(PythonLiteral.parseStringList("[]")).isEmpty();
    assertThat(PythonLiteral.parseStringList("['']")).containsExactly("");
    assertThat(PythonLiteral.parseStringList("''")).containsExactly("");
    assertThat(PythonLiteral.parseStringList("\"\"")).containsExactly("");
  }

  @Test
  void aLoneStringIsAOneElementList() {
    assertThat(PythonLiteral.parseStringList("'A'")).containsExactly("A");
  }

  @Test
  void toleratesSpacesAndATrailingComma() {
    assertThat(PythonLiteral.parseStringList(" [ 'a' ,'b', ] ")).containsExactly("a", "b");
  }

  @Test
  void unterminatedStringNamesTheOffsetAndTheMissingQuote() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList("['abc"))
        .withMessageContaining("offset 5")
        .withMessageContaining("closing '");
  }

  @Test
  void missingSeparatorNamesTheOffsetAndWhatWasExpected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList("['a' 'b']"))
        .withMessageContaining("offset 5")
        .withMessageContaining("expected ',' or ']'");
  }

  @Test
  void unknownEscapeIsRejectedAtItsBackslash() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList("['a\\qb']"))
        .withMessageContaining("offset 3")
        .withMessageContaining("\\xNN");
  }

  @Test
  void shortHexEscapeIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList("['\\x4']"))
        .withMessageContaining("2 hex digits");
  }

  @Test
  void barewordIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList("[abc]"))
        .withMessageContaining("offset 1")
        .withMessageContaining("a quote");
  }

  @Test
  void textAfterTheListIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList("['a'] x"))
        .withMessageContaining("offset 6")
        .withMessageContaining("end of input");
  }

  @Test
  void emptyInputIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PythonLiteral.parseStringList(""))
        .withMessageContaining("offset 0")
        .withMessageContaining("'[' or a quote");
  }

  @Property
  void readsBackWhateverPythonReprWrites(@ForAll List<String> texts) {
    assertThat(PythonLiteral.parseStringList(PythonRepr.of(texts))).isEqualTo(texts);
  }

  /** Python 3's str(list of str), rule for rule, to feed the parser arbitrary text. */
  static final class PythonRepr {
    static String of(List<String> texts) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < texts.size(); i++) {
        out.append(i == 0 ? "" : ", ").append(string(texts.get(i)));
      }
      return out.append(']').toString();
    }

    static String string(String s) {
      char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
      StringBuilder out = new StringBuilder().append(quote);
      s.codePoints().forEach(cp -> {
        switch (cp) {
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          case '\r' -> out.append("\\r");
          default -> {
            if (cp == quote) {
              out.append('\\').appendCodePoint(cp);
            } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0)) {
              out.append(String.format("\\x%02x", cp));
            } else if (Character.getType(cp) == Character.SURROGATE
                || Character.getType(cp) == Character.UNASSIGNED
                || Character.isISOControl(cp)) {
              out.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
            } else {
              out.appendCodePoint(cp);
            }
          }
        }
      });
      return out.append(quote).toString();
    }
  }
}
