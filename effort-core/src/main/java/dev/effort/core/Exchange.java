package dev.effort.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request on its way through the {@link Executor}'s chain: what the links read and fill as
 * they go. The ask (read by a link when the chain starts before it, as the gateway's does: it
 * authenticates first), the ceiling on its level, the plan once planned, where the answer streams
 * to, every upstream attempt made for it with its cost, and whatever a link leaves for a later one
 * ({@link #put}).
 *
 * <p>Not thread-safe but for its attempts: the links of one request run one after the other on its
 * thread; a hedge's racing calls log their attempts from theirs.
 */
public final class Exchange {

  /** What a request cost that left no answer to show for it: a stream cut short is billed for what it sent. */
  public record Charge(String model, Usage usage, double costUsd) {
    public Charge {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(usage, "usage");
    }
  }

  private final Instant started = Instant.now();
  private final long startedNanos = System.nanoTime();
  private Ask ask;
  private Deltas deltas = Deltas.NONE;
  private Optional<Planner.Ceiling> ceiling = Optional.empty();
  private PlannedAsk planned;
  private final List<Attempt> attempts = new ArrayList<>();
  private Map<Class<?>, Object> tags;

  /** An exchange whose ask a link of the chain reads. */
  public Exchange() {}

  public Exchange(Ask ask) {
    ask(ask);
  }

  /** When the request arrived. */
  public Instant started() {
    return started;
  }

  /** Time since the request arrived. */
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** @throws IllegalStateException before a link has read the ask */
  public Ask ask() {
    if (ask == null) {
      throw new IllegalStateException("no ask yet: a link before this one must read it");
    }
    return ask;
  }

  public void ask(Ask ask) {
    this.ask = Objects.requireNonNull(ask, "ask");
  }

  /** Where the answer streams to; {@link Deltas#NONE} for a whole answer. */
  public Deltas deltas() {
    return deltas;
  }

  /** Streams the answer to {@code deltas}: the client's stream, or a link's watch on it. */
  public void deltas(Deltas deltas) {
    this.deltas = Objects.requireNonNull(deltas, "deltas");
  }

  /** A level the plan must not exceed (a key's {@code max_effort}), for every planning of this ask. */
  public Optional<Planner.Ceiling> ceiling() {
    return ceiling;
  }

  public void ceiling(Planner.Ceiling ceiling) {
    this.ceiling = Optional.of(ceiling);
  }

  /** The plan, once planned. */
  public Optional<PlannedAsk> planned() {
    return Optional.ofNullable(planned);
  }

  /** Sets or replaces the plan (the budget may lower it); its ask becomes the exchange's ask. */
  public void plan(PlannedAsk planned) {
    this.planned = Objects.requireNonNull(planned, "planned");
    this.ask = planned.ask();
  }

  /** Logs an upstream attempt made for this request (by the {@link Executor}, as each ends). */
  public void attempted(Attempt attempt) {
    synchronized (attempts) {
      attempts.add(Objects.requireNonNull(attempt, "attempt"));
    }
  }

  /** Every upstream attempt made for this request so far, in the order they ended. */
  public List<Attempt> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /**
   * What the request's attempts cost when it has no answer to show for them (a stream cut short,
   * a cascade whose escalation failed, a hedge's loser), if anything.
   */
  public Optional<Charge> charged() {
    List<Attempt> all = attempts();
    Usage usage = Attempt.usage(all);
    double cost = Attempt.costUsd(all);
    if (cost == 0 && usage.equals(Usage.ZERO)) {
      return Optional.empty();
    }
    return Optional.of(new Charge(String.join(",", all.stream().map(Attempt::model).distinct().toList()), usage, cost));
  }

  /** What a link left here under {@code type}: an API key, a budget reservation, … */
  public <T> Optional<T> get(Class<T> type) {
    return tags == null ? Optional.empty() : Optional.ofNullable(type.cast(tags.get(type)));
  }

  /** Leaves {@code value} for later links, under its type; returns it. */
  public <T> T put(Class<T> type, T value) {
    if (tags == null) {
      tags = new HashMap<>();
    }
    tags.put(type, Objects.requireNonNull(value, "value"));
    return value;
  }
}
