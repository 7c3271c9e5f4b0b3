package dev.effort.server.traces;

import io.opentelemetry.context.Context;

/**
 * The request's span as a parent, left on the exchange: each attempt's span is its child, on
 * whichever thread the attempt runs (a hedge's racers and a cascade's probes run on their own).
 */
record RequestSpan(Context context) {}
