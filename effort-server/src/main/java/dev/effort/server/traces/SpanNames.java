package dev.effort.server.traces;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The names on Effort's spans: the OpenTelemetry GenAI semantic conventions for what any LLM call
 * has (operation, models, token usage, provider), {@code effort.*} for what the dial did.
 */
final class SpanNames {
  private SpanNames() {}

  /** The GenAI operation of every span here: a chat completion. */
  static final String CHAT = "chat";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  /** The provider's name under the current conventions, and its older name ({@code gen_ai.system}) for older backends. */
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  /** Output tokens, thinking included (as OpenAI's {@code completion_tokens} counts them). */
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final AttributeKey<String> ASKED = AttributeKey.stringKey("effort.asked");
  static final AttributeKey<String> APPLIED = AttributeKey.stringKey("effort.applied");
  static final AttributeKey<String> PLAN = AttributeKey.stringKey("effort.plan");
  static final AttributeKey<String> DOWNGRADE_REASON = AttributeKey.stringKey("effort.downgrade_reason");
  static final AttributeKey<String> FALLBACK = AttributeKey.stringKey("effort.fallback");
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("effort.cost_usd");
  static final AttributeKey<Long> THINKING_TOKENS = AttributeKey.longKey("effort.usage.thinking_tokens");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("effort.attempts");
  static final AttributeKey<Long> TTFT_MS = AttributeKey.longKey("effort.ttft_ms");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("effort.request_id");
  static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("effort.deployment");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("effort.outcome");
  static final AttributeKey<String> STEP_EFFORT = AttributeKey.stringKey("effort.step.native_effort");
  static final AttributeKey<Long> STEP_THINKING_BUDGET = AttributeKey.longKey("effort.step.thinking_budget_tokens");
}
