package dev.effort.server.traces;

import io.opentelemetry.context.Context;

/** The trace the client's request belongs to ({@code traceparent}): the request span's parent. */
record ClientTrace(Context context) {}
