package dev.effort.providers.replay;

import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.ModelInfo;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Content;
import dev.effort.core.Step;
import dev.effort.core.StopReason;
import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the recorded answer of (model, prompt) from recorded outcomes of real models, and never
 * invents one: a prompt or model that is not in the recording is a {@code NOT_FOUND} error.
 *
 * <p>Tokens are counted in the prompt and answer text; cost is the recorded cost where the data
 * has one, else catalog prices times tokens; latency comes from the catalog's latency model.
 *
 * <p>The client's output cap and stop sequences are honoured as an upstream would: the recorded
 * answer is cut at the first stop sequence ({@link StopReason#STOP_SEQUENCE}) or after the cap's
 * tokens ({@link StopReason#MAX_TOKENS}); a cut answer costs its share of the recorded cost.
 */
public final class ReplayProvider implements Provider {
  /** Tag that picks one recorded prompt when several share the same text. */
  public static final String PROMPT_ID_TAG = "prompt_id";

  private final Map<String, List<RecordedPrompt>> byText = new HashMap<>();
  private final Catalog catalog;
  private final String describedSource;
  private final Map<String, Integer> tokenCache = new ConcurrentHashMap<>();

  public ReplayProvider(List<RecordedDataset> datasets, Catalog catalog) {
    this.catalog = catalog;
    int prompts = 0;
    for (RecordedDataset d : datasets) {
      for (RecordedPrompt p : d.prompts()) {
        byText.computeIfAbsent(p.prompt(), t -> new ArrayList<>(1)).add(p);
        prompts++;
      }
    }
    this.describedSource = prompts + " recorded prompts of "
        + String.join(", ", datasets.stream().map(RecordedDataset::name).toList());
  }

  @Override
  public String name() {
    return "replay";
  }

  @Override
  public Completion complete(Ask ask, Step step) {
    RecordedPrompt prompt = find(ask);
    RecordedOutcome outcome = prompt.outcome(step.model()).orElseThrow(() -> new ProviderException(
        ProviderException.Kind.NOT_FOUND,
        "model '" + step.model() + "' has no recorded answer to this prompt; recorded models: "
            + String.join(", ", prompt.outcomes().keySet())));
    ModelInfo model = catalog.model(step.model());
    long in = tokens(prompt.prompt());
    long recordedOut = tokens(outcome.response());
    String text = outcome.response();
    StopReason reason = StopReason.END_TURN;
    Optional<String> stopSequence = Optional.empty();
    for (String stop : ask.stopSequences()) {
      int at = stop.isEmpty() ? -1 : text.indexOf(stop);
      if (at >= 0) {
        text = text.substring(0, at);
        reason = StopReason.STOP_SEQUENCE;
        stopSequence = Optional.of(stop);
      }
    }
    OptionalInt cap = step.answerCap(ask);
    if (cap.isPresent() && tokens(text) > cap.getAsInt()) {
      text = TokenCounter.truncate(text, cap.getAsInt());
      reason = StopReason.MAX_TOKENS;
      stopSequence = Optional.empty();
    }
    long out = text.equals(outcome.response()) ? recordedOut : TokenCounter.count(text);
    Usage usage = new Usage(in, out, 0);
    double cost = outcome.costUsd().isPresent()
        ? share(outcome.costUsd().getAsDouble(), model, in, out, recordedOut)
        : model.costUsd(usage);
    return new Completion(step.model(), List.of(new Content.Text(text)), reason, stopSequence, usage, cost, model.ttft(),
        model.latency(out));
  }

  /**
   * The recorded cost of a whole answer, less the output not written: the recorded cost is split
   * between input and output by the catalog's prices, and the output part scaled.
   */
  private static double share(double recorded, ModelInfo model, long in, long out, long recordedOut) {
    if (out == recordedOut || recordedOut == 0) {
      return recorded;
    }
    double modelIn = model.costUsd(new Usage(in, 0, 0));
    double modelOut = model.costUsd(new Usage(0, recordedOut, 0));
    double outputShare = modelIn + modelOut > 0 ? modelOut / (modelIn + modelOut) : 0;
    return recorded * (1 - outputShare) + recorded * outputShare * out / recordedOut;
  }

  private RecordedPrompt find(Ask ask) {
    List<RecordedPrompt> candidates = byText.get(ask.prompt());
    if (candidates == null) {
      throw new ProviderException(ProviderException.Kind.NOT_FOUND,
          "no recorded answer for this prompt: the replay provider serves only the " + describedSource
              + " (the prompt must match a recorded one exactly)");
    }
    String id = ask.tags().get(PROMPT_ID_TAG);
    if (id != null) {
      for (RecordedPrompt p : candidates) {
        if (p.id().equals(id)) {
          return p;
        }
      }
    }
    return candidates.get(0);
  }

  private int tokens(String text) {
    return tokenCache.computeIfAbsent(text, TokenCounter::count);
  }
}
