package dev.effort.providers.live;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTP client that replaces the JDK client it wraps when that one has died. A JDK {@link
 * HttpClient} whose selector thread ends (an overflow in its timer arithmetic is enough) fails
 * every later call with "selector manager closed"; shared by all providers, it would take the
 * whole gateway down until a restart. Calls already under way on the dead client fail as they
 * would have; the next call gets a fresh client.
 */
final class SelfHealingHttpClient extends HttpClient {
  private final Supplier<HttpClient> factory;
  private volatile HttpClient current;

  SelfHealingHttpClient(Supplier<HttpClient> factory) {
    this.factory = factory;
    this.current = factory.get();
  }

  /** The live client, a new one when the last has terminated. */
  HttpClient live() {
    HttpClient c = current;
    return c.isTerminated() ? replace(c) : c;
  }

  private synchronized HttpClient replace(HttpClient dead) {
    if (current == dead) {
      current = factory.get();
      java.util.logging.Logger.getLogger(SelfHealingHttpClient.class.getName())
          .warning("the upstream HTTP client had died (selector manager closed); replaced it");
    }
    return current;
  }

  /**
   * The client may report itself terminated only a moment after failing its calls: a failure that
   * says so replaces it at once, before the caller sees the failure.
   */
  private void check(HttpClient c, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException && "selector manager closed".equals(t.getMessage())) {
        replace(c);
        return;
      }
    }
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpClient c = live();
    try {
      return c.send(request, handler);
    } catch (IOException e) {
      check(c, e);
      throw e;
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    HttpClient c = live();
    return c.sendAsync(request, handler).whenComplete((r, e) -> check(c, e));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> push) {
    HttpClient c = live();
    return c.sendAsync(request, handler, push).whenComplete((r, e) -> check(c, e));
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return current.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return current.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return current.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return current.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return current.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return current.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return current.authenticator();
  }

  @Override
  public Version version() {
    return current.version();
  }

  @Override
  public Optional<Executor> executor() {
    return current.executor();
  }

  /** Never terminated: a dead client is replaced on the next call. */
  @Override
  public boolean isTerminated() {
    return false;
  }
}
