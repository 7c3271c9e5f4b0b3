package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Effort;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
  @TempDir Path dir;

  @Test
  void readsEverySettingWithPathsRelativeToTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("effort.yaml"), """
        port: 9090
        data: recorded
        default_effort: medium
        max_body_bytes: 2048
        router: r.bin
        target: 0.95
        providers:
          - name: local
            type: openai-compatible
            base_url: http://localhost:8000
            api_key_env: LOCAL_KEY
            models: [qwen3-8b]
        catalog:
          - id: qwen3-8b
            provider: local
            input_usd_per_million: 0.1
            output_usd_per_million: 0.2
            ttft_ms: 200
            output_tokens_per_second: 80
            context_window: 32768
            source: measured on our own vLLM node
        """);
    GatewayConfig c = GatewayConfig.read(file);
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.data()).contains(dir.toAbsolutePath().resolve("recorded"));
    assertThat(c.defaultEffort()).isEqualTo(Effort.MEDIUM);
    assertThat(c.maxBodyBytes()).isEqualTo(2048);
    assertThat(c.router()).contains(dir.toAbsolutePath().resolve("r.bin"));
    assertThat(c.target()).isEqualTo(0.95);
    assertThat(c.providers()).singleElement().satisfies(p -> {
      assertThat(p.type()).isEqualTo("openai-compatible");
      assertThat(p.apiKeyEnv()).isEqualTo("LOCAL_KEY");
      assertThat(p.models()).containsExactly("qwen3-8b");
    });
    assertThat(Fleets.withOverrides(dev.effort.core.Catalog.builtIn(), c.catalog()).model("qwen3-8b").ttftMs()).isEqualTo(200);
  }

  @Test
  void anEmptyFileMeansTheDefaults() throws Exception {
    assertThat(GatewayConfig.read(Files.writeString(dir.resolve("e.yaml"), ""))).isEqualTo(GatewayConfig.defaults());
  }

  @Test
  void aMisspeltKeyIsAnErrorListingTheAcceptedOnes() throws Exception {
    Path file = Files.writeString(dir.resolve("e.yaml"), "default_efort: low\n");
    assertThatThrownBy(() -> GatewayConfig.read(file)).hasMessageContaining("unknown key 'default_efort'")
        .hasMessageContaining("default_effort");
  }

  @Test
  void anUnknownProviderTypeIsAnErrorListingTheTypes() throws Exception {
    Path file = Files.writeString(dir.resolve("e.yaml"), """
        providers:
          - {name: x, type: gemini, base_url: http://x, models: [m]}
        """);
    assertThatThrownBy(() -> GatewayConfig.read(file)).hasMessageContaining("'gemini'").hasMessageContaining("openai-compatible");
  }

  @Test
  void autoIsNotADefaultLevel() throws Exception {
    Path file = Files.writeString(dir.resolve("e.yaml"), "default_effort: auto\n");
    assertThatThrownBy(() -> GatewayConfig.read(file)).hasMessageContaining("fixed level");
  }
}
