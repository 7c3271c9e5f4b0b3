package dev.effort.router;

import dev.effort.core.AnswerFormat;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * Turns a prompt into {@link PromptFeatures}: an all-MiniLM-L6-v2 (quantized) embedding of its
 * {@linkplain FocusedText focused text}, the whole prompt's length in {@linkplain WordPieces word
 * pieces} and its answer format. Runs in process, offline: the ONNX weights, the tokenizer and its
 * native library are inside the jars. Thread-safe; the model is loaded once.
 */
public final class FeatureExtractor {

  static {
    // DJL (the tokenizer's loader) would otherwise probe the EC2 metadata address and send a
    // usage ping when it first loads, and download its native library on platforms whose library
    // is not in the jar. Offline, it fails instead of reaching out. A setting made by the user wins.
    keepUnlessSet("ai.djl.offline", "DJL_OFFLINE", "true");
    keepUnlessSet("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
  }

  private static final class Holder {
    static final FeatureExtractor IN_PROCESS = new FeatureExtractor();
  }

  private final EmbeddingModel model;

  private FeatureExtractor() {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
  }

  /** The shared in-process extractor; the first call loads the model (about a second). */
  public static FeatureExtractor inProcess() {
    return Holder.IN_PROCESS;
  }

  public PromptFeatures extract(String prompt) {
    String focus = FocusedText.of(prompt);
    float[] embedding = focus.isBlank()
        ? new float[model.dimension()]
        : model.embed(focus).content().vector();
    return new PromptFeatures(embedding, WordPieces.count(prompt), AnswerFormat.of(prompt));
  }

  private static void keepUnlessSet(String property, String environmentVariable, String value) {
    if (System.getProperty(property) == null && System.getenv(environmentVariable) == null) {
      System.setProperty(property, value);
    }
  }
}
