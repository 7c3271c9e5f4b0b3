package dev.effort.server;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.time.Duration;

/**
 * The official SDKs as clients of a gateway on {@code port}: no retries (a test sees every
 * answer as it came), and keys that must never reach an upstream.
 */
final class SdkClients {
  private SdkClients() {}

  static OpenAIClient openAi(int port) {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://localhost:" + port + "/v1")
        .apiKey("sk-client-key-not-forwarded")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  static AnthropicClient anthropic(int port) {
    return AnthropicOkHttpClient.builder()
        .baseUrl("http://localhost:" + port)
        .apiKey("sk-ant-client-not-a-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * Closes what was opened, in order: SDK clients (which are not {@link AutoCloseable}), gateways,
   * upstreams; what {@code @BeforeAll} never got to open is null.
   */
  static void closeAll(Object... opened) throws Exception {
    for (Object o : opened) {
      switch (o) {
        case null -> { }
        case OpenAIClient c -> c.close();
        case AnthropicClient c -> c.close();
        case AutoCloseable c -> c.close();
        default -> throw new IllegalArgumentException("cannot close a " + o.getClass().getName());
      }
    }
  }
}
