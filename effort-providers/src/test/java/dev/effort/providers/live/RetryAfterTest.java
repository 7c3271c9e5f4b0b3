package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static HttpHeaders headers(Map<String, String> map) {
    return HttpHeaders.of(map.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
        e -> List.of(e.getValue()))), (a, b) -> true);
  }

  @Test
  void secondsMillisecondsAndDatesAreRead() {
    assertThat(UpstreamErrors.retryAfter(headers(Map.of("retry-after", "7")))).contains(Duration.ofSeconds(7));
    assertThat(UpstreamErrors.retryAfter(headers(Map.of("retry-after-ms", "1500", "retry-after", "2"))))
        .contains(Duration.ofMillis(1500));
    String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    assertThat(UpstreamErrors.retryAfter(headers(Map.of("retry-after", inAMinute))).orElseThrow())
        .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
  }

  @Test
  void noneOrUnreadableIsNoInstruction() {
    assertThat(UpstreamErrors.retryAfter(headers(Map.of()))).isEqualTo(Optional.empty());
    assertThat(UpstreamErrors.retryAfter(headers(Map.of("retry-after", "soon")))).isEqualTo(Optional.empty());
  }
}
