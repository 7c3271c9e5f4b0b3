package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Completion;
import dev.effort.core.Effort;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Message;
import dev.effort.core.Planner;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import dev.effort.server.limits.Reservation;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.LedgerEntry;
import dev.effort.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governance links in chains shorter than the gateway's, around a provider that answers or fails. */
class GovernanceChainTest {
  static final double DAILY_BUDGET_USD = 1.0;
  @TempDir Path dir;
  Store store;
  Governance governance;
  final Planner planner = new Planner(Ladder.routerBench(), Catalog.builtIn(), Effort.LOW);

  @BeforeEach
  void open() {
    store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    governance = new Governance(store, Optional.empty(), Optional.empty(), Governance.OverBudget.LOWER, Optional.empty(),
        TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    governance.close();
  }

  /** Every model of the ladder served by {@code provider}. */
  static Fleet fleet(Provider provider) {
    Map<String, Provider> all = Ladder.routerBench().models().stream().collect(Collectors.toMap(Function.identity(), m -> provider));
    return Fleet.of(Catalog.builtIn(), Ladder.routerBench(), all, "test");
  }

  static Provider answering(double costUsd) {
    return provider(step -> new Completion(step.model(), "D", new Usage(10, 1, 0), costUsd, Duration.ZERO, Duration.ZERO));
  }

  static Provider provider(Function<Step, Completion> complete) {
    return new Provider() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public Completion complete(Ask ask, Step step) {
        return complete.apply(step);
      }
    };
  }

  /** A request with {@code secret} as its credentials, asking at {@code level}. */
  static Exchange request(String secret, Effort level) {
    Exchange exchange = new Exchange(new Ask(List.of(Message.user("Which is a fly? A) ant B) fly")), level,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of("api", "openai")));
    exchange.put(AuthenticateLink.Credentials.class, new AuthenticateLink.Credentials(Optional.ofNullable(secret)));
    return exchange;
  }

  /** Whether the key's whole daily budget can still be held: nothing held, nothing spent. */
  boolean budgetUntouched(ApiKey key) {
    var decision = governance.budgets().reserve(Long.toString(key.id()), DAILY_BUDGET_USD, Governance.limits(key), Instant.now());
    if (decision instanceof Reservation r) {
      r.release();
      return true;
    }
    return false;
  }

  @Test
  void aShorterChainPlansWithinTheKeysCeilingAndRecordsTheAnswer() {
    var issued = store.keys().create(KeySpec.named("app").maxEffort(Effort.LOW));
    Executor chain = new Executor(fleet(answering(0.002))::provider, List.of(new AuthenticateLink(governance),
        Executor.planning(planner), new LedgerLink(store.ledger())), List.of());

    Answer answer = chain.execute(request(issued.secret(), Effort.MAX));

    assertThat(answer.trace().applied()).isEqualTo(Effort.LOW);
    LedgerEntry row = store.ledger().get(1).orElseThrow();
    assertThat(row.keyId()).isEqualTo(issued.key().id());
    assertThat(row.status()).isEqualTo(200);
    assertThat(row.askedEffort()).isEqualTo(Effort.MAX);
    assertThat(row.appliedEffort()).isEqualTo(Effort.LOW);
    assertThat(row.costUsd()).isEqualTo(0.002);
  }

  @Test
  void aFailedProviderCallReleasesItsReservationAndLeavesARowWithTheStatusTheClientIsTold() {
    var issued = store.keys().create(KeySpec.named("app").budgetUsdDay(DAILY_BUDGET_USD));
    Provider down = provider(step -> {
      throw new ProviderException(ProviderException.Kind.UNAVAILABLE, step.model() + " is down");
    });
    Executor chain = new Executor(fleet(down)::provider, List.of(new AuthenticateLink(governance),
        Executor.planning(planner), new BudgetLink(governance, planner, fleet(down)), new LedgerLink(store.ledger()),
        new SettleLink()), List.of());

    assertThatThrownBy(() -> chain.execute(request(issued.secret(), Effort.LOW))).isInstanceOf(ProviderException.class);

    LedgerEntry row = store.ledger().get(1).orElseThrow();
    assertThat(row.status()).isEqualTo(502);
    assertThat(row.error()).endsWith("is down");
    assertThat(row.costUsd()).isZero();
    assertThat(budgetUntouched(issued.key())).as("the reservation was released").isTrue();
  }

  @Test
  void anAnswerSettlesItsReservationToItsCost() {
    var issued = store.keys().create(KeySpec.named("app").budgetUsdDay(DAILY_BUDGET_USD));
    Fleet fleet = fleet(answering(0.25));
    Executor chain = new Executor(fleet::provider, List.of(new AuthenticateLink(governance), Executor.planning(planner),
        new BudgetLink(governance, planner, fleet), new LedgerLink(store.ledger()), new SettleLink()), List.of());

    chain.execute(request(issued.secret(), Effort.LOW));

    String keyId = Long.toString(issued.key().id());
    var limits = Governance.limits(issued.key());
    assertThat(governance.budgets().reserve(keyId, 0.75, limits, Instant.now())).as("the rest of the budget")
        .isInstanceOf(Reservation.class);
    assertThat(store.ledger().get(1).orElseThrow().costUsd()).isEqualTo(0.25);
  }

  @Test
  void autoOverItsKeysBudgetChoosesAgainAmongThePlansThatFitAndSaysWhy() {
    // gpt-4 (the reference) always right, mixtral half of the time: at the default target auto takes gpt-4.
    Planner routed = new Planner(Ladder.routerBench(), Catalog.builtIn(), Effort.LOW, Optional.of(SyntheticRouters.trained(
        Map.of("mistralai/mixtral-8x7b-chat", 0.5, "gpt-4-1106-preview", 1.0), "gpt-4-1106-preview")), Planner.DEFAULT_TARGET);
    // 4,000 output tokens: up to $0.12 at gpt-4's prices, $0.003 at mixtral's.
    var issued = store.keys().create(KeySpec.named("app").budgetUsdDay(0.05));
    var poor = store.keys().create(KeySpec.named("poor").budgetUsdDay(0.0005));
    Fleet fleet = fleet(answering(0.002));
    Executor chain = new Executor(fleet::provider, List.of(new AuthenticateLink(governance), Executor.planning(routed),
        new BudgetLink(governance, routed, fleet), new LedgerLink(store.ledger()), new SettleLink()), List.of());
    Function<String, Exchange> autoAsk = secret -> {
      Exchange exchange = new Exchange(request(secret, Effort.AUTO).ask().withMaxTokens(4_000));
      exchange.put(AuthenticateLink.Credentials.class, new AuthenticateLink.Credentials(Optional.of(secret)));
      return exchange;
    };
    assertThat(routed.plan(autoAsk.apply(issued.secret()).ask()).plan().models()).as("without a budget")
        .containsExactly("gpt-4-1106-preview");

    Answer answer = chain.execute(autoAsk.apply(issued.secret()));

    assertThat(answer.trace().applied()).isEqualTo(Effort.AUTO);
    assertThat(answer.trace().plan().models()).containsExactly("mistralai/mixtral-8x7b-chat");
    assertThat(answer.trace().downgrade()).hasValueSatisfying(d -> assertThat(d)
        .contains("key 'app' budget: auto's choice single(gpt-4-1106-preview) may cost up to $0.12")
        .contains("more than the $0.050000 left; chose among the plans that fit it"));
    assertThat(store.ledger().get(1).orElseThrow().costUsd()).isEqualTo(0.002);

    assertThatThrownBy(() -> chain.execute(autoAsk.apply(poor.secret()))).as("not even mixtral fits")
        .isInstanceOfSatisfying(WireError.class, e -> assertThat(e.status()).isEqualTo(429));
    assertThat(store.ledger().count()).as("a refusal is charged nothing and leaves no row").isEqualTo(1);
  }

  @Test
  void aRefusalAfterTheLimitsReleasesWhatTheyHeldAndLeavesNoRow() {
    // Each request takes a permit for its prompt and 300 answer tokens: two unreturned would pass 400.
    var issued = store.keys().create(KeySpec.named("app").budgetUsdDay(DAILY_BUDGET_USD).tpm(400));
    Fleet fleet = fleet(answering(0.002));
    Executor.ExchangeLink refuse = (exchange, next) -> {
      throw WireError.invalid("tool_choice forces a tool the upstream cannot run", "tool_choice");
    };
    Executor chain = new Executor(fleet::provider, List.of(new AuthenticateLink(governance), new RateLimitLink(governance),
        Executor.planning(planner), new BudgetLink(governance, planner, fleet), refuse, new LedgerLink(store.ledger()),
        new SettleLink()), List.of());

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> chain.execute(request(issued.secret(), Effort.LOW)))
          .as("refused by the link, not by the rate limit").isInstanceOfSatisfying(WireError.class,
              e -> assertThat(e.status()).isEqualTo(400));
    }

    assertThat(store.ledger().count()).isZero();
    assertThat(budgetUntouched(issued.key())).as("the reservation was released").isTrue();
  }

  @Test
  void aCallerWithoutAValidKeyIsRefusedBeforeAnyOtherLinkRuns() {
    store.keys().create(KeySpec.named("app"));
    Executor.ExchangeLink mustNotRun = (exchange, next) -> {
      throw new AssertionError("ran after a failed authentication");
    };
    Executor chain = new Executor(fleet(answering(0.002))::provider,
        List.of(new AuthenticateLink(governance), mustNotRun), List.of());

    assertThatThrownBy(() -> chain.execute(request("ek_wrong", Effort.LOW)))
        .isInstanceOfSatisfying(WireError.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> chain.execute(request(null, Effort.LOW)))
        .isInstanceOfSatisfying(WireError.class, e -> assertThat(e.status()).isEqualTo(401));
  }
}
