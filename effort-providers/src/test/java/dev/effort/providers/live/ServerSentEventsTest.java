package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.providers.live.ServerSentEvents.Event;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

  private static List<Event> read(String stream) throws Exception {
    List<Event> events = new ArrayList<>();
    ServerSentEvents.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), e -> events.add(e));
    return events;
  }

  @Test
  void readsNamedEventsAndUnnamedData() throws Exception {
    assertThat(read("event: ping\ndata: {\"type\": \"ping\"}\n\ndata: [DONE]\n\n")).containsExactly(
        new Event("ping", "{\"type\": \"ping\"}"), new Event("message", "[DONE]"));
  }

  @Test
  void joinsDataLinesAndSkipsCommentsAndOtherFields() throws Exception {
    assertThat(read(": keep-alive\nid: 7\nretry: 100\ndata: a\ndata:b\n\n")).containsExactly(new Event("message", "a\nb"));
  }

  @Test
  void takesCarriageReturnLineEndsAndALastEventWithoutBlankLine() throws Exception {
    assertThat(read("event: x\r\ndata: 1\r\n\r\ndata: 2")).containsExactly(new Event("x", "1"), new Event("message", "2"));
  }

  @Test
  void stopsWhenTheListenerSaysSo() throws Exception {
    List<Event> events = new ArrayList<>();
    boolean stopped = ServerSentEvents.read(
        new ByteArrayInputStream("data: 1\n\ndata: 2\n\n".getBytes(StandardCharsets.UTF_8)),
        e -> {
          events.add(e);
          return false;
        });
    assertThat(stopped).isTrue();
    assertThat(events).containsExactly(new Event("message", "1"));
  }
}
