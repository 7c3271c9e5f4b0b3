package dev.effort.providers.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Flow;

/**
 * A streamed response body as an input stream that hands on every byte received before it reports
 * a broken connection. The JDK's own ({@code BodyHandlers.ofInputStream()}) throws as soon as the
 * connection fails, dropping what had arrived but was not read yet: the last deltas of a stream
 * cut short would never reach the client nor be charged.
 */
final class StreamBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  /** What the queue holds: a batch of bytes, the end, or the failure that ended it. */
  private sealed interface Item {}

  private record Bytes(List<ByteBuffer> buffers) implements Item {}

  private record End() implements Item {}

  private record Failed(Throwable cause) implements Item {}

  static HttpResponse.BodyHandler<InputStream> handler() {
    return info -> new StreamBody();
  }

  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private List<ByteBuffer> current = List.of();
  private int index;
  private Item last;

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(new Bytes(item));
  }

  @Override
  public void onError(Throwable throwable) {
    queue.add(new Failed(throwable));
  }

  @Override
  public void onComplete() {
    queue.add(new End());
  }

  /** The buffer to read from next; null at the end. */
  private ByteBuffer buffer() throws IOException {
    while (true) {
      if (closed) {
        throw new IOException("closed");
      }
      while (index < current.size()) {
        ByteBuffer b = current.get(index);
        if (b.hasRemaining()) {
          return b;
        }
        index++;
      }
      if (last != null) {
        if (last instanceof Failed f) {
          throw new IOException(f.cause().getMessage() == null ? "the stream broke off" : f.cause().getMessage(), f.cause());
        }
        return null;
      }
      Item next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the upstream's stream");
      }
      switch (next) {
        case Bytes bytes -> {
          current = bytes.buffers();
          index = 0;
          Flow.Subscription s = subscription;
          if (s != null) {
            s.request(1);
          }
        }
        case End end -> last = end;
        case Failed failed -> last = failed;
      }
    }
  }

  @Override
  public int read() throws IOException {
    ByteBuffer b = buffer();
    return b == null ? -1 : b.get() & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, length, into.length);
    if (length == 0) {
      return 0;
    }
    ByteBuffer b = buffer();
    if (b == null) {
      return -1;
    }
    int n = Math.min(length, b.remaining());
    b.get(into, offset, n);
    return n;
  }

  @Override
  public void close() {
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel(); // the connection is released (or closed) at once, not read to its end
    }
    queue.add(new End()); // wakes a read blocked on another thread (a deadline's watchdog closes it)
  }
}
