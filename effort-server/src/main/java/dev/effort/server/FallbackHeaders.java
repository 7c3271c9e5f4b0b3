package dev.effort.server;

import dev.effort.core.Deltas;
import dev.effort.core.Forwarding;
import dev.effort.core.PlannedAsk;
import io.helidon.webserver.http.ServerResponse;

/**
 * A client's stream whose headers follow the plan that runs: a fallback chooses its plan before
 * the stream's first byte, so the headers can still say what answered and why.
 */
final class FallbackHeaders extends Forwarding {
  private final SseSink sink;
  private final ServerResponse res;
  private final PlannedAsk asked;

  FallbackHeaders(Deltas stream, SseSink sink, ServerResponse res, PlannedAsk asked) {
    super(stream);
    this.sink = sink;
    this.res = res;
    this.asked = asked;
  }

  @Override
  public void plan(PlannedAsk planned) {
    if (planned != asked && !sink.started()) {
      EffortTrace.planHeaders(res, planned);
      res.header("Effort-Fallback", EffortTrace.headerValue("plan " + asked.plan().describe()
          + " could not run; answered by " + planned.plan().describe()));
    }
    super.plan(planned);
  }
}
