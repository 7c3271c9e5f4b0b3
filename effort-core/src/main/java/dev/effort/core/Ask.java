package dev.effort.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One normalized request. Every wire format (OpenAI chat, Anthropic messages, CLI, library call)
 * is parsed into an {@code Ask}.
 *
 * @param messages the conversation, at least one message
 * @param effort the level asked for ({@link Effort#AUTO} lets the router decide)
 * @param model a catalog model id that pins the model, or empty to let the dial choose
 * @param deadline latency budget, if any
 * @param maxCostUsd cost cap in USD, if any
 * @param key the API key's id, if any
 * @param tags free-form labels carried into the trace and ledger
 * @param maxTokens the client's cap on output tokens, if it set one
 * @param tools tools offered to the model, and the client's tool choice
 * @param stopSequences sequences that end the answer when the model writes them
 * @param passthrough what the client sent that the gateway does not use, for an upstream of its own format
 * @param ttftDeadline how long the first token may take before a second deployment is asked too (a hedge)
 */
public record Ask(
    List<Message> messages,
    Effort effort,
    Optional<String> model,
    Optional<Duration> deadline,
    Optional<Double> maxCostUsd,
    Optional<String> key,
    Map<String, String> tags,
    java.util.OptionalInt maxTokens,
    Tools tools,
    List<String> stopSequences,
    Passthrough passthrough,
    Optional<Duration> ttftDeadline) {

  public Ask {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("an ask needs at least one message");
    }
    Objects.requireNonNull(effort, "effort");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(maxCostUsd, "maxCostUsd");
    Objects.requireNonNull(key, "key");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(maxTokens, "maxTokens");
    Objects.requireNonNull(tools, "tools");
    stopSequences = List.copyOf(stopSequences);
    Objects.requireNonNull(passthrough, "passthrough");
    Objects.requireNonNull(ttftDeadline, "ttftDeadline");
  }

  /** An ask without a time-to-first-token deadline. */
  public Ask(List<Message> messages, Effort effort, Optional<String> model, Optional<Duration> deadline,
      Optional<Double> maxCostUsd, Optional<String> key, Map<String, String> tags, java.util.OptionalInt maxTokens,
      Tools tools, List<String> stopSequences, Passthrough passthrough) {
    this(messages, effort, model, deadline, maxCostUsd, key, tags, maxTokens, tools, stopSequences, passthrough,
        Optional.empty());
  }

  /** An ask without tools, stop sequences or passthrough. */
  public Ask(List<Message> messages, Effort effort, Optional<String> model, Optional<Duration> deadline,
      Optional<Double> maxCostUsd, Optional<String> key, Map<String, String> tags, java.util.OptionalInt maxTokens) {
    this(messages, effort, model, deadline, maxCostUsd, key, tags, maxTokens, Tools.NONE, List.of(), Passthrough.NONE);
  }

  /** An ask without an output cap of the client's. */
  public Ask(List<Message> messages, Effort effort, Optional<String> model, Optional<Duration> deadline,
      Optional<Double> maxCostUsd, Optional<String> key, Map<String, String> tags) {
    this(messages, effort, model, deadline, maxCostUsd, key, tags, java.util.OptionalInt.empty());
  }

  /** A single user prompt at the given level. */
  public static Ask of(String prompt, Effort effort) {
    return new Ask(
        List.of(Message.user(prompt)), effort, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Map.of());
  }

  /** The same ask with the model pinned to a catalog id. */
  public Ask withModel(String modelId) {
    return new Ask(messages, effort, Optional.of(modelId), deadline, maxCostUsd, key, tags, maxTokens, tools,
        stopSequences, passthrough, ttftDeadline);
  }

  /** The same ask with the output cap set (by the gateway, when the client set none). */
  public Ask withMaxTokens(int cap) {
    return new Ask(messages, effort, model, deadline, maxCostUsd, key, tags, java.util.OptionalInt.of(cap), tools,
        stopSequences, passthrough, ttftDeadline);
  }

  public Ask withEffort(Effort level) {
    return new Ask(messages, level, model, deadline, maxCostUsd, key, tags, maxTokens, tools, stopSequences,
        passthrough, ttftDeadline);
  }

  /** The same ask with the time that is left of its deadline (a later step of a plan gets no new one). */
  public Ask withDeadline(Duration left) {
    return new Ask(messages, effort, model, Optional.of(left), maxCostUsd, key, tags, maxTokens, tools, stopSequences,
        passthrough, ttftDeadline);
  }

  public Ask withTtftDeadline(Optional<Duration> firstToken) {
    return new Ask(messages, effort, model, deadline, maxCostUsd, key, tags, maxTokens, tools, stopSequences,
        passthrough, firstToken);
  }

  /** Whether any message holds an image (the planner sends those only to models that read images). */
  public boolean hasImages() {
    return messages.stream().anyMatch(m -> m.content().stream().anyMatch(Ask::holdsImage));
  }

  private static boolean holdsImage(Content c) {
    return c instanceof Content.Image
        || (c instanceof Content.ToolResult r && r.content().stream().anyMatch(Ask::holdsImage));
  }

  /** The text of the last user message: what the model is asked to answer. */
  public String prompt() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).text();
      }
    }
    return messages.get(messages.size() - 1).text();
  }
}
