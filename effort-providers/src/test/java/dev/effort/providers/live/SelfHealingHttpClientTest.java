package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Message;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HttpClient dies for good ("selector manager closed") when one request's timeout
 * overflows its clock arithmetic. No client input may get there (the timeout is clamped), and a
 * shared client that dies anyway is replaced, so that later calls work.
 */
class SelfHealingHttpClientTest {

  @Test
  void aDeadClientIsReplacedAndTheNextCallSucceeds() throws Exception {
    try (TestUpstream upstream = TestUpstream.start()) {
      upstream.reply(TestUpstream.json(200, "{\"ok\":true}"));
      AtomicInteger made = new AtomicInteger();
      SelfHealingHttpClient client = new SelfHealingHttpClient(() -> {
        made.incrementAndGet();
        return LiveProviders.newHttpClient();
      });
      HttpClient first = client.live();
      first.shutdownNow(); // dead, as a client whose selector manager ended
      assertThat(first.awaitTermination(Duration.ofSeconds(10))).isTrue();

      HttpResponse<String> after = client.send(HttpRequest.newBuilder(upstream.baseUrl().resolve("/y")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(made.get()).as("clients made: the first and its replacement").isEqualTo(2);
    }
  }

  @Test
  void afterARequestWhoseTimeoutOverflowsTheNextCallSucceeds() throws Exception {
    try (TestUpstream upstream = TestUpstream.start()) {
      // A slow answer: the client's timer for the request is armed (and overflows) before it arrives.
      upstream.reply(exchange -> {
        Thread.sleep(300);
        TestUpstream.json(200, "{\"ok\":true}").send(exchange);
      });
      HttpClient client = new SelfHealingHttpClient(LiveProviders::newHttpClient);
      HttpRequest killer = HttpRequest.newBuilder(upstream.baseUrl().resolve("/x")).timeout(Duration.ofMillis(Long.MAX_VALUE)).build();
      try {
        client.sendAsync(killer, HttpResponse.BodyHandlers.ofString()).get();
      } catch (java.util.concurrent.ExecutionException usually) {
        // the request that kills the JDK client ("selector manager closed") fails itself
      }

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> after = client.send(HttpRequest.newBuilder(upstream.baseUrl().resolve("/y")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void aHugeDeadlineIsClampedBeforeItReachesTheHttpClient() {
    for (Duration huge : List.of(Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(400))) {
      Ask ask = new Ask(List.of(Message.user("hi")), Effort.LOW, Optional.empty(), Optional.of(huge), Optional.empty(),
          Optional.empty(), Map.of());
      assertThat(UpstreamHttp.timeoutOf(ask)).isEqualTo(UpstreamHttp.MAX_TIMEOUT);
    }
  }

  @Test
  void theSharedClientSurvivesAnAskWithAHugeDeadline() {
    try (TestUpstream upstream = TestUpstream.start()) {
      upstream.reply(TestUpstream.json(200, "{\"id\":\"1\",\"object\":\"chat.completion\",\"model\":\"gpt-5\",\"choices\":"
          + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"4\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}"));
      var provider = LiveProviders.create("openai", new Upstream("oai", upstream.baseUrl(), "k", ""), dev.effort.core.Catalog.builtIn());
      var step = new dev.effort.core.Step("gpt-5", Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty());
      Ask huge = new Ask(List.of(Message.user("2+2?")), Effort.LOW, Optional.empty(),
          Optional.of(Duration.ofMillis(Long.MAX_VALUE)), Optional.empty(), Optional.empty(), Map.of());

      assertThat(provider.complete(huge, step).text()).isEqualTo("4");
      assertThat(provider.complete(huge.withEffort(Effort.MEDIUM), step).text()).isEqualTo("4");
    }
  }
}
