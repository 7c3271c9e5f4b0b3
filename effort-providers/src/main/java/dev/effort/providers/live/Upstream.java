package dev.effort.providers.live;

import java.net.URI;
import java.util.Objects;

/**
 * Where one live provider sends its calls and with which key.
 *
 * <p>The key never leaves this record except in the request header: {@link #toString()} hides it,
 * and error messages name {@link #apiKeyVariable()} instead.
 *
 * @param name the provider's name in config and traces (e.g. {@code anthropic}, {@code openrouter})
 * @param baseUrl the API root without the {@code /v1} path, e.g. {@code https://api.openai.com}; a
 *     root that already ends in {@code /v1} is taken as it is
 * @param apiKey the API key, empty for servers that need none (a local vLLM, Ollama, llama.cpp)
 * @param apiKeyVariable the environment variable the key came from, for error messages; empty when
 *     the key was given some other way
 */
public record Upstream(String name, URI baseUrl, String apiKey, String apiKeyVariable) {

  public Upstream {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    apiKey = apiKey == null ? "" : apiKey.strip();
    apiKeyVariable = apiKeyVariable == null ? "" : apiKeyVariable;
    if (name.isBlank()) {
      throw new IllegalArgumentException("an upstream needs a name");
    }
    if (baseUrl.getScheme() == null || !baseUrl.getScheme().matches("https?") || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("provider " + name + ": base URL '" + baseUrl
          + "' must be an absolute http or https URL, e.g. https://api.openai.com");
    }
  }

  /** The upstream whose key is read from the environment variable {@code variable} (empty when unset). */
  public static Upstream fromEnvironment(String name, URI baseUrl, String variable) {
    return new Upstream(name, baseUrl, System.getenv(variable), variable);
  }

  public boolean hasApiKey() {
    return !apiKey.isEmpty();
  }

  /** {@code " (env ANTHROPIC_API_KEY)"}, or nothing when the key's origin is not known. */
  String keyOrigin() {
    return apiKeyVariable.isEmpty() ? "" : " (env " + apiKeyVariable + ")";
  }

  /** The URL of an API path such as {@code /v1/messages} under the base URL. */
  URI endpoint(String versionedPath) {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String path = versionedPath;
    if (base.endsWith("/v1") && path.startsWith("/v1/")) {
      path = path.substring(3);
    }
    return URI.create(base + path);
  }

  /** Removes the key from text that came from elsewhere (an upstream's error message), should it be there. */
  String scrub(String text) {
    return apiKey.length() < 8 ? text : text.replace(apiKey, "[api key]");
  }

  @Override
  public String toString() {
    return "Upstream[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "(set)" : "(none)")
        + keyOrigin() + "]";
  }
}
