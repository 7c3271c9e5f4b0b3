package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Answer;
import dev.effort.core.Deltas;

/** One client wire format: OpenAI Chat Completions, Anthropic Messages or the OpenAI Responses API. */
interface WireFormat {

  /** {@code openai}, {@code anthropic} or {@code responses}, as in metrics. */
  String name();

  /**
   * The upstream format whose passthrough fields this client format's requests carry: a provider
   * of that format gets them ({@link dev.effort.core.Passthrough#forwardsTo}).
   */
  default String upstreamFormat() {
    return name();
  }

  /** @throws WireError when the body is not a valid request of this format */
  ChatRequest parse(JsonNode body);

  /**
   * This format as it answers the request {@code body} (already parsed): a format whose response
   * echoes request fields (the Responses API's Response object) binds them here.
   */
  default WireFormat answering(JsonNode body) {
    return this;
  }

  /** The whole response body, with the {@code effort} trace object added. */
  ObjectNode response(Answer answer, String id, ObjectNode effort);

  /** The error body of this format. */
  byte[] error(WireError error);

  /**
   * A stream of server-sent events in this format; events are written as the answer's deltas
   * arrive. {@code modelHint} names the model before the answer does.
   */
  Stream stream(SseSink sink, String id, String modelHint, long inputTokensEstimate);

  /** Deltas in, events out; {@link #finish} or {@link #fail} ends it. */
  interface Stream extends Deltas {
    void finish(Answer answer, ObjectNode effort);

    /** Ends a stream that failed after it started, with this format's error event. */
    void fail(WireError error);
  }
}
