package dev.effort.langchain4j;

import dev.effort.core.Effort;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.time.Duration;
import java.util.Objects;

/**
 * LangChain4j request parameters with Effort's own: the level, a deadline and a cost cap for one
 * request. Each is optional; the level wins over a level named by the model name ({@code effort-high}).
 */
public class EffortRequestParameters extends DefaultChatRequestParameters {
  private final Effort effort;
  private final Duration deadline;
  private final Double maxCostUsd;

  protected EffortRequestParameters(Builder builder) {
    super(builder);
    this.effort = builder.effort;
    this.deadline = builder.deadline;
    this.maxCostUsd = builder.maxCostUsd;
  }

  /** The level asked for, or null to take it from the model name or the model's default. */
  public Effort effort() {
    return effort;
  }

  /** The latency budget, or null for the client's. */
  public Duration deadline() {
    return deadline;
  }

  /** The cost cap in USD, or null for the client's. */
  public Double maxCostUsd() {
    return maxCostUsd;
  }

  @Override
  public ChatRequestParameters overrideWith(ChatRequestParameters that) {
    return builder().overrideWith(this).overrideWith(that).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EffortRequestParameters that && super.equals(o) && effort == that.effort
        && Objects.equals(deadline, that.deadline) && Objects.equals(maxCostUsd, that.maxCostUsd);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), effort, deadline, maxCostUsd);
  }

  @Override
  public String toString() {
    return "EffortRequestParameters{effort=" + effort + ", deadline=" + deadline + ", maxCostUsd=" + maxCostUsd + ", "
        + super.toString() + "}";
  }

  public static Builder builder() {
    return new Builder();
  }

  public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
    private Effort effort;
    private Duration deadline;
    private Double maxCostUsd;

    /** Takes every parameter {@code parameters} sets, Effort's own included. */
    @Override
    public Builder overrideWith(ChatRequestParameters parameters) {
      super.overrideWith(parameters);
      if (parameters instanceof EffortRequestParameters p) {
        effort = p.effort != null ? p.effort : effort;
        deadline = p.deadline != null ? p.deadline : deadline;
        maxCostUsd = p.maxCostUsd != null ? p.maxCostUsd : maxCostUsd;
      }
      return this;
    }

    public Builder effort(Effort value) {
      this.effort = value;
      return this;
    }

    public Builder deadline(Duration value) {
      this.deadline = value;
      return this;
    }

    public Builder maxCostUsd(Double value) {
      this.maxCostUsd = value;
      return this;
    }

    @Override
    public EffortRequestParameters build() {
      return new EffortRequestParameters(this);
    }
  }
}
