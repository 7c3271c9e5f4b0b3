package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.PlanForecast;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.server.limits.BudgetRefusal;
import dev.effort.server.limits.EffortFit;
import dev.effort.server.limits.Reservation;
import dev.effort.server.store.ApiKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reserves the plan's worst case against the key's budgets before the call. With no {@code
 * max_tokens} from the client, the output is first capped at what the key has left. When the worst
 * case does not fit: the level is lowered until it does, or auto chooses again among the plans
 * that fit (the default, traced), or the request is refused with a 429 naming the budget, what is
 * left and when it resets. Lowering or choosing again replaces the exchange's plan. The reservation is left in the exchange for {@link SettleLink} to settle to the
 * actual cost; one whose call is never reached is released here.
 */
final class BudgetLink implements Executor.ExchangeLink {
  private static final Logger LOG = Logger.getLogger(BudgetLink.class.getName());

  /** Output cap the gateway sets when the client set none: at most this, within the model's limit. */
  static final int DEFAULT_OUTPUT_CAP = 8_192;

  private final Governance governance;
  private final Planner planner;
  private final Fleet fleet;

  BudgetLink(Governance governance, Planner planner, Fleet fleet) {
    this.governance = governance;
    this.planner = planner;
    this.fleet = fleet;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Optional<ApiKey> key = exchange.get(ApiKey.class);
    if (key.isEmpty() || !Governance.hasBudget(key.get())) {
      return next.proceed(exchange);
    }
    Reservation reservation;
    try {
      reservation = reserve(exchange, key.get());
    } catch (WireError e) {
      throw e;
    } catch (RuntimeException e) {
      // Fail closed, as the rate limiter does: without the budget store a key could overspend.
      LOG.log(Level.WARNING, "budget store unavailable", e);
      throw new WireError(WireError.Kind.UNAVAILABLE, "the budget store is unavailable (" + e.getClass().getSimpleName()
          + "); try again shortly");
    }
    try (reservation) { // closing releases a hold SettleLink did not settle
      exchange.put(Reservation.class, reservation);
      return next.proceed(exchange);
    }
  }

  /** Caps the output, lowers the level when the budget asks for it (replacing the plan), and reserves. */
  private Reservation reserve(Exchange exchange, ApiKey key) {
    PlannedAsk planned = exchange.planned().orElseThrow(
        () -> new IllegalStateException("the budget link reserves a plan: put it after planning"));
    Ask ask = planned.ask();
    Optional<Planner.Ceiling> ceiling = exchange.ceiling();
    long promptTokens = PromptTokens.of(exchange);
    String keyId = Long.toString(key.id());
    var limits = Governance.limits(key);
    Instant now = Instant.now();
    Optional<String> capNote = Optional.empty();
    if (ask.maxTokens().isEmpty()) {
      int cap = outputCap(planned, governance.leftUsd(key, now), promptTokens);
      ask = ask.withMaxTokens(cap);
      capNote = Optional.of("no max_tokens from the client: output capped at " + cap + " tokens (key '" + key.name()
          + "' budget left and the model's output limit), the cap its budget reservation assumes");
      planned = noted(planner.plan(ask, ceiling), capNote);
      exchange.plan(planned);
    }
    Ask capped = ask;
    boolean lower = governance.overBudget() == Governance.OverBudget.LOWER;
    if (lower && !planned.applied().isFixed()) {
      return reserveAuto(exchange, key, planned, promptTokens, capNote, now);
    }
    if (!lower) {
      return switch (governance.budgets().reserve(keyId, worstCase(planned, ask, promptTokens), limits, now)) {
        case Reservation r -> r;
        case BudgetRefusal refusal -> {
          governance.refused(key, Governance.Refusal.BUDGET);
          throw WireError.rateLimited(refusal.message(), refusal.retryAfter(now).toSeconds());
        }
      };
    }
    var fit = governance.budgets().lowerUntilFits(keyId, planned.applied(),
        level -> worstCase(planner.plan(capped.withEffort(level), ceiling), capped, promptTokens), limits, now);
    switch (fit) {
      case BudgetRefusal refusal -> {
        governance.refused(key, Governance.Refusal.BUDGET);
        throw WireError.rateLimited(refusal.message(), refusal.retryAfter(now).toSeconds());
      }
      case EffortFit.Fitted fitted -> {
        if (fitted.lowered()) {
          exchange.plan(noted(planner.plan(capped, Optional.of(new Planner.Ceiling(fitted.effort(), String.format(Locale.ROOT,
              "key '%s' budget: the plan at %s may cost up to $%.6f, more than is left", key.name(), planned.applied(),
              worstCase(planned, capped, promptTokens))))), capNote));
        }
        return fitted.reservation();
      }
    }
  }

  /**
   * Auto with a router chose among candidates, not levels, so it is not lowered a level at a time:
   * when its plan's worst case does not fit, it chooses again among the candidates whose worst case
   * fits what the key has left (traced, with a downgrade reason); when none does, the 429 names the
   * budget.
   */
  private Reservation reserveAuto(Exchange exchange, ApiKey key, PlannedAsk planned, long promptTokens,
      Optional<String> capNote, Instant now) {
    String keyId = Long.toString(key.id());
    var limits = Governance.limits(key);
    Ask ask = planned.ask();
    double worst = worstCase(planned, ask, promptTokens);
    BudgetRefusal refused;
    switch (governance.budgets().reserve(keyId, worst, limits, now)) {
      case Reservation r -> {
        return r;
      }
      case BudgetRefusal refusal -> refused = refusal;
    }
    double left = governance.leftUsd(key, now);
    Optional<PlannedAsk> within = planner.planAuto(ask, plan -> worstCase(plan, ask, promptTokens) <= left);
    if (within.isPresent()
        && governance.budgets().reserve(keyId, worstCase(within.get(), ask, promptTokens), limits, now) instanceof Reservation r) {
      String reason = String.format(Locale.ROOT, "key '%s' budget: auto's choice %s may cost up to $%.6f, more than the"
          + " $%.6f left; chose among the plans that fit it", key.name(), planned.plan().describe(), worst, left);
      PlannedAsk chosen = within.get();
      List<String> notes = new ArrayList<>(chosen.notes());
      notes.add(reason);
      exchange.plan(noted(new PlannedAsk(ask, chosen.applied(), chosen.plan(), notes, Optional.of(reason), chosen.unmet()),
          capNote));
      return r;
    }
    governance.refused(key, Governance.Refusal.BUDGET);
    throw WireError.rateLimited(refused.message(), refused.retryAfter(now).toSeconds());
  }

  /**
   * The largest output cap, up to {@link #DEFAULT_OUTPUT_CAP} and the plan's models' output limits,
   * whose worst case fits what the key has left: the cap then goes upstream and the reservation is
   * for exactly it. When not even a small answer fits, the reservation refuses or lowers the level.
   */
  private int outputCap(PlannedAsk planned, double leftUsd, long promptTokens) {
    int upper = DEFAULT_OUTPUT_CAP;
    for (dev.effort.core.Step step : planned.plan().steps()) {
      int limit = fleet.catalog().model(step.model()).maxOutputTokens();
      if (limit > 0) {
        upper = Math.min(upper, limit);
      }
    }
    Ask ask = planned.ask();
    if (worstCase(planned, ask.withMaxTokens(upper), promptTokens) <= leftUsd) {
      return upper;
    }
    int lo = 1;
    int hi = upper;
    if (worstCase(planned, ask.withMaxTokens(lo), promptTokens) > leftUsd) {
      return Math.min(upper, 256); // nothing fits: the reservation will say so
    }
    while (lo < hi) { // the largest cap that fits: worst case rises with the cap
      int mid = (lo + hi + 1) >>> 1;
      if (worstCase(planned, ask.withMaxTokens(mid), promptTokens) <= leftUsd) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static PlannedAsk noted(PlannedAsk p, Optional<String> note) {
    if (note.isEmpty()) {
      return p;
    }
    List<String> notes = new ArrayList<>(p.notes());
    notes.add(note.get());
    return new PlannedAsk(p.ask(), p.applied(), p.plan(), notes, p.downgrade(), p.unmet());
  }

  /**
   * What the plan can cost at most: the output cap each provider sends upstream (thinking
   * included), and the prompt as counted here with a margin (cl100k undercounts other tokenizers).
   */
  private double worstCase(PlannedAsk planned, Ask ask, long promptTokens) {
    return worstCase(planned.plan(), ask, promptTokens);
  }

  private double worstCase(dev.effort.core.Plan plan, Ask ask, long promptTokens) {
    long prompt = promptTokens + promptTokens / 4 + 16L * ask.messages().size();
    return PlanForecast.of(plan, ask, fleet.catalog(), prompt,
        step -> fleet.provider(step.model()).outputCap(ask, step)).costUsd();
  }
}
