package dev.effort.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Completion;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Plan;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Provider;
import dev.effort.core.ProviderException;
import dev.effort.core.Step;
import dev.effort.core.Usage;
import dev.effort.core.resilience.BreakerSettings;
import dev.effort.core.resilience.ChooseDeployment;
import dev.effort.core.resilience.Deployment;
import dev.effort.core.resilience.Deployments;
import dev.effort.core.resilience.Hedge;
import dev.effort.core.resilience.RetryPolicy;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A hedge races two attempts on threads of their own: both spans are still children of the
 * request's span (its context travels on the exchange, not the thread), the loser's marked cancelled.
 */
class HedgeSpansTest {

  /** The first call waits until cancelled; every later one answers at once. */
  static final class FirstCallHangs implements Provider {
    final AtomicInteger calls;
    final String name;

    FirstCallHangs(String name, AtomicInteger calls) {
      this.name = name;
      this.calls = calls;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Completion complete(Ask ask, Step step) {
      if (calls.getAndIncrement() == 0) {
        try {
          Thread.sleep(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "cancelled while waiting");
      }
      return new Completion(step.model(), "4", new Usage(12, 3, 0), 0.001, Duration.ofMillis(5), Duration.ofMillis(9));
    }
  }

  @Test
  void aHedgesRacersAreBothChildrenOfTheRequestSpanTheLoserCancelled() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build()) {
      Tracing tracing = Tracing.with(sdk);
      AtomicInteger calls = new AtomicInteger();
      Deployments deployments = new Deployments(Map.of("m", List.of(
          new Deployment("east", new FirstCallHangs("east", calls), 1, RetryPolicy.DEFAULT),
          new Deployment("west", new FirstCallHangs("west", calls), 1, RetryPolicy.DEFAULT))),
          Deployments.Balance.WEIGHT, BreakerSettings.DEFAULT, System::nanoTime);
      List<Executor.CallLink> callLinks = new ArrayList<>(List.of(new ChooseDeployment(deployments), new Hedge()));
      callLinks.addAll(tracing.attemptLinks());
      Executor executor = new Executor(deployments, tracing.requestLinks(m -> "fake"), List.of(), callLinks,
          Executor.Spend.NOTHING);

      Ask ask = Ask.of("What is 2+2?", Effort.HIGH).withTtftDeadline(Optional.of(Duration.ofMillis(100)));
      Answer a = executor.execute(new PlannedAsk(ask, Effort.HIGH, Plan.single("m"), List.of()));
      assertThat(a.text()).isEqualTo("4");

      List<SpanData> all = spans.getFinishedSpanItems();
      SpanData request = all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      List<SpanData> attempts = all.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
      assertThat(attempts).hasSize(2).allSatisfy(s -> {
        assertThat(s.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(s.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(s.getName()).isEqualTo("chat m");
      });
      assertThat(attempts).extracting(s -> s.getAttributes().get(SpanNames.OUTCOME))
          .containsExactlyInAnyOrder("answered", "cancelled");
      SpanData loser = attempts.stream().filter(s -> "cancelled".equals(s.getAttributes().get(SpanNames.OUTCOME)))
          .findFirst().orElseThrow();
      assertThat(loser.getStatus().getStatusCode()).as("a cancelled racer did nothing wrong").isEqualTo(StatusCode.UNSET);
      assertThat(request.getAttributes().get(SpanNames.PLAN)).isEqualTo("single(m)");
      assertThat(request.getAttributes().get(SpanNames.ATTEMPTS)).isEqualTo(2L);
    }
  }
}
