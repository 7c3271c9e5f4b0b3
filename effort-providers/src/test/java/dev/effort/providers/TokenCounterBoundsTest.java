package dev.effort.providers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Counting costs bounded CPU whatever the size: cl100k encodes CJK text at about 2 µs a character,
 * so a megabyte took most of a second per request. Long texts are estimated from samples.
 */
class TokenCounterBoundsTest {

  @Test
  void countingMegabytesOfCjkTextEncodesABoundedPartOfIt() {
    String cjk = "漢字仮名交じり文".repeat(150_000); // 1.2 M characters, 3.6 MB of UTF-8, not a single space
    long encoded = TokenCounter.pieces(cjk).stream().mapToLong(p -> p[1] - p[0]).sum();
    assertThat(encoded).as("characters encoded to count 1.2 M")
        .isLessThanOrEqualTo((long) TokenCounter.SAMPLES * TokenCounter.PIECE);
    assertThat(TokenCounter.count(cjk)).as("about one token per character or two").isBetween(300_000, 2_400_000);
  }

  @Test
  void shortTextsAreCountedExactlyAndLongOnesClosely() {
    assertThat(TokenCounter.count("Hello, world!")).isEqualTo(4);
    String english = "The quick brown fox jumps over the lazy dog. ".repeat(2_000);
    assertThat(TokenCounter.count(english.substring(0, 30_000))).as("exact up to 32 K characters").isEqualTo(6_666);
    assertThat(TokenCounter.count(english)).as("estimated beyond").isBetween(19_600, 20_400);
  }

  @Test
  void loneSurrogatesAreCountedNotFatal() {
    // JSON may carry "\ud800" alone; the encoder threw an AssertionError (a 500) on it.
    assertThat(TokenCounter.count("\ud800")).isPositive();
    assertThat(TokenCounter.count("a\udc00b\ud83d")).isPositive();
    assertThat(TokenCounter.count("emoji \ud83d\ude00 ok")).isEqualTo(TokenCounter.count("emoji 😀 ok"));
    assertThat(TokenCounter.truncate("\ud800\ud800\ud800", 1)).isNotNull();
  }
}
