package dev.effort.core.resilience;

import dev.effort.core.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Every deployment of every model, with the health of each: its circuit and its recent latency.
 * Decides the order in which a model's deployments are tried.
 */
public final class Deployments {
  /** How a model's traffic is spread over its deployments. */
  public enum Balance {
    /** At random, in proportion to their weights. */
    WEIGHT,
    /** The one answering fastest lately first (an untried one before any). */
    LATENCY;

    public static Balance parse(String value) {
      return switch (value) {
        case "weight" -> WEIGHT;
        case "latency" -> LATENCY;
        default -> throw new IllegalArgumentException("balance: '" + value + "' is not one of weight, latency");
      };
    }
  }

  /** A deployment's health, as {@code /healthz} and {@code /metrics} show it. */
  public record Health(String model, String deployment, CircuitBreaker.State state, long timesOpened,
      Duration latency, long calls, long failures) {}

  private final Function<String, List<Deployment>> byModel;
  private final Balance balance;
  private final BreakerSettings breaker;
  private final LongSupplier nanos;
  private final Map<String, List<Deployment>> known = new ConcurrentHashMap<>();
  private final Map<Key, Stats> stats = new ConcurrentHashMap<>();

  private record Key(String model, String deployment) {}

  /** Latency (moving average) and counts of one deployment of one model. */
  private static final class Stats {
    final CircuitBreaker circuit;
    double latencyNanos = -1;
    long calls;
    long failures;

    Stats(CircuitBreaker circuit) {
      this.circuit = circuit;
    }
  }

  public Deployments(Map<String, List<Deployment>> byModel, Balance balance, BreakerSettings breaker, LongSupplier nanos) {
    Map<String, List<Deployment>> copy = new LinkedHashMap<>();
    byModel.forEach((model, list) -> {
      if (list.isEmpty()) {
        throw new IllegalArgumentException("model " + model + " has no deployment");
      }
      copy.put(model, List.copyOf(list));
    });
    this.byModel = copy::get;
    this.known.putAll(copy);
    this.balance = balance;
    this.breaker = breaker;
    this.nanos = nanos;
  }

  /** One deployment per model, the provider that serves it, with default retries (a library or bench fleet). */
  public static Deployments single(Function<String, Provider> providers) {
    return new Deployments(model -> {
      Provider p = providers.apply(model);
      return List.of(new Deployment(p.name(), p, 1, RetryPolicy.DEFAULT));
    });
  }

  private Deployments(Function<String, List<Deployment>> byModel) {
    this.byModel = byModel;
    this.balance = Balance.WEIGHT;
    this.breaker = BreakerSettings.DEFAULT;
    this.nanos = System::nanoTime;
  }

  /** Every deployment of {@code model}, in config order. */
  public List<Deployment> of(String model) {
    return known.computeIfAbsent(model, m -> {
      List<Deployment> list = byModel.apply(m);
      if (list == null || list.isEmpty()) {
        throw new IllegalStateException("no provider serves " + m + "; the ladder and config disagree");
      }
      return List.copyOf(list);
    });
  }

  /** The deployments of {@code model} to try, in order; those whose circuit is open are left out. */
  public List<Deployment> ordered(String model) {
    List<Deployment> open = new ArrayList<>();
    for (Deployment d : of(model)) {
      if (stats(model, d).circuit.state() != CircuitBreaker.State.OPEN) {
        open.add(d);
      }
    }
    if (open.size() < 2) {
      return open;
    }
    return switch (balance) {
      case LATENCY -> open.stream().sorted(Comparator.comparingDouble(d -> latency(model, d))).toList();
      case WEIGHT -> byWeight(open);
    };
  }

  /** Whether some deployment of {@code model} would take a call now. */
  public boolean available(String model) {
    return !ordered(model).isEmpty();
  }

  /** When the soonest open circuit of {@code model} lets a probe through. */
  public Duration reopensIn(String model) {
    return of(model).stream().map(d -> stats(model, d).circuit.openFor()).min(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  public CircuitBreaker circuit(String model, Deployment d) {
    return stats(model, d).circuit;
  }

  /** The outcome of one call: its circuit counts it, and its latency moves the average. */
  public void record(String model, Deployment d, boolean failure, Duration elapsed) {
    Stats s = stats(model, d);
    s.circuit.record(failure, elapsed);
    synchronized (s) {
      s.calls++;
      if (failure) {
        s.failures++;
      } else {
        s.latencyNanos = s.latencyNanos < 0 ? elapsed.toNanos() : 0.8 * s.latencyNanos + 0.2 * elapsed.toNanos();
      }
    }
  }

  /** The health of every deployment called or configured so far. */
  public List<Health> health() {
    List<Health> all = new ArrayList<>();
    known.forEach((model, list) -> {
      for (Deployment d : list) {
        Stats s = stats(model, d);
        synchronized (s) {
          all.add(new Health(model, d.name(), s.circuit.state(), s.circuit.timesOpened(),
              Duration.ofNanos((long) Math.max(0, s.latencyNanos)), s.calls, s.failures));
        }
      }
    });
    return all;
  }

  private double latency(String model, Deployment d) {
    Stats s = stats(model, d);
    synchronized (s) {
      return s.latencyNanos;
    }
  }

  private Stats stats(String model, Deployment d) {
    return stats.computeIfAbsent(new Key(model, d.name()), k -> new Stats(new CircuitBreaker(breaker, nanos)));
  }

  /** Weighted random order: each next pick in proportion to the weights of those left. */
  private static List<Deployment> byWeight(List<Deployment> list) {
    List<Deployment> left = new ArrayList<>(list);
    List<Deployment> order = new ArrayList<>(list.size());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!left.isEmpty()) {
      int total = left.stream().mapToInt(Deployment::weight).sum();
      int r = random.nextInt(total);
      for (int i = 0; i < left.size(); i++) {
        r -= left.get(i).weight();
        if (r < 0) {
          order.add(left.remove(i));
          break;
        }
      }
    }
    return order;
  }
}
