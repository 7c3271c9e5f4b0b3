package dev.effort.langchain4j;

import dev.effort.core.Answer;
import dev.effort.core.Trace;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.Objects;

/** A response's metadata with what Effort did: the whole {@link Answer}, its trace and cost. */
public class EffortResponseMetadata extends ChatResponseMetadata {
  private final Answer answer;

  protected EffortResponseMetadata(Builder builder) {
    super(builder);
    this.answer = Objects.requireNonNull(builder.answer, "answer");
  }

  /** Everything the ask returned: content, usage, cost, latency, trace. */
  public Answer answer() {
    return answer;
  }

  /** The level asked and applied, the plan, each step, the notes (why it was lowered, a cascade's choice). */
  public Trace trace() {
    return answer.trace();
  }

  public double costUsd() {
    return answer.costUsd();
  }

  @Override
  public Builder toBuilder() {
    return ((Builder) super.toBuilder(new Builder())).answer(answer);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EffortResponseMetadata that && super.equals(o) && answer.equals(that.answer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), answer);
  }

  @Override
  public String toString() {
    return "EffortResponseMetadata{" + super.toString() + ", plan=" + answer.trace().plan().describe()
        + ", costUsd=" + answer.costUsd() + "}";
  }

  public static Builder builder() {
    return new Builder();
  }

  public static class Builder extends ChatResponseMetadata.Builder<Builder> {
    private Answer answer;

    public Builder answer(Answer value) {
      this.answer = value;
      return this;
    }

    @Override
    public EffortResponseMetadata build() {
      return new EffortResponseMetadata(this);
    }
  }
}
