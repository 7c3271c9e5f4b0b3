package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.store.KeySpec;
import dev.effort.server.store.Store;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium: log in with the admin key, see the requests this test
 * sent through the gateway, watch the numbers move after more requests without a reload, create and
 * revoke a key from the page, and a wrong admin key refused. Prints the page's weight and its time
 * to first render, and saves screenshots ({@code target/dashboard.png}; also to the file named by
 * {@code -Deffort.dashboard.screenshot=PATH}, which is how {@code docs/dashboard.png} is made).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fail, never hang CI
class DashboardBrowserTest {
  static final String ADMIN = "admin-secret-browser-92c4";
  static final String LOW_MODEL = "mistralai/mixtral-8x7b-chat";

  @TempDir Path dir;
  Store store;
  RunningGateway gateway;
  RecordedPrompt prompt;
  ChromeDriver browser;

  @BeforeEach
  void start() throws Exception {
    Path bench = dir.resolve("bench.json");
    try (InputStream in = getClass().getResourceAsStream("dashboard-bench.json")) {
      Files.copy(in, bench, StandardCopyOption.REPLACE_EXISTING);
    }
    store = Store.open("jdbc:sqlite:" + dir.resolve("effort.db"));
    Governance governance = new Governance(store, Optional.empty(), Optional.of(ADMIN), Governance.OverBudget.LOWER,
        Optional.empty(), TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS, Clock.systemUTC());
    Path data = RunningGateway.data();
    gateway = new RunningGateway(Gateway.start(GatewayConfig.defaults().withBenchJson(bench),
        Fleets.replay(Catalog.builtIn(), Ladder.routerBench(), data), Optional.empty(), governance, 0));
    prompt = dev.effort.providers.data.RouterBenchCsv.loadFolder(data).get(0).prompts().get(0);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    gateway.close();
  }

  HttpResponse<String> ask(String secret, String effort) throws Exception {
    return gateway.post("/v1/chat/completions", "{\"model\":\"effort\",\"messages\":[{\"role\":\"user\",\"content\":"
        + RunningGateway.quote(prompt.prompt()) + "}]}", "Authorization", "Bearer " + secret, "Effort", effort);
  }

  WebDriverWait waiting() {
    // The page redraws its tables on every poll: an element found just before a redraw goes stale.
    return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  /** Waits until the element's text is {@code expected}: the page fills in and refreshes by itself. */
  void waitForText(String css, String expected) {
    waiting().withMessage(() -> css + " to read '" + expected + "'")
        .until(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().strip().equals(expected)));
  }

  /** The element's text, read in one script call (a redraw cannot come between finding and reading). */
  String text(String css) {
    Object text = browser.executeScript("const e = document.querySelector(arguments[0]); return e && e.textContent.trim();", css);
    assertThat(text).as(css).isNotNull();
    return (String) text;
  }

  void logIn(String adminKey) {
    browser.get(gateway.uri("/ui").toString());
    browser.findElement(By.id("admin-key")).sendKeys(adminKey);
    browser.findElement(By.id("login-button")).click();
  }

  @Test
  void showsTheRequestsSentAndUpdatesThemLive() throws Exception {
    String secret = store.keys().create(KeySpec.named("app").budgetUsdDay(1)).secret();
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "max").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "auto").statusCode()).isEqualTo(200);
    browser = HeadlessChromium.start(1280, 1900, dir.resolve("profile"));

    logIn(ADMIN);
    new Select(browser.findElement(By.id("window"))).selectByValue("5m");

    waitForText("#levels tr[data-level='low'] td[data-field='requests']", "2");
    assertThat(text("#levels tr[data-level='max'] td[data-field='requests']")).isEqualTo("1");
    assertThat(text("#models tr[data-models='" + LOW_MODEL + "'] td[data-field='requests']")).isEqualTo("2");
    assertThat(text("#keys tr[data-key='app'] td[data-field='requests']")).isEqualTo("4");
    assertThat(text("[data-total='requests'] b")).isEqualTo("4");
    assertThat(text("[data-total='auto requests'] b")).isEqualTo("1");
    assertThat(text("#levels tr[data-level='low'] td[data-field='latency_p50_ms']")).endsWith(" ms");
    assertThat(browser.findElements(By.cssSelector("#upstreams tr[data-deployment]"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#bench [data-dataset] svg"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#ledger tr[data-row]"))).hasSize(4);
    assertThat(browser.getCurrentUrl()).as("the key is never in the URL").doesNotContain(ADMIN);
    assertThat(browser.executeScript("return sessionStorage.getItem('effortAdminKey')")).isEqualTo(ADMIN);
    report(figures());
    screenshot("dashboard.png", "effort.dashboard.screenshot");

    browser.executeScript("window.stillTheSamePage = true");
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);
    assertThat(ask(secret, "low").statusCode()).isEqualTo(200);

    waitForText("#levels tr[data-level='low'] td[data-field='requests']", "4");
    waitForText("#keys tr[data-key='app'] td[data-field='requests']", "6");
    assertThat(browser.executeScript("return window.stillTheSamePage")).as("updated without a reload").isEqualTo(true);

    browser.findElement(By.id("filter-level")).sendKeys("max");
    waiting().until(d -> d.findElements(By.cssSelector("#ledger tr[data-row]")).size() == 1);
    assertThat(text("#ledger tr[data-row] td[data-field='applied']")).isEqualTo("max");
  }

  @Test
  void createsAndRevokesAKeyFromThePage() throws Exception {
    browser = HeadlessChromium.start(1280, 1200, dir.resolve("profile"));
    logIn(ADMIN);
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("create-key")));

    browser.findElement(By.id("new-key-name")).sendKeys("from-page");
    browser.findElement(By.id("new-key-budget-day")).sendKeys("2.5");
    browser.findElement(By.id("create-key")).click();
    waiting().until(ExpectedConditions.textMatches(By.id("new-key-secret"), java.util.regex.Pattern.compile("ek_\\S+")));
    String secret = text("#new-key-secret").replaceAll(".*(ek_\\S+).*", "$1");
    waitForText("#keys tr[data-key='from-page'] td[data-field='budget_usd_day']", "$2.5000");
    assertThat(ask(secret, "low").statusCode()).as("the new key works").isEqualTo(200);
    waitForText("#keys tr[data-key='from-page'] td[data-field='requests']", "1");

    browser.findElement(By.cssSelector("#keys button[data-revoke='from-page']")).click();
    waiting().until(ExpectedConditions.alertIsPresent()).accept();

    waiting().until(d -> "true".equals(d.findElement(By.cssSelector("#keys tr[data-key='from-page']")).getAttribute("data-revoked")));
    assertThat(ask(secret, "low").statusCode()).as("the revoked key is refused").isEqualTo(403);
    assertThat(store.keys().list()).anySatisfy(k -> {
      assertThat(k.name()).isEqualTo("from-page");
      assertThat(k.revoked()).isPresent();
    });
  }

  @Test
  void refusesAWrongAdminKey() {
    browser = HeadlessChromium.start(1280, 900, dir.resolve("profile"));

    logIn("not-the-admin-key");

    waiting().until(ExpectedConditions.textMatches(By.id("login-error"), java.util.regex.Pattern.compile("refused")));
    assertThat(text("#login-error")).contains("admin key");
    assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
    assertThat(browser.executeScript("return sessionStorage.getItem('effortAdminKey')")).isNull();
  }

  @Test
  void fitsAPhoneScreen() throws Exception {
    String secret = store.keys().create(KeySpec.named("phone")).secret();
    assertThat(ask(secret, "medium").statusCode()).isEqualTo(200);
    browser = HeadlessChromium.start(390, 844, dir.resolve("profile"));

    logIn(ADMIN);
    waitForText("#levels tr[data-level='medium'] td[data-field='requests']", "1");

    Number pageWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
    Number viewport = (Number) browser.executeScript("return window.innerWidth");
    assertThat(pageWidth.intValue()).as("no sideways scrolling of the page; wide tables scroll in their own box")
        .isLessThanOrEqualTo(viewport.intValue());
    screenshot("dashboard-phone.png", "effort.dashboard.phone-screenshot");
  }

  /** The page's weight and timings, as the browser measured them (Navigation Timing and Paint Timing). */
  @SuppressWarnings("unchecked")
  Map<String, Object> figures() {
    return (Map<String, Object>) browser.executeScript("""
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime]));
        const api = performance.getEntriesByType('resource').filter(r => r.name.includes('/admin/stats'));
        const mark = name => (performance.getEntriesByName(name)[0] || {}).startTime;
        return {page_bytes: nav.decodedBodySize, page_transfer_bytes: nav.transferSize,
          response_end_ms: nav.responseEnd, dom_content_loaded_ms: nav.domContentLoadedEventEnd,
          first_paint_ms: paint['first-paint'], first_contentful_paint_ms: paint['first-contentful-paint'],
          stats_json_bytes: api.length ? api[api.length - 1].decodedBodySize : null,
          login_to_first_numbers_ms: mark('first-data') - mark('login')};
        """);
  }

  void report(Map<String, Object> figures) throws Exception {
    StringBuilder out = new StringBuilder("dashboard figures (headless Chromium, this machine):\n");
    figures.forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-28s %s%n", k,
        v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : v)));
    System.out.print(out);
    Files.writeString(Path.of("target", "dashboard-figures.txt"), out);
    assertThat(((Number) figures.get("page_bytes")).longValue()).as("a light page").isLessThan(64 * 1024);
  }

  void screenshot(String name, String copyProperty) throws Exception {
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of("target", name), png);
    String copy = System.getProperty(copyProperty);
    if (copy != null && !copy.isBlank()) {
      Files.write(Path.of(copy), png);
    }
  }
}
