package dev.effort.providers.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Content;
import dev.effort.core.CrossFormat;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.ModelInfo;
import dev.effort.core.ModelInfo.EffortKnob;
import dev.effort.core.Passthrough;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Tool;
import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;
import dev.effort.providers.wire.OpenAiChatWire;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * OpenAI's Chat Completions API ({@code POST /v1/chat/completions}), whole or streamed, against
 * OpenAI itself or any server that speaks it.
 *
 * <p>For a model whose knob is {@code openai_reasoning_effort}, the step's effort is sent as {@code
 * reasoning_effort}, clamped to a value the model takes ({@link ModelInfo#nativeLevel}). An output
 * cap (the plan's or client's) is sent only when one is set, with the level's reasoning room on top
 * for reasoning models, since OpenAI counts reasoning tokens in the cap ({@link OutputBudget}).
 *
 * <p>Usage: {@code completion_tokens_details.reasoning_tokens} are thinking tokens and the rest of
 * {@code completion_tokens} output tokens. Where a compatible server reports reasoning text ({@code
 * reasoning_content} or {@code reasoning}) but no reasoning count, the split is estimated ({@link
 * ThinkingTokens}); where it reports no usage at all, the tokens are counted in the text.
 */
public final class OpenAiProvider implements Provider {

  /** Which kind of server is on the other end. */
  public enum Flavor {
    /**
     * OpenAI itself: every model must be in the catalog, a key is required, the cap is sent as
     * {@code max_completion_tokens} ({@code max_tokens} is refused by reasoning models).
     */
    OPENAI,
    /**
     * Any OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenRouter): a model the catalog does not
     * know is served without an effort knob at price 0, the key may be empty, and the cap is sent as
     * {@code max_tokens}, which these servers all take.
     */
    COMPATIBLE
  }

  static final String PATH = "/v1/chat/completions";

  /** OpenAI refuses more stop sequences than this. */
  static final int OPENAI_MAX_STOP_SEQUENCES = 4;

  /**
   * Sampling settings OpenAI's reasoning models refuse (HTTP 400): a client's are left out when the
   * dial sends its request to one, as {@code stop} is.
   */
  private static final Set<String> SAMPLING = Set.of("temperature", "top_p", "presence_penalty", "frequency_penalty",
      "logprobs", "top_logprobs", "logit_bias");

  private final Upstream upstream;
  private final Catalog catalog;
  private final Flavor flavor;
  private final UpstreamHttp http;

  public OpenAiProvider(Upstream upstream, Catalog catalog, HttpClient http, Flavor flavor) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.flavor = Objects.requireNonNull(flavor, "flavor");
    this.http = new UpstreamHttp(upstream, http);
  }

  /** OpenAI itself. */
  public static OpenAiProvider openAi(Upstream upstream, Catalog catalog, HttpClient http) {
    return new OpenAiProvider(upstream, catalog, http, Flavor.OPENAI);
  }

  /** Any OpenAI-compatible server. */
  public static OpenAiProvider compatible(Upstream upstream, Catalog catalog, HttpClient http) {
    return new OpenAiProvider(upstream, catalog, http, Flavor.COMPATIBLE);
  }

  @Override
  public String name() {
    return upstream.name();
  }

  @Override
  public String wireFormat() {
    return "openai";
  }

  public Flavor flavor() {
    return flavor;
  }

  @Override
  public Completion complete(Ask ask, Step step) {
    ModelInfo model = model(step);
    Duration timeout = UpstreamHttp.timeoutOf(ask);
    HttpRequest request = request(ask, requestBody(ask, step, model, false), timeout, false);
    long start = System.nanoTime();
    JsonNode answer = http.call(request, timeout);
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    JsonNode choice = answer.path("choices").path(0);
    List<Content> content = OpenAiChatWire.answer(choice.path("message"));
    Usage u = usage(answer.path("usage"), ask, content);
    return new Completion(step.model(), content, OpenAiChatWire.stopReason(choice, ask.stopSequences()),
        OpenAiChatWire.stopSequence(choice, ask.stopSequences()), u, model.costUsd(u), latency, latency);
  }

  @Override
  public Completion stream(Ask ask, Step step, Deltas deltas) {
    ModelInfo model = model(step);
    Duration timeout = UpstreamHttp.timeoutOf(ask);
    HttpRequest request = request(ask, requestBody(ask, step, model, true), timeout, true);
    long start = System.nanoTime();
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    OpenAiChatWire.StreamedToolCalls calls = new OpenAiChatWire.StreamedToolCalls();
    long[] firstDelta = {-1};
    JsonNode[] usage = {null};
    JsonNode[] finish = {null};
    boolean done = http.stream(request, timeout, event -> {
      if (event.data().strip().equals("[DONE]")) {
        return false;
      }
      JsonNode chunk = http.object(event.data());
      JsonNode error = chunk.path("error");
      if (!error.isMissingNode() && !error.isNull()) {
        throw UpstreamErrors.midStream(upstream, error.path("type").asText(null),
            error.isTextual() ? error.asText() : error.path("message").asText());
      }
      JsonNode choice = chunk.path("choices").path(0);
      JsonNode delta = choice.path("delta");
      String reasoning = OpenAiChatWire.reasoningText(delta);
      String content = delta.path("content").asText("");
      if (!reasoning.isEmpty()) {
        firstDelta(firstDelta);
        thinking.append(reasoning);
        deltas.thinking(reasoning);
      }
      if (!content.isEmpty()) {
        firstDelta(firstDelta);
        text.append(content);
        deltas.text(content);
      }
      if (calls.add(delta.path("tool_calls"), deltas)) {
        firstDelta(firstDelta);
      }
      if (choice.hasNonNull("finish_reason")) {
        finish[0] = choice;
      }
      if (chunk.path("usage").isObject()) {
        usage[0] = chunk.path("usage");
      }
      return true;
    });
    if (!done && finish[0] == null) {
      throw UpstreamErrors.endedEarly(upstream, "the answer was finished");
    }
    calls.finish(deltas);
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    Duration ttft = firstDelta[0] < 0 ? latency : Duration.ofNanos(firstDelta[0] - start);
    // The stream's pieces as one message, read as a whole answer is.
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("reasoning_content", thinking.toString());
    message.put("content", text.toString());
    ArrayNode toolCalls = message.putArray("tool_calls");
    calls.calls().forEach(c -> toolCalls.add(OpenAiChatWire.toolCall(c, false)));
    List<Content> content = OpenAiChatWire.answer(message);
    Usage u = usage(usage[0] == null ? Json.MAPPER.missingNode() : usage[0], ask, content);
    JsonNode choice = finish[0] == null ? Json.MAPPER.createObjectNode() : finish[0];
    return new Completion(step.model(), content, OpenAiChatWire.stopReason(choice, ask.stopSequences()),
        OpenAiChatWire.stopSequence(choice, ask.stopSequences()), u, model.costUsd(u), ttft, latency);
  }

  private static void firstDelta(long[] at) {
    if (at[0] < 0) {
      at[0] = System.nanoTime();
    }
  }

  /** Usage as the upstream reports it; without a report, counted in the answer (tool calls included). */
  private static Usage usage(JsonNode usage, Ask ask, List<Content> answer) {
    StringBuilder out = new StringBuilder();
    StringBuilder thought = new StringBuilder();
    for (Content c : answer) {
      switch (c) {
        case Content.Text t -> out.append(t.text());
        case Content.ToolCall call -> out.append(call.name()).append(call.arguments());
        case Content.Thinking t -> thought.append(t.text());
        default -> { }
      }
    }
    String text = out.toString();
    String thinking = thought.toString();
    if (!usage.isObject()) {
      long in = ask.messages().stream().mapToLong(m -> TokenCounter.count(m.text())).sum();
      return new Usage(in, TokenCounter.count(text), TokenCounter.count(thinking));
    }
    long in = usage.path("prompt_tokens").asLong();
    long completion = usage.path("completion_tokens").asLong();
    JsonNode reasoning = usage.path("completion_tokens_details").path("reasoning_tokens");
    if (reasoning.isNumber()) {
      long r = Math.min(completion, reasoning.asLong());
      return new Usage(in, completion - r, r);
    }
    return ThinkingTokens.split(in, completion, text, !thinking.isEmpty());
  }

  /** The call, with the client's beta headers and query string when it spoke this format. */
  private HttpRequest request(Ask ask, ObjectNode body, Duration timeout, boolean stream) {
    Map<String, String> headers = new LinkedHashMap<>();
    String path = PATH;
    Passthrough passthrough = ask.passthrough();
    if (passthrough.forwardsTo(wireFormat())) {
      headers.putAll(passthrough.headers());
      path = passthrough.query().isEmpty() ? PATH : PATH + "?" + passthrough.query();
    }
    if (upstream.hasApiKey()) {
      headers.put("Authorization", "Bearer " + upstream.apiKey());
    } else if (flavor == Flavor.OPENAI) {
      throw UpstreamErrors.missingKey(upstream);
    }
    return http.post(path, headers, body, timeout, stream);
  }

  /** The cap its request body carries; without one, the model's output limit when it is known. */
  @Override
  public java.util.OptionalInt outputCap(Ask ask, Step step) {
    try {
      ModelInfo model = model(step);
      JsonNode cap = requestBody(ask, step, model, false).get(flavor == Flavor.OPENAI ? "max_completion_tokens" : "max_tokens");
      if (cap != null) {
        return java.util.OptionalInt.of(cap.asInt());
      }
      return model.maxOutputTokens() > 0 ? java.util.OptionalInt.of(model.maxOutputTokens()) : java.util.OptionalInt.empty();
    } catch (ProviderException unsendable) {
      return java.util.OptionalInt.empty(); // the call will fail before anything is spent
    }
  }

  private ModelInfo model(Step step) {
    Optional<ModelInfo> known = catalog.find(step.model());
    if (known.isPresent()) {
      return known.get();
    }
    if (flavor == Flavor.COMPATIBLE) {
      return new ModelInfo(step.model(), "openai-compatible", 0, 0, 500, 50, 0,
          "not in the catalog: served by provider " + upstream.name()
              + " without an effort knob, at price 0 (add it to the catalog for prices and knobs)");
    }
    throw new ProviderException(ProviderException.Kind.INVALID,
        "model '" + step.model() + "' is not in the catalog, so provider " + upstream.name()
            + " cannot know its effort knob and price; add it to the catalog or use one of: "
            + String.join(", ", catalog.ids().stream()
                .filter(id -> catalog.model(id).provider().equals("openai")).toList()));
  }

  /** The JSON body of a chat completion for this step: the one place the dial meets OpenAI's knob. */
  ObjectNode requestBody(Ask ask, Step step, ModelInfo model, boolean stream) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", step.model());
    boolean passthrough = ask.passthrough().forwardsTo(wireFormat());
    body.set("messages", OpenAiChatWire.messages(ask.messages(), passthrough));
    boolean reasons = model.knob() == EffortKnob.OPENAI_REASONING_EFFORT;
    Optional<Effort> level = step.nativeEffort().filter(Effort::isFixed);
    Optional<String> effort = reasons ? level.flatMap(model::nativeLevel) : Optional.empty();
    effort.ifPresent(e -> body.put("reasoning_effort", e));

    OptionalInt cap = step.answerCap(ask);
    if (cap.isPresent()) {
      int reasoningRoom = 0;
      if (reasons && !effort.equals(Optional.of("none"))) {
        reasoningRoom = step.thinkingBudgetTokens().orElse(OutputBudget.thinkingTokensFor(level.orElse(Effort.MEDIUM)));
      }
      OutputBudget budget = OutputBudget.of(cap.getAsInt(), reasoningRoom, model.maxOutputTokens());
      body.put(flavor == Flavor.OPENAI ? "max_completion_tokens" : "max_tokens", budget.maxTokens());
    }
    List<Tool> tools = ask.tools().offered().stream().filter(t -> CrossFormat.sendable(t, wireFormat())).toList();
    if (!tools.isEmpty()) {
      ArrayNode offered = body.putArray("tools");
      tools.forEach(t -> offered.add(OpenAiChatWire.tool(t, passthrough)));
      ask.tools().choice().ifPresent(c -> body.set("tool_choice", OpenAiChatWire.toolChoice(c, tools)));
      ask.tools().parallel().ifPresent(p -> body.put("parallel_tool_calls", p));
    }
    // OpenAI's reasoning models refuse `stop` (HTTP 400); the dial may have picked one for a client that sent it.
    if (!ask.stopSequences().isEmpty() && !(flavor == Flavor.OPENAI && reasons)) {
      // OpenAI takes at most 4 (an Anthropic client may send more): the first 4 go, as a 400 would end the call.
      ArrayNode stop = body.putArray("stop");
      ask.stopSequences().stream().limit(flavor == Flavor.OPENAI ? OPENAI_MAX_STOP_SEQUENCES : Long.MAX_VALUE)
          .forEach(stop::add);
    }
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    if (passthrough) {
      // Fields set above win; stream_options goes with the gateway's own choice to stream or not.
      boolean refusesSampling = flavor == Flavor.OPENAI && reasons;
      ask.passthrough().fields().fields().forEachRemaining(f -> {
        if (!body.has(f.getKey()) && !f.getKey().equals("stream_options")
            && !(refusesSampling && SAMPLING.contains(f.getKey()))) {
          body.set(f.getKey(), f.getValue());
        }
      });
    }
    return body;
  }

  @Override
  public String toString() {
    return "OpenAiProvider[" + flavor + ", " + upstream + "]";
  }
}
