package dev.effort.benchmarks.faults;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A fault asked for in a prompt: {@code [fault:NAME]} on every request that carries it, or
 * {@code [fault:NAMExN:TOKEN]} on only the first N requests carrying that token, so that a retry
 * through a gateway succeeds deterministically. NAME is a {@link Fault} as written, e.g.
 * {@code 429@2} or {@code slow@1500}.
 *
 * @param times how many requests with {@code token} get the fault; empty: every one
 * @param token names the requests counted together; empty without {@code times}
 */
public record FaultDirective(Fault fault, OptionalInt times, String token) {

  /** Labels spelled out, so that a label ending in a letter cannot swallow the {@code x} of {@code xN}. */
  private static final Pattern DIRECTIVE = Pattern.compile("\\[fault:("
      + Arrays.stream(Fault.Kind.values()).map(k -> Pattern.quote(k.label())).collect(Collectors.joining("|"))
      + ")(@\\d+)?(?:x(\\d+):([A-Za-z0-9_.-]+))?]");
  private static final Pattern ANY = Pattern.compile("\\[fault:[^\\]]*]");

  /**
   * The directive in {@code text}, if any.
   *
   * @throws IllegalArgumentException for a {@code [fault:...]} that is not a directive (a typo
   *     must fail a test, not answer normally)
   */
  public static Optional<FaultDirective> find(String text) {
    Matcher m = DIRECTIVE.matcher(text);
    if (m.find()) {
      Fault fault = Fault.parse(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
      return Optional.of(m.group(3) == null ? new FaultDirective(fault, OptionalInt.empty(), "")
          : new FaultDirective(fault, OptionalInt.of(Integer.parseInt(m.group(3))), m.group(4)));
    }
    Matcher any = ANY.matcher(text);
    if (any.find()) {
      throw new IllegalArgumentException("not a fault directive: " + any.group() + "; write [fault:NAME] or"
          + " [fault:NAMExN:TOKEN], NAME one of " + Fault.Kind.accepted() + ", optionally with @NUMBER");
    }
    return Optional.empty();
  }

  /** The directive as it is written in a prompt. */
  @Override
  public String toString() {
    return "[fault:" + fault + (times.isPresent() ? "x" + times.getAsInt() + ":" + token : "") + "]";
  }

  /** {@code [fault:NAME]}: every request carrying it. */
  public static String always(Fault fault) {
    return new FaultDirective(fault, OptionalInt.empty(), "").toString();
  }

  /** {@code [fault:NAMExN:TOKEN]}: only the first {@code times} requests carrying {@code token}. */
  public static String firstTimes(Fault fault, int times, String token) {
    return new FaultDirective(fault, OptionalInt.of(times), token).toString();
  }
}
