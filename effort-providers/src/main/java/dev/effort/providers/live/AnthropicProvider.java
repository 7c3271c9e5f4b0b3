package dev.effort.providers.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.ModelInfo;
import dev.effort.core.ModelInfo.EffortKnob;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}), whole or streamed.
 *
 * <p>The step's effort turns the model's own knob, read from the catalog:
 *
 * <ul>
 *   <li>{@code anthropic_effort}: {@code output_config: {effort}} with adaptive thinking ({@code
 *       thinking: {type: adaptive}}); the cap gets the level's thinking room on top of the answer's.
 *   <li>{@code anthropic_effort_with_thinking_budget}: {@code output_config: {effort}} with {@code
 *       thinking: {type: enabled, budget_tokens}}, the budget chosen by the dial's level.
 *   <li>{@code anthropic_thinking_budget}: {@code thinking: {type: enabled, budget_tokens}}.
 *   <li>{@code none}: neither.
 * </ul>
 *
 * A level the model does not take is clamped to the nearest one it does ({@link
 * ModelInfo#nativeLevel}); a step's {@code thinking_budget_tokens} overrides the level's budget. The
 * required {@code max_tokens} is the answer's room (the plan's or client's cap, else {@value
 * OutputBudget#DEFAULT_ANSWER_TOKENS}) plus the thinking's, within the model's output limit ({@link
 * OutputBudget}).
 *
 * <p>Usage: Anthropic's {@code output_tokens} includes thinking; thinking tokens are estimated as
 * described in {@link ThinkingTokens}.
 */
public final class AnthropicProvider implements Provider {
  /** The {@code anthropic-version} header sent with every call. */
  public static final String API_VERSION = "2023-06-01";

  static final String PATH = "/v1/messages";

  private final Upstream upstream;
  private final Catalog catalog;
  private final UpstreamHttp http;

  public AnthropicProvider(Upstream upstream, Catalog catalog, HttpClient http) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.http = new UpstreamHttp(upstream, http);
  }

  @Override
  public String name() {
    return upstream.name();
  }

  @Override
  public String wireFormat() {
    return "anthropic";
  }

  @Override
  public Completion complete(Ask ask, Step step) {
    ModelInfo model = model(step);
    Duration timeout = UpstreamHttp.timeoutOf(ask);
    HttpRequest request = request(requestBody(ask, step, model, false), timeout, false);
    long start = System.nanoTime();
    JsonNode answer = http.call(request, timeout);
    Duration latency = Duration.ofNanos(System.nanoTime() - start);

    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    boolean thought = false;
    for (JsonNode block : answer.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> {
          thought = true;
          thinking.append(block.path("thinking").asText());
        }
        case "redacted_thinking" -> thought = true;
        default -> { } // tool use and other blocks are not asked for
      }
    }
    JsonNode usage = answer.path("usage");
    Usage u = ThinkingTokens.split(inputTokens(usage), usage.path("output_tokens").asLong(), text.toString(), thought);
    return new Completion(step.model(), text.toString(), thinking.toString(), u, model.costUsd(u), latency, latency);
  }

  @Override
  public Completion stream(Ask ask, Step step, Deltas deltas) {
    ModelInfo model = model(step);
    Duration timeout = UpstreamHttp.timeoutOf(ask);
    HttpRequest request = request(requestBody(ask, step, model, true), timeout, true);
    long start = System.nanoTime();
    StreamState state = new StreamState(start, deltas);
    boolean stopped = http.stream(request, timeout, event -> state.onEvent(event));
    if (!stopped) {
      throw UpstreamErrors.endedEarly(upstream, "message_stop");
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    Duration ttft = state.firstDeltaNanos < 0 ? latency : Duration.ofNanos(state.firstDeltaNanos - start);
    String text = state.text.toString();
    Usage u = ThinkingTokens.split(state.inputTokens, state.outputTokens, text, state.thought);
    return new Completion(step.model(), text, state.thinking.toString(), u, model.costUsd(u), ttft, latency);
  }

  /** Follows one streamed message: message_start, content blocks, message_delta, message_stop. */
  private final class StreamState {
    final long start;
    final Deltas deltas;
    final StringBuilder text = new StringBuilder();
    final StringBuilder thinking = new StringBuilder();
    boolean thought;
    long inputTokens;
    long outputTokens;
    long firstDeltaNanos = -1;

    StreamState(long start, Deltas deltas) {
      this.start = start;
      this.deltas = deltas;
    }

    /** @return false once the message is complete */
    boolean onEvent(ServerSentEvents.Event event) {
      JsonNode data = http.object(event.data());
      String type = data.path("type").asText(event.name());
      switch (type) {
        case "message_start" -> usage(data.path("message").path("usage"));
        case "content_block_start" -> {
          JsonNode block = data.path("content_block");
          switch (block.path("type").asText()) {
            case "thinking" -> {
              thought = true;
              thinking(block.path("thinking").asText());
            }
            case "redacted_thinking" -> thought = true;
            case "text" -> text(block.path("text").asText());
            default -> { }
          }
        }
        case "content_block_delta" -> {
          JsonNode delta = data.path("delta");
          switch (delta.path("type").asText()) {
            case "text_delta" -> text(delta.path("text").asText());
            case "thinking_delta" -> {
              thought = true;
              thinking(delta.path("thinking").asText());
            }
            default -> { } // signature_delta, input_json_delta: nothing to pass on
          }
        }
        case "message_delta" -> usage(data.path("usage"));
        case "message_stop" -> {
          return false;
        }
        case "error" -> throw UpstreamErrors.midStream(
            upstream, data.path("error").path("type").asText(), data.path("error").path("message").asText());
        default -> { } // ping, content_block_stop, and event types added later
      }
      return true;
    }

    private void usage(JsonNode usage) {
      if (usage.has("input_tokens")) {
        inputTokens = inputTokens(usage);
      }
      if (usage.has("output_tokens")) {
        outputTokens = usage.path("output_tokens").asLong(); // cumulative: the last count is the total
      }
    }

    private void text(String delta) {
      if (!delta.isEmpty()) {
        first();
        text.append(delta);
        deltas.text(delta);
      }
    }

    private void thinking(String delta) {
      if (!delta.isEmpty()) {
        first();
        thinking.append(delta);
        deltas.thinking(delta);
      }
    }

    private void first() {
      if (firstDeltaNanos < 0) {
        firstDeltaNanos = System.nanoTime();
      }
    }
  }

  /** Input tokens, cache writes and reads included (Effort sends no cache_control, so those are 0). */
  private static long inputTokens(JsonNode usage) {
    return usage.path("input_tokens").asLong()
        + usage.path("cache_creation_input_tokens").asLong()
        + usage.path("cache_read_input_tokens").asLong();
  }

  private HttpRequest request(ObjectNode body, Duration timeout, boolean stream) {
    if (!upstream.hasApiKey()) {
      throw UpstreamErrors.missingKey(upstream);
    }
    return http.post(PATH, Map.of("x-api-key", upstream.apiKey(), "anthropic-version", API_VERSION),
        body, timeout, stream);
  }

  /** The {@code max_tokens} its request body carries: Anthropic always gets one. */
  @Override
  public java.util.OptionalInt outputCap(Ask ask, Step step) {
    try {
      return java.util.OptionalInt.of(requestBody(ask, step, model(step), false).get("max_tokens").asInt());
    } catch (ProviderException unsendable) {
      return java.util.OptionalInt.empty(); // the call will fail before anything is spent
    }
  }

  private ModelInfo model(Step step) {
    return catalog.find(step.model()).orElseThrow(() -> new ProviderException(ProviderException.Kind.INVALID,
        "model '" + step.model() + "' is not in the catalog, so provider " + upstream.name()
            + " cannot know its effort knob and output limit; add it to the catalog or use one of: "
            + String.join(", ", catalog.ids().stream()
                .filter(id -> catalog.model(id).provider().equals("anthropic")).toList())));
  }

  /** The JSON body of a Messages call for this step: the one place the dial meets Anthropic's knobs. */
  ObjectNode requestBody(Ask ask, Step step, ModelInfo model, boolean stream) {
    Optional<Effort> level = step.nativeEffort().filter(Effort::isFixed);
    EffortKnob knob = model.knob();
    Optional<String> effort = Optional.empty();
    String thinkingType = null;
    int thinkingRoom = 0;
    switch (knob) {
      case ANTHROPIC_EFFORT -> {
        effort = level.flatMap(model::nativeLevel);
        if (level.isPresent() || step.thinkingBudgetTokens().isPresent()) {
          thinkingType = "adaptive";
          thinkingRoom = step.thinkingBudgetTokens().orElse(OutputBudget.thinkingTokensFor(level.orElse(Effort.HIGH)));
        }
      }
      case ANTHROPIC_EFFORT_WITH_THINKING_BUDGET -> {
        effort = level.flatMap(model::nativeLevel);
        if (level.isPresent() || step.thinkingBudgetTokens().isPresent()) {
          thinkingType = "enabled";
          thinkingRoom = step.thinkingBudgetTokens().orElse(OutputBudget.thinkingTokensFor(level.orElse(Effort.HIGH)));
        }
      }
      case ANTHROPIC_THINKING_BUDGET -> {
        if (level.isPresent() || step.thinkingBudgetTokens().isPresent()) {
          thinkingType = "enabled";
          Effort clamped = level.flatMap(model::nativeLevel).map(Effort::parse).orElse(Effort.HIGH);
          thinkingRoom = step.thinkingBudgetTokens().orElse(OutputBudget.thinkingTokensFor(clamped));
        }
      }
      case NONE, OPENAI_REASONING_EFFORT -> { } // no Anthropic knob to turn
    }
    if ("enabled".equals(thinkingType)) {
      thinkingRoom = Math.max(thinkingRoom, OutputBudget.MIN_ANTHROPIC_THINKING_BUDGET);
    }
    int answerRoom = OutputBudget.answerCap(ask, step).orElse(OutputBudget.DEFAULT_ANSWER_TOKENS);
    OutputBudget budget = OutputBudget.of(answerRoom, thinkingRoom, model.maxOutputTokens());
    if ("enabled".equals(thinkingType) && budget.thinkingTokens() < OutputBudget.MIN_ANTHROPIC_THINKING_BUDGET) {
      thinkingType = null; // the model's limit leaves no room for the smallest budget: answer without thinking
      budget = OutputBudget.of(answerRoom, 0, model.maxOutputTokens());
    }

    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", step.model());
    body.put("max_tokens", budget.maxTokens());
    List<String> system = new ArrayList<>();
    ArrayNode messages = Json.MAPPER.createArrayNode();
    for (Message m : ask.messages()) {
      switch (m.role()) {
        case "system" -> system.add(m.text());
        case "user", "assistant" -> messages.addObject().put("role", m.role()).put("content", m.text());
        default -> throw new ProviderException(ProviderException.Kind.INVALID,
            "message role '" + m.role() + "' cannot be sent to Anthropic; accepted: system, user, assistant");
      }
    }
    if (messages.isEmpty()) {
      throw new ProviderException(ProviderException.Kind.INVALID,
          "an Anthropic call needs at least one user message besides the system prompt");
    }
    if (!system.isEmpty()) {
      body.put("system", String.join("\n\n", system));
    }
    body.set("messages", messages);
    if ("adaptive".equals(thinkingType)) {
      body.putObject("thinking").put("type", "adaptive");
    } else if ("enabled".equals(thinkingType)) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget.thinkingTokens());
    }
    effort.ifPresent(e -> body.putObject("output_config").put("effort", e));
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  @Override
  public String toString() {
    return "AnthropicProvider[" + upstream + "]";
  }
}
