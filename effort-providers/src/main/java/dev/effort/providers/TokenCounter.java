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

  public static int count(String text) {
    return text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
  }

  /** The first {@code tokens} tokens of {@code text} (all of it when it is not longer). */
  public static String truncate(String text, int tokens) {
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
