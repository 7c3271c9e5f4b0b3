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
import dev.effort.core.Message;
import dev.effort.core.ModelInfo;
import dev.effort.core.ModelInfo.EffortKnob;
import dev.effort.core.Passthrough;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.StopReason;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Usage;
import dev.effort.providers.wire.AnthropicWire;
import dev.effort.providers.wire.InvalidRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * <p>Thinking is left out (and its room) where Anthropic refuses it: manual thinking with a forced
 * tool, and a tool-use turn that did not begin with Anthropic's own signed thinking ({@link
 * #thinkingFits}).
 *
 * <p>Messages go as blocks ({@link AnthropicWire}, the format's one codec): text, images, tool use
 * and results, and thinking, redacted thinking and other formats' blocks only as {@link
 * CrossFormat#sendable} allows (signed thinking byte for byte). Tools go as custom tools, hosted ones
 * only when they are Anthropic's; the tool choice, parallel calls and stop sequences as the client
 * set them. For a client of this format, its unused fields are added where the body has none (the
 * dial's own fields win; objects such as {@code output_config} are merged), with its beta headers and
 * query string; blocks and tools keep their own fields ({@code cache_control}, {@code citations}).
 * Answers, whole and streamed, are read into blocks with the true stop reason and stop sequence.
 *
 * <p>Usage: Anthropic's {@code output_tokens} includes thinking; thinking tokens are estimated as
 * described in {@link ThinkingTokens}, counting the answer's text and tool calls as the answer.
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
    HttpRequest request = request(ask, requestBody(ask, step, model, false), timeout, false);
    long start = System.nanoTime();
    JsonNode answer = http.call(request, timeout);
    Duration latency = Duration.ofNanos(System.nanoTime() - start);

    List<Content> content = new ArrayList<>();
    JsonNode blocks = answer.path("content");
    for (int i = 0; i < blocks.size(); i++) {
      content.add(block(blocks.get(i), i));
    }
    JsonNode usage = answer.path("usage");
    Usage u = ThinkingTokens.split(inputTokens(usage), usage.path("output_tokens").asLong(), answerText(content),
        thought(content));
    return new Completion(step.model(), content, StopReason.fromAnthropic(answer.path("stop_reason").asText(null)),
        stopSequence(answer.path("stop_sequence")), u, model.costUsd(u), latency, latency);
  }

  /** An upstream answer's block; one the codec cannot read is the upstream's error, not the client's. */
  private Content block(JsonNode block, int index) {
    try {
      return AnthropicWire.block(block, "content." + index, "assistant");
    } catch (InvalidRequest e) {
      throw UpstreamErrors.notJson(upstream, Json.string(block));
    }
  }

  private static Optional<String> stopSequence(JsonNode node) {
    return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }

  /** What the answer tokens are counted from: its text and its tool calls. */
  private static String answerText(List<Content> content) {
    StringBuilder s = new StringBuilder();
    for (Content c : content) {
      switch (c) {
        case Content.Text t -> s.append(t.text());
        case Content.ToolCall call -> s.append(call.name()).append(call.arguments());
        default -> { }
      }
    }
    return s.toString();
  }

  private static boolean thought(List<Content> content) {
    return content.stream().anyMatch(c -> c instanceof Content.Thinking || c instanceof Content.RedactedThinking);
  }

  @Override
  public Completion stream(Ask ask, Step step, Deltas deltas) {
    ModelInfo model = model(step);
    Duration timeout = UpstreamHttp.timeoutOf(ask);
    HttpRequest request = request(ask, requestBody(ask, step, model, true), timeout, true);
    long start = System.nanoTime();
    StreamState state = new StreamState(deltas);
    boolean stopped = http.stream(request, timeout, event -> state.onEvent(event));
    if (!stopped) {
      throw UpstreamErrors.endedEarly(upstream, "message_stop");
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    Duration ttft = state.firstDeltaNanos < 0 ? latency : Duration.ofNanos(state.firstDeltaNanos - start);
    Usage u = ThinkingTokens.split(state.inputTokens, state.outputTokens, answerText(state.content),
        thought(state.content));
    return new Completion(step.model(), state.content, state.stopReason, state.stopSequence, u, model.costUsd(u), ttft,
        latency);
  }

  /**
   * Follows one streamed message: message_start, content blocks (each started, grown by deltas,
   * stopped), message_delta, message_stop. Thinking, text and tool calls are passed on as they grow;
   * every block is kept whole for the completion.
   */
  private final class StreamState {
    final Deltas deltas;
    final List<Content> content = new ArrayList<>();
    StopReason stopReason = StopReason.END_TURN;
    Optional<String> stopSequence = Optional.empty();
    long inputTokens;
    long outputTokens;
    long firstDeltaNanos = -1;
    /** The block being streamed, as its content_block_start gave it, grown by its deltas. */
    ObjectNode open;
    final StringBuilder grown = new StringBuilder();

    StreamState(Deltas deltas) {
      this.deltas = deltas;
    }

    /** @return false once the message is complete */
    boolean onEvent(ServerSentEvents.Event event) {
      JsonNode data = http.object(event.data());
      String type = data.path("type").asText(event.name());
      switch (type) {
        case "message_start" -> usage(data.path("message").path("usage"));
        case "content_block_start" -> start(data.path("content_block"));
        case "content_block_delta" -> delta(data.path("delta"));
        case "content_block_stop" -> stop();
        case "message_delta" -> {
          JsonNode delta = data.path("delta");
          if (delta.hasNonNull("stop_reason")) {
            stopReason = StopReason.fromAnthropic(delta.path("stop_reason").asText());
          }
          stopSequence = stopSequence(delta.path("stop_sequence"));
          usage(data.path("usage"));
        }
        case "message_stop" -> {
          stop();
          return false;
        }
        case "error" -> throw UpstreamErrors.midStream(
            upstream, data.path("error").path("type").asText(), data.path("error").path("message").asText());
        default -> { } // ping, and event types added later
      }
      return true;
    }

    private void start(JsonNode block) {
      stop();
      if (!block.isObject()) {
        return;
      }
      open = ((ObjectNode) block).deepCopy();
      grown.setLength(0);
      switch (open.path("type").asText()) {
        case "text" -> text(open.path("text").asText());
        case "thinking" -> thinking(open.path("thinking").asText());
        case "redacted_thinking" -> {
          first();
          deltas.redactedThinking(new Content.RedactedThinking(open.path("data").asText()));
        }
        case "tool_use" -> {
          first();
          deltas.toolCall(open.path("id").asText(), open.path("name").asText());
        }
        default -> { } // a server tool's blocks: kept whole for the completion, not streamed
      }
    }

    private void delta(JsonNode delta) {
      if (open == null) {
        return;
      }
      switch (delta.path("type").asText()) {
        case "text_delta" -> text(delta.path("text").asText());
        case "thinking_delta" -> thinking(delta.path("thinking").asText());
        case "signature_delta" -> open.put("signature", open.path("signature").asText("") + delta.path("signature").asText());
        case "input_json_delta" -> {
          String fragment = delta.path("partial_json").asText();
          grown.append(fragment);
          if (open.path("type").asText().equals("tool_use") && !fragment.isEmpty()) {
            deltas.toolArguments(fragment);
          }
        }
        case "citations_delta" -> open.withArray("citations").add(delta.path("citation"));
        default -> { }
      }
    }

    /** Ends the open block: adds it to the content whole. */
    private void stop() {
      if (open == null) {
        return;
      }
      ObjectNode block = open;
      open = null;
      String type = block.path("type").asText();
      switch (type) {
        case "text" -> block.put("text", grown.toString());
        case "thinking" -> {
          block.put("thinking", grown.toString());
          String signature = block.path("signature").asText("");
          if (!signature.isEmpty()) {
            deltas.thinkingSignature(signature, Content.Thinking.ANTHROPIC);
          }
        }
        default -> {
          if (grown.length() > 0) { // the input of a tool use, streamed as JSON text
            block.set("input", AnthropicWire.input(grown.toString()));
          }
        }
      }
      Content whole = block(block, content.size());
      if (whole instanceof Content.Opaque o) {
        deltas.opaque(o); // a server tool's use or result: passed on whole
      }
      content.add(whole);
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
        grown.append(delta);
        deltas.text(delta);
      }
    }

    private void thinking(String delta) {
      if (!delta.isEmpty()) {
        first();
        grown.append(delta);
        deltas.thinking(delta);
      }
    }

    private void first() {
      if (firstDeltaNanos < 0) {
        firstDeltaNanos = System.nanoTime();
      }
    }
  }

  /**
   * Input tokens, cache writes and reads included (a client of this format may send cache_control;
   * its cached tokens are priced here as plain input).
   */
  private static long inputTokens(JsonNode usage) {
    return usage.path("input_tokens").asLong()
        + usage.path("cache_creation_input_tokens").asLong()
        + usage.path("cache_read_input_tokens").asLong();
  }

  /**
   * The POST of {@code body}; a client of this format also gets its beta headers (e.g. {@code
   * anthropic-beta}) and query string (e.g. {@code beta=true}) forwarded.
   */
  private HttpRequest request(Ask ask, ObjectNode body, Duration timeout, boolean stream) {
    if (!upstream.hasApiKey()) {
      throw UpstreamErrors.missingKey(upstream);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String path = PATH;
    Passthrough passthrough = ask.passthrough();
    if (passthrough.forwardsTo(wireFormat())) {
      headers.putAll(passthrough.headers());
      if (!passthrough.query().isEmpty()) {
        path = PATH + "?" + passthrough.query();
      }
    }
    headers.put("x-api-key", upstream.apiKey());
    headers.put("anthropic-version", API_VERSION);
    return http.post(path, headers, body, timeout, stream);
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
    int answerRoom = step.answerCap(ask).orElse(OutputBudget.DEFAULT_ANSWER_TOKENS);
    OutputBudget budget = OutputBudget.of(answerRoom, thinkingRoom, model.maxOutputTokens());
    if ("enabled".equals(thinkingType) && budget.thinkingTokens() < OutputBudget.MIN_ANTHROPIC_THINKING_BUDGET) {
      thinkingType = null; // the model's limit leaves no room for the smallest budget: answer without thinking
      budget = OutputBudget.of(answerRoom, 0, model.maxOutputTokens());
    }

    if (thinkingType != null && !thinkingFits(ask, thinkingType)) {
      thinkingType = null;
      budget = OutputBudget.of(answerRoom, 0, model.maxOutputTokens());
    }

    boolean sameFormat = ask.passthrough().forwardsTo(wireFormat());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", step.model());
    body.put("max_tokens", budget.maxTokens());
    List<Content.Text> system = new ArrayList<>();
    ArrayNode messages = Json.MAPPER.createArrayNode();
    for (Message m : ask.messages()) {
      switch (m.role()) {
        case "system" -> system.addAll(m.blocks(Content.Text.class));
        case "user", "assistant" -> {
          // Anthropic refuses empty text blocks (the gateway writes one for an answer of nothing).
          List<Content> sendable = m.content().stream()
              .filter(c -> CrossFormat.sendable(c, wireFormat()) && !(c instanceof Content.Text t && t.text().isEmpty()))
              .toList();
          if (!sendable.isEmpty()) { // e.g. an assistant turn that held only another provider's thinking
            messages.addObject().put("role", m.role()).set("content", AnthropicWire.content(sendable, sameFormat));
          }
        }
        default -> throw new ProviderException(ProviderException.Kind.INVALID,
            "message role '" + m.role() + "' cannot be sent to Anthropic; accepted: system, user, assistant");
      }
    }
    if (messages.isEmpty()) {
      throw new ProviderException(ProviderException.Kind.INVALID,
          "an Anthropic call needs at least one user message besides the system prompt");
    }
    if (!system.isEmpty()) {
      // Plain system text is joined into one string; blocks with their own fields (cache_control) stay blocks.
      if (sameFormat && system.stream().anyMatch(t -> !t.passthrough().isEmpty())) {
        body.set("system", AnthropicWire.renderAll(List.copyOf(system), true));
      } else {
        body.put("system", String.join("\n\n", system.stream().map(Content.Text::text).toList()));
      }
    }
    body.set("messages", messages);
    List<Tool> tools = ask.tools().offered().stream().filter(t -> CrossFormat.sendable(t, wireFormat())).toList();
    if (!tools.isEmpty()) {
      ArrayNode t = body.putArray("tools");
      tools.forEach(tool -> t.add(AnthropicWire.render(tool, sameFormat)));
      AnthropicWire.toolChoice(ask.tools().choice(), ask.tools().parallel()).ifPresent(c -> body.set("tool_choice", c));
    } else if (!sameFormat) {
      declareCalledTools(body, messages);
    }
    if (!ask.stopSequences().isEmpty()) {
      ArrayNode stops = body.putArray("stop_sequences");
      ask.stopSequences().forEach(stops::add);
    }
    if ("adaptive".equals(thinkingType)) {
      body.putObject("thinking").put("type", "adaptive");
    } else if ("enabled".equals(thinkingType)) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget.thinkingTokens());
    }
    effort.ifPresent(e -> body.putObject("output_config").put("effort", e));
    if (stream) {
      body.put("stream", true);
    }
    if (sameFormat) {
      ObjectNode fields = ask.passthrough().fields().deepCopy();
      // The dial sets thinking; of the client's own only how it is shown is kept (display: omitted).
      JsonNode display = fields.path("thinking").path("display");
      fields.remove("thinking");
      if (thinkingType != null && display.isTextual()) {
        ((ObjectNode) body.get("thinking")).set("display", display);
      }
      if (thinkingType == null) {
        withoutThinkingEdits(fields);
      } else {
        // With thinking on, Anthropic takes no top_k and temperature 1 only (top_p 0.95 to 1): the dial's
        // thinking wins over sampling settings sent for an answer without it.
        fields.remove(List.of("temperature", "top_k", "top_p"));
      }
      addAbsent(body, fields);
    }
    return body;
  }

  /**
   * Anthropic refuses a request whose messages hold tool_use or tool_result blocks but that defines
   * no tools; a client of another format may send its tool loop's history without tools (OpenAI
   * takes that, e.g. for a last turn that must answer in text). The tools called are declared,
   * without parameters, and tool choice {@code none} keeps the model from calling them.
   */
  private static void declareCalledTools(ObjectNode body, ArrayNode messages) {
    java.util.Set<String> called = new java.util.LinkedHashSet<>();
    for (JsonNode m : messages) {
      for (JsonNode block : m.path("content")) {
        if (block.path("type").asText().equals("tool_use")) {
          called.add(block.path("name").asText());
        }
      }
    }
    if (called.isEmpty()) {
      return;
    }
    ArrayNode tools = body.putArray("tools");
    called.forEach(name -> tools.addObject().put("name", name).putObject("input_schema").put("type", "object"));
    body.putObject("tool_choice").put("type", "none");
  }

  /**
   * Whether Anthropic takes thinking of {@code type} with this ask. Not manual thinking ({@code
   * enabled}) when a tool call is forced ({@code any} or a named tool; adaptive thinking takes
   * those). Not when the conversation is inside a tool-use turn (the assistant messages since the
   * last user message that is more than tool results) whose first assistant message does not start
   * with Anthropic's own signed thinking, e.g. a turn another provider began: a tool loop is one
   * turn, and Anthropic wants one thinking configuration for the whole of it.
   */
  private boolean thinkingFits(Ask ask, String type) {
    Optional<ToolChoice> choice = ask.tools().choice();
    if (type.equals("enabled") && choice.isPresent()
        && (choice.get().mode() == ToolChoice.Mode.REQUIRED || choice.get().mode() == ToolChoice.Mode.NAMED)) {
      return false;
    }
    List<Message> messages = ask.messages();
    int turn = messages.size();
    while (turn > 0 && !startsTurn(messages.get(turn - 1))) {
      turn--;
    }
    List<Message> assistant = messages.subList(turn, messages.size()).stream()
        .filter(m -> m.role().equals("assistant")).toList();
    if (assistant.stream().noneMatch(m -> !m.blocks(Content.ToolCall.class).isEmpty())) {
      return true; // no tool loop under way
    }
    Optional<Content> first = assistant.get(0).content().stream().filter(c -> CrossFormat.sendable(c, wireFormat())).findFirst();
    return first.isPresent() && (first.get() instanceof Content.Thinking || first.get() instanceof Content.RedactedThinking);
  }

  /**
   * A user message that asks something new. One that holds tool results continues the turn, even
   * with text beside them (agents add reminders there).
   */
  private static boolean startsTurn(Message m) {
    return m.role().equals("user") && m.blocks(Content.ToolResult.class).isEmpty();
  }

  /**
   * Drops the client's context-management edits that clear thinking ({@code clear_thinking_…}),
   * which Anthropic takes only with thinking on, from a call the dial sends without thinking.
   */
  private static void withoutThinkingEdits(ObjectNode fields) {
    JsonNode edits = fields.path("context_management").path("edits");
    if (!edits.isArray()) {
      return;
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    edits.forEach(e -> {
      if (!e.path("type").asText().startsWith("clear_thinking")) {
        kept.add(e);
      }
    });
    if (kept.isEmpty() && fields.get("context_management").size() == 1) {
      fields.remove("context_management");
    } else {
      ((ObjectNode) fields.get("context_management")).set("edits", kept);
    }
  }

  /** Adds the client's fields the body does not set; objects both have are merged the same way. */
  private static void addAbsent(ObjectNode body, ObjectNode fields) {
    for (var e : fields.properties()) {
      JsonNode mine = body.get(e.getKey());
      if (mine == null) {
        body.set(e.getKey(), e.getValue());
      } else if (mine.isObject() && e.getValue().isObject()) {
        addAbsent((ObjectNode) mine, (ObjectNode) e.getValue());
      }
    }
  }

  @Override
  public String toString() {
    return "AnthropicProvider[" + upstream + "]";
  }
}
