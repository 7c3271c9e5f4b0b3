package dev.effort.providers.live;

import dev.effort.core.Catalog;
import dev.effort.core.Provider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Makes the live providers by type, as config names them: {@code anthropic}, {@code openai}, {@code
 * openai-compatible}. One HTTP client serves them all unless the caller brings its own.
 *
 * <pre>{@code
 * Upstream claude = Upstream.fromEnvironment("anthropic", URI.create("https://api.anthropic.com"), "ANTHROPIC_API_KEY");
 * Provider p = LiveProviders.create("anthropic", claude, Catalog.builtIn());
 * }</pre>
 */
public final class LiveProviders {
  public static final String ANTHROPIC = "anthropic";
  public static final String OPENAI = "openai";
  public static final String OPENAI_COMPATIBLE = "openai-compatible";

  /** The provider types this class makes. */
  public static final List<String> TYPES = List.of(ANTHROPIC, OPENAI, OPENAI_COMPATIBLE);

  static final String POOL_SIZE_PROPERTY = "jdk.httpclient.connectionPoolSize";
  /** Idle upstream connections kept for reuse, over all upstreams. */
  static final int IDLE_CONNECTIONS_KEPT = 128;

  static {
    // The JDK client keeps idle HTTP/1.1 connections in a list searched linearly on every reuse; left
    // unbounded (its default), a burst leaves thousands there and every later call pays for the
    // search (a fifth of the gateway's CPU in a JFR profile at 1,000 requests/s). A setting made by
    // the user wins; it is read once, when the JDK client's pool class loads.
    if (System.getProperty(POOL_SIZE_PROPERTY) == null) {
      System.setProperty(POOL_SIZE_PROPERTY, Integer.toString(IDLE_CONNECTIONS_KEPT));
    }
  }

  private static final class Shared {
    // Replaced when it dies: one dead JDK client would fail every later call of every provider.
    static final HttpClient CLIENT = new SelfHealingHttpClient(LiveProviders::newHttpClient);
  }

  private LiveProviders() {}

  /**
   * @param type one of {@link #TYPES}
   * @throws IllegalArgumentException for another type, naming the accepted ones
   */
  public static Provider create(String type, Upstream upstream, Catalog catalog, HttpClient http) {
    return switch (type) {
      case ANTHROPIC -> new AnthropicProvider(upstream, catalog, http);
      case OPENAI -> OpenAiProvider.openAi(upstream, catalog, http);
      case OPENAI_COMPATIBLE -> OpenAiProvider.compatible(upstream, catalog, http);
      default -> throw new IllegalArgumentException(
          "unknown provider type '" + type + "'; accepted: " + String.join(", ", TYPES));
    };
  }

  /** As {@link #create(String, Upstream, Catalog, HttpClient)}, on the shared HTTP client. */
  public static Provider create(String type, Upstream upstream, Catalog catalog) {
    return create(type, upstream, catalog, Shared.CLIENT);
  }

  /** The public API root of a type: Anthropic's and OpenAI's; none for {@code openai-compatible}. */
  public static Optional<URI> defaultBaseUrl(String type) {
    return switch (type) {
      case ANTHROPIC -> Optional.of(URI.create("https://api.anthropic.com"));
      case OPENAI -> Optional.of(URI.create("https://api.openai.com"));
      default -> Optional.empty();
    };
  }

  /** The environment variable a type's key is read from by convention; none for {@code openai-compatible}. */
  public static Optional<String> defaultApiKeyVariable(String type) {
    return switch (type) {
      case ANTHROPIC -> Optional.of("ANTHROPIC_API_KEY");
      case OPENAI -> Optional.of("OPENAI_API_KEY");
      default -> Optional.empty();
    };
  }

  /**
   * An HTTP/1.1 client (plain-HTTP local servers need no HTTP/2 upgrade) that connects within 10 s;
   * each call's own time limit comes from the ask's deadline.
   */
  public static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        // Callers block on virtual threads; handing each response to another pool only adds a hop.
        .executor(Runnable::run)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
