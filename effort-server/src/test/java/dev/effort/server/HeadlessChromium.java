package dev.effort.server;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven by Selenium through the system's chromedriver. Both binaries are
 * looked for in the standard places (or {@code -Deffort.test.chromium=PATH},
 * {@code -Deffort.test.chromedriver=PATH}); when either is missing the test fails saying how to
 * install them, as the PostgreSQL and Redis tests do: a browser test must never pass by not running.
 * Given both paths, Selenium Manager is not used, so nothing is downloaded.
 */
final class HeadlessChromium {
  static final List<String> CHROMIUM = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium",
      "/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
  static final List<String> CHROMEDRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver",
      "/usr/lib/chromium-browser/chromedriver", "/snap/bin/chromium.chromedriver", "/usr/local/bin/chromedriver",
      "/opt/homebrew/bin/chromedriver");

  static final String HOW_TO_INSTALL = """
      Install Chromium and its driver with scripts/start-services (as root; CI runs it), or by hand:
        apt-get install -y chromium chromium-driver
      or point the tests at them with -Deffort.test.chromium=PATH -Deffort.test.chromedriver=PATH""";

  private HeadlessChromium() {}

  /** A browser with a window of {@code width} × {@code height} CSS pixels. */
  static ChromeDriver start(int width, int height, Path profile) {
    Path browser = find("effort.test.chromium", CHROMIUM, "Chromium");
    Path driver = find("effort.test.chromedriver", CHROMEDRIVER, "chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return chrome;
  }

  private static Path find(String property, List<String> candidates, String what) {
    Optional<String> configured = Optional.ofNullable(System.getProperty(property)).filter(s -> !s.isBlank());
    List<String> places = configured.map(List::of).orElse(candidates);
    for (String place : places) {
      Path p = Path.of(place);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(what + " is not installed: looked in " + String.join(", ", places) + ".\n" + HOW_TO_INSTALL);
  }
}
