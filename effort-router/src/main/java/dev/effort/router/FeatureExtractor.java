package dev.effort.router;

import dev.effort.core.AnswerFormat;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a prompt into {@link PromptFeatures}: an embedding of its {@linkplain FocusedText focused
 * text}, the whole prompt's length in {@linkplain WordPieces word pieces} and its answer format.
 * Runs in process, offline: the weights and the vocabulary are inside the jars. Thread-safe; each
 * embedding is loaded once.
 */
public final class FeatureExtractor {

  /** Which embedding of the focused text; a router file names the one it was trained on. */
  public enum Embedding {
    /**
     * Mean of all-MiniLM-L6-v2's input word-piece vectors on their principal directions (see
     * {@link StaticEmbedding}): the default, far faster than the encoder and as good for routing here.
     */
    STATIC("static all-MiniLM-L6-v2 word-piece embedding (mean of input vectors, centered, on 64 principal directions) of the prompt's final question, prompt tokens, answer format"),
    /** The sentence embedding of the whole all-MiniLM-L6-v2 encoder (quantized ONNX): milliseconds per prompt. */
    MINILM("all-MiniLM-L6-v2 (quantized, in process) embedding of the prompt's final question, prompt tokens, answer format");

    /** How router files name these features (their header's {@code features}). */
    public final String description;

    Embedding(String description) {
      this.description = description;
    }

    /** The embedding a router file's {@code features} names, if this build computes it. */
    static java.util.Optional<Embedding> described(String description) {
      return Arrays.stream(values()).filter(e -> e.description.equals(description)).findFirst();
    }
  }

  /** Selects the embedding of {@link #inProcess()} ({@code static} or {@code minilm}); a system property wins. */
  public static final String SETTING = "EFFORT_EMBEDDING";
  static final String PROPERTY = "effort.embedding";

  static {
    // DJL (the MiniLM tokenizer's loader) would otherwise probe the EC2 metadata address and send a
    // usage ping when it first loads, and download its native library on platforms whose library
    // is not in the jar. Offline, it fails instead of reaching out. A setting made by the user wins.
    keepUnlessSet("ai.djl.offline", "DJL_OFFLINE", "true");
    keepUnlessSet("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
  }

  private static final Map<Embedding, FeatureExtractor> LOADED = new EnumMap<>(Embedding.class);

  private final Embedding embedding;
  private final int dimensions;
  private final Function<String, float[]> embed;

  private FeatureExtractor(Embedding embedding) {
    this.embedding = embedding;
    switch (embedding) {
      case STATIC -> {
        StaticEmbedding table = StaticEmbedding.miniLm();
        this.dimensions = table.dimensions();
        this.embed = table::embed;
      }
      case MINILM -> {
        EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
        this.dimensions = model.dimension();
        this.embed = text -> model.embed(text).content().vector();
      }
      default -> throw new IllegalArgumentException("unknown embedding " + embedding);
    }
  }

  /**
   * The shared in-process extractor of the configured embedding ({@value #SETTING}, default
   * {@code static}); the first call loads it.
   *
   * @throws IllegalArgumentException if the setting names no embedding
   */
  public static FeatureExtractor inProcess() {
    return of(configured());
  }

  /** The shared extractor computing {@code embedding}; the first call loads it (the MiniLM encoder: about a second). */
  public static FeatureExtractor of(Embedding embedding) {
    synchronized (LOADED) {
      return LOADED.computeIfAbsent(embedding, FeatureExtractor::new);
    }
  }

  static Embedding configured() {
    String value = System.getProperty(PROPERTY, System.getenv(SETTING));
    if (value == null || value.isBlank()) {
      return Embedding.STATIC;
    }
    try {
      return Embedding.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SETTING + "=" + value + " names no embedding; use static (the default) or minilm");
    }
  }

  public Embedding embedding() {
    return embedding;
  }

  public PromptFeatures extract(String prompt) {
    String focus = FocusedText.of(prompt);
    float[] vector = focus.isBlank() ? new float[dimensions] : embed.apply(focus);
    return new PromptFeatures(vector, WordPieces.count(prompt), AnswerFormat.of(prompt));
  }

  private static void keepUnlessSet(String property, String environmentVariable, String value) {
    if (System.getProperty(property) == null && System.getenv(environmentVariable) == null) {
      System.setProperty(property, value);
    }
  }
}
