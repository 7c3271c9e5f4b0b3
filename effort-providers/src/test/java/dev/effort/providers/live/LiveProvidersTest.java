package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Catalog;
import dev.effort.core.Provider;
import java.net.URI;
import org.junit.jupiter.api.Test;

class LiveProvidersTest {
  static final URI BASE = URI.create("http://127.0.0.1:9");

  static OpenAiProvider compatibleWithKey(URI baseUrl, String key) {
    return (OpenAiProvider) LiveProviders.create("openai-compatible", new Upstream("openrouter", baseUrl, key,
        "OPENROUTER_API_KEY"), Catalog.builtIn(), LiveProviders.newHttpClient());
  }

  @Test
  void makesEachProviderTypeUnderItsConfiguredName() {
    Upstream upstream = new Upstream("claude", BASE, "k", "");
    Provider anthropic = LiveProviders.create("anthropic", upstream, Catalog.builtIn());
    Provider openAi = LiveProviders.create("openai", new Upstream("gpt", BASE, "k", ""), Catalog.builtIn());
    Provider compatible = LiveProviders.create("openai-compatible", new Upstream("ollama", BASE, "", ""), Catalog.builtIn());

    assertThat(anthropic).isInstanceOf(AnthropicProvider.class);
    assertThat(anthropic.name()).isEqualTo("claude");
    assertThat(openAi).isInstanceOfSatisfying(OpenAiProvider.class,
        p -> assertThat(p.flavor()).isEqualTo(OpenAiProvider.Flavor.OPENAI));
    assertThat(compatible).isInstanceOfSatisfying(OpenAiProvider.class,
        p -> assertThat(p.flavor()).isEqualTo(OpenAiProvider.Flavor.COMPATIBLE));
    assertThat(compatible.name()).isEqualTo("ollama");
  }

  @Test
  void anUnknownTypeIsAnErrorListingTheAcceptedOnes() {
    assertThatThrownBy(() -> LiveProviders.create("gemini", new Upstream("g", BASE, "k", ""), Catalog.builtIn()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown provider type 'gemini'; accepted: anthropic, openai, openai-compatible");
  }

  @Test
  void knowsThePublicApiRootsAndKeyVariables() {
    assertThat(LiveProviders.defaultBaseUrl("anthropic")).contains(URI.create("https://api.anthropic.com"));
    assertThat(LiveProviders.defaultBaseUrl("openai")).contains(URI.create("https://api.openai.com"));
    assertThat(LiveProviders.defaultBaseUrl("openai-compatible")).isEmpty();
    assertThat(LiveProviders.defaultApiKeyVariable("anthropic")).contains("ANTHROPIC_API_KEY");
    assertThat(LiveProviders.defaultApiKeyVariable("openai")).contains("OPENAI_API_KEY");
  }

  @Test
  void anUpstreamNeverPrintsItsKey() {
    Upstream u = new Upstream("anthropic", BASE, "sk-ant-secret-0123456789", "ANTHROPIC_API_KEY");
    assertThat(u.toString()).doesNotContain("sk-ant-secret").contains("(set)").contains("ANTHROPIC_API_KEY");
    assertThat(new Upstream("local", BASE, " ", "").toString()).contains("(none)");
    assertThat(new Upstream("local", BASE, " ", "").hasApiKey()).isFalse();
  }

  @Test
  void joinsApiPathsToTheBaseUrl() {
    assertThat(new Upstream("a", URI.create("https://api.anthropic.com"), "", "").endpoint("/v1/messages"))
        .isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
    assertThat(new Upstream("o", URI.create("https://openrouter.ai/api/"), "", "").endpoint("/v1/chat/completions"))
        .isEqualTo(URI.create("https://openrouter.ai/api/v1/chat/completions"));
    assertThat(new Upstream("o", URI.create("http://localhost:11434/v1"), "", "").endpoint("/v1/chat/completions"))
        .isEqualTo(URI.create("http://localhost:11434/v1/chat/completions"));
  }

  @Test
  void aBaseUrlMustBeAbsoluteHttp() {
    assertThatThrownBy(() -> new Upstream("x", URI.create("api.openai.com"), "", ""))
        .hasMessageContaining("must be an absolute http or https URL");
    assertThatThrownBy(() -> new Upstream("x", URI.create("ftp://host"), "", ""))
        .hasMessageContaining("must be an absolute http or https URL");
  }

  @Test
  void readsTheKeyFromTheNamedVariable() {
    Upstream u = Upstream.fromEnvironment("x", BASE, "EFFORT_TEST_VARIABLE_THAT_IS_NOT_SET");
    assertThat(u.hasApiKey()).isFalse();
    assertThat(u.apiKeyVariable()).isEqualTo("EFFORT_TEST_VARIABLE_THAT_IS_NOT_SET");
  }
}
