package dev.effort.providers;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens of text with OpenAI's cl100k_base encoding. For models with other tokenizers
 * (Claude, Llama, Mistral) this is an approximation within a few percent on English text; the
 * recorded costs do not depend on it, only modeled latency and priced-by-token costs do.
 */
public final class TokenCounter {
  private static final Encoding CL100K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private TokenCounter() {}

  /** Texts up to this many characters are counted exactly. */
  static final int EXACT_CHARS = 32_768;

  /** Longer ones are estimated from this many evenly spaced pieces ... */
  static final int SAMPLES = 8;

  /** ... of this many characters each. */
  static final int PIECE = 4_096;

  /**
   * Tokens of {@code text}: exact up to {@link #EXACT_CHARS} characters, beyond that estimated
   * from samples, so that the CPU a request costs is bounded whatever its size (cl100k encodes
   * CJK text at about 2 µs a character: a megabyte took most of a second, for every request and
   * every {@code count_tokens} call).
   */
  public static int count(String text) {
    text = wellFormed(text);
    if (text.length() <= EXACT_CHARS) {
      return text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
    }
    long tokens = 0;
    long chars = 0;
    for (int[] piece : pieces(text)) {
      tokens += CL100K.countTokensOrdinary(text.substring(piece[0], piece[1]));
      chars += piece[1] - piece[0];
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.round((double) tokens * text.length() / chars));
  }

  /**
   * The {@link #SAMPLES} evenly spaced pieces of a long text that are encoded, as {from, to}: what
   * a count costs is their length, whatever the text's.
   */
  static java.util.List<int[]> pieces(String text) {
    java.util.List<int[]> pieces = new java.util.ArrayList<>(SAMPLES);
    long stride = (text.length() - PIECE) / (SAMPLES - 1);
    for (int i = 0; i < SAMPLES; i++) {
      int from = (int) (i * stride);
      int to = from + PIECE;
      // Never split a surrogate pair: half a character would count as a token of its own.
      if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
        from++;
      }
      if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
        to--;
      }
      pieces.add(new int[] {from, to});
    }
    return pieces;
  }

  /**
   * {@code text} with each unpaired surrogate (JSON allows {@code "\ud800"} alone) replaced by
   * U+FFFD: the encoder fails with an Error on text that is not valid UTF-16.
   */
  static String wellFormed(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (b != null) {
          b.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        if (b == null) {
          b = new StringBuilder(text.length()).append(text, 0, i);
        }
        b.append('\uFFFD');
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }

  /** The first {@code tokens} tokens of {@code text} (all of it when it is not longer). */
  public static String truncate(String text, int tokens) {
    text = wellFormed(text);
    var encoded = CL100K.encodeOrdinary(text);
    if (encoded.size() <= tokens) {
      return text;
    }
    var head = new com.knuddels.jtokkit.api.IntArrayList(tokens);
    for (int i = 0; i < tokens; i++) {
      head.add(encoded.get(i));
    }
    return CL100K.decode(head);
  }
}
