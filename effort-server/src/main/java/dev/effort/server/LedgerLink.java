package dev.effort.server;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Exchange;
import dev.effort.core.Executor;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Usage;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.Ledger;
import dev.effort.server.store.LedgerEntry;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the request's ledger row when the call is over. An answer's row is committed before the
 * client gets the answer (nothing answered is lost: an answer whose row cannot be written is not
 * sent); a failure's row has the status and message the client is told, and what the call was
 * charged. Placed after the links that refuse requests: a request refused before its plan ran
 * cost nothing and is counted in the metrics ({@code effort_requests_total} by status), not kept
 * as a row, so that a flood of bad requests cannot grow the ledger.
 */
final class LedgerLink implements Executor.ExchangeLink {
  private static final Logger LOG = Logger.getLogger(LedgerLink.class.getName());

  private final Ledger ledger;

  LedgerLink(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Answer run(Exchange exchange, Executor.ExchangeChain next) {
    Answer answer;
    try {
      answer = next.proceed(exchange);
    } catch (RuntimeException failure) {
      try {
        if (WireError.clientGone(failure)) {
          append(exchange, null, 499, "the client closed the connection before the answer was complete");
        } else {
          WireError told = WireError.of(failure);
          append(exchange, null, told.status(), told.getMessage());
        }
      } catch (RuntimeException ledgerDown) {
        LOG.log(Level.SEVERE, "could not write the ledger entry of a failed request", ledgerDown);
      }
      throw failure;
    }
    append(exchange, answer, 200, null);
    return answer;
  }

  /** @param answer null for a failure: the row then has what the call was charged, if anything */
  private void append(Exchange exchange, Answer answer, int status, String error) {
    Ask ask = exchange.ask();
    PlannedAsk p = exchange.planned().orElse(null);
    String models = "";
    Usage usage = Usage.ZERO;
    double cost = 0;
    Long ttftMs = null;
    Optional<Exchange.Charge> cut = exchange.charged();
    if (answer != null) {
      models = String.join(",", answer.trace().steps().stream().map(s -> s.completion().model()).toList());
      usage = answer.usage();
      cost = answer.costUsd();
      ttftMs = answer.ttft().toMillis();
    } else if (cut.isPresent()) {
      models = cut.get().model();
      usage = cut.get().usage();
      cost = cut.get().costUsd();
    }
    ledger.append(new LedgerEntry(LedgerEntry.NEW, exchange.get(ApiKey.class).map(ApiKey::id).orElse(null),
        exchange.started(), ask.tags().getOrDefault("api", "-"), ask.effort(), p == null ? null : p.applied(),
        p == null ? "" : p.plan().describe(), models, usage.inputTokens(), usage.outputTokens(), usage.thinkingTokens(),
        cost, ttftMs, exchange.elapsed().toMillis(), status, p == null ? null : p.downgrade().orElse(null), error));
  }
}
