package dev.effort.providers.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StreamBodyTest {
  private static List<ByteBuffer> bytes(String s) {
    return List.of(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static Flow.Subscription subscription(AtomicBoolean cancelled) {
    return new Flow.Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {
        cancelled.set(true);
      }
    };
  }

  @Test
  void everythingReceivedBeforeABrokenConnectionIsReadThenTheFailure() {
    StreamBody body = new StreamBody();
    body.onSubscribe(subscription(new AtomicBoolean()));
    body.onNext(bytes("data: one\n\n"));
    body.onNext(bytes("data: two\n\n"));
    body.onError(new IOException("connection reset"));

    byte[] first = new byte[22];
    int n = 0;
    try {
      while (n < first.length) {
        n += body.read(first, n, first.length - n);
      }
    } catch (IOException e) {
      throw new AssertionError("the bytes received before the reset were lost", e);
    }
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: one\n\ndata: two\n\n");
    assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
  }

  @Test
  void theEndIsMinusOne() throws IOException {
    StreamBody body = new StreamBody();
    body.onSubscribe(subscription(new AtomicBoolean()));
    body.onNext(bytes("x"));
    body.onComplete();

    assertThat(body.read()).isEqualTo('x');
    assertThat(body.read()).isEqualTo(-1);
  }

  @Test
  void closingFromAnotherThreadWakesABlockedReadAndCancelsTheSubscription() throws Exception {
    StreamBody body = new StreamBody();
    AtomicBoolean cancelled = new AtomicBoolean();
    body.onSubscribe(subscription(cancelled));
    CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
      try {
        body.read();
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    Thread.sleep(100); // let it block
    body.close();

    assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThat(cancelled).isTrue();
  }
}
