package dev.effort.server;

import io.helidon.common.socket.SocketOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The socket settings of every accepted connection, a cap on the connections one client address
 * holds open at once, and the header and idle timeouts. Helidon applies these options to each
 * socket right after accepting it, before any byte is read: a connection over the cap is closed
 * there (Helidon closes a socket whose options fail), so that one client's idle connections cannot
 * take every slot of the listener and lock everyone else out, {@code /healthz} included.
 *
 * <p>Timeouts: Helidon reads from a blocking channel, where a socket read timeout has no effect,
 * so a watchdog closes every connection that waits too long for a request: {@code headerTimeout}
 * for the first (a client that connects and sends nothing, or stops halfway through its headers),
 * {@code idleTimeout} between requests. A connection is busy, and never closed by the watchdog,
 * from the moment its request reaches the routing ({@link #requestStarted}) until it is answered.
 */
final class ClientConnections implements SocketOptions, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientConnections.class.getName());

  private final SocketOptions socket;
  private final int maxPerClient;
  /** Open sockets by client address; closed ones are dropped as they are found. */
  private final Map<InetAddress, List<Socket>> open = new ConcurrentHashMap<>();
  private final Duration headerTimeout;
  private final Duration idleTimeout;
  /** Connections by client socket address (address and port), as requests name their peer. */
  private final Map<java.net.SocketAddress, Watched> watched = new ConcurrentHashMap<>();
  private final java.util.concurrent.ScheduledExecutorService watchdog;

  /** One connection the watchdog looks after. */
  private static final class Watched {
    final SocketChannel channel;
    volatile long waitingSinceNanos = System.nanoTime();
    volatile int busy;
    volatile boolean answeredOne;

    Watched(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /**
   * @param readTimeout the longest a client may stay silent while the gateway waits for it
   * @param maxPerClient connections one address may hold open at once
   */
  ClientConnections(Duration headerTimeout, Duration idleTimeout, int maxPerClient) {
    // Without TCP_NODELAY every SSE event waits for Nagle's algorithm (~40 ms).
    this.socket = SocketOptions.builder().tcpNoDelay(true).readTimeout(headerTimeout).build();
    this.maxPerClient = maxPerClient;
    this.headerTimeout = headerTimeout;
    this.idleTimeout = idleTimeout;
    this.watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "effort-connection-watchdog");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(100, Math.min(headerTimeout.toMillis(), idleTimeout.toMillis()) / 4);
    watchdog.scheduleWithFixedDelay(this::closeOverdue, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** A request of the connection from {@code peer} has reached the routing: it is busy. */
  void requestStarted(java.net.SocketAddress peer) {
    Watched w = watched.get(peer);
    if (w != null) {
      synchronized (w) {
        w.busy++;
      }
    }
  }

  /** ... and has been answered: the connection waits for its next request. */
  void requestEnded(java.net.SocketAddress peer) {
    Watched w = watched.get(peer);
    if (w != null) {
      synchronized (w) {
        w.busy--;
        w.answeredOne = true;
        w.waitingSinceNanos = System.nanoTime();
      }
    }
  }

  private void closeOverdue() {
    long now = System.nanoTime();
    for (var e : watched.entrySet()) {
      Watched w = e.getValue();
      if (!w.channel.isOpen()) {
        watched.remove(e.getKey(), w);
        continue;
      }
      Duration limit = w.answeredOne ? idleTimeout : headerTimeout;
      if (w.busy == 0 && now - w.waitingSinceNanos > limit.toNanos()) {
        try {
          w.channel.close(); // ends Helidon's blocked read; its handler then finishes the connection
        } catch (IOException ignored) {
          // closing a connection that waited too long
        }
        watched.remove(e.getKey(), w);
      }
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  @Override
  public void configureSocket(Socket s) {
    admit(s);
    socket.configureSocket(s);
  }

  @Override
  public void configureSocket(SocketChannel channel) {
    admit(channel.socket());
    socket.configureSocket(channel);
    try {
      watched.put(channel.getRemoteAddress(), new Watched(channel));
    } catch (IOException gone) {
      // the client is gone already; Helidon will find out when it reads
    }
  }

  private void admit(Socket s) {
    InetAddress client = s.getInetAddress();
    List<Socket> mine = open.computeIfAbsent(client, a -> new ArrayList<>());
    synchronized (mine) {
      mine.removeIf(Socket::isClosed);
      if (mine.size() >= maxPerClient) {
        LOG.fine(() -> "refused a connection from " + client.getHostAddress() + ": it holds " + maxPerClient + " already");
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a socket we refuse
        }
        throw new IllegalStateException("client " + client.getHostAddress() + " holds " + maxPerClient
            + " connections already (max_connections_per_client)");
      }
      mine.add(s);
    }
    if (open.size() > 10_000) {
      open.values().removeIf(list -> {
        synchronized (list) {
          list.removeIf(Socket::isClosed);
          return list.isEmpty();
        }
      });
    }
  }

  @Override
  public Map<SocketOption<?>, Object> socketOptions() {
    return socket.socketOptions();
  }

  @Override
  public Duration connectTimeout() {
    return socket.connectTimeout();
  }

  @Override
  public Duration readTimeout() {
    return socket.readTimeout();
  }

  @Override
  public Optional<Integer> socketReceiveBufferSize() {
    return socket.socketReceiveBufferSize();
  }

  @Override
  public Optional<Integer> socketSendBufferSize() {
    return socket.socketSendBufferSize();
  }

  @Override
  public boolean socketReuseAddress() {
    return socket.socketReuseAddress();
  }

  @Override
  public boolean socketKeepAlive() {
    return socket.socketKeepAlive();
  }

  @Override
  public boolean tcpNoDelay() {
    return socket.tcpNoDelay();
  }
}
