package dev.effort.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.effort.server.GatewayConfig;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The one logging backend of the command line: Logback. Libraries that log through SLF4J
 * (HikariCP, Flyway, Lettuce, DJL) reach it directly; {@code java.util.logging} (Helidon, the JDK,
 * Effort's own code) is bridged to it. Lines go to standard error, as text or one JSON object a line,
 * with the gateway's request id ({@code request_id} in the MDC) on the lines of a request, from
 * its own thread or one it started ({@link RequestIdFilter}).
 */
final class Logs {
  private static final List<String> LEVELS = GatewayConfig.LogSettings.LEVELS;
  private static final List<String> FORMATS = GatewayConfig.LogSettings.FORMATS;

  /** Text lines: time, level, logger, then the request id in brackets when the line belongs to a request. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{36}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n%ex";

  private Logs() {}

  /** Lines at {@code level} and above, in {@code format}, to standard error. */
  static void configure(String level, String format) {
    configure(level, format, System.err);
  }

  /**
   * Lines at {@code level} and above, in {@code format} ({@code text} or {@code json}), to {@code out}.
   *
   * @throws CliException for a level or format not accepted, naming the accepted ones
   */
  static void configure(String level, String format, OutputStream out) {
    Level threshold = level(level);
    String shape = format(format);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    // java.util.logging's own levels follow Logback's, so a disabled line costs nothing on either side.
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    propagator.start();
    context.addListener(propagator);

    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName(shape);
    appender.setEncoder(encoder(context, shape));
    appender.setOutputStream(new KeptOpen(out));
    appender.setImmediateFlush(true);
    appender.start();

    RequestIdFilter requestIds = new RequestIdFilter();
    requestIds.setContext(context);
    requestIds.start();
    context.addTurboFilter(requestIds);

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(threshold);
    root.addAppender(appender);
    bridgeJul();
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String shape) {
    if (shape.equals("json")) {
      JsonLogLayout layout = new JsonLogLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
      encoder.setContext(context);
      encoder.setLayout(layout);
      encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8);
      encoder.start();
      return encoder;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(TEXT_PATTERN);
    encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }

  /** Every java.util.logging record to SLF4J, and nowhere else (no second line from JUL's console handler). */
  private static synchronized void bridgeJul() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** The appender closes its stream when logging is configured again; standard error must stay open. */
  private static final class KeptOpen extends FilterOutputStream {
    KeptOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  static Level level(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(n)) {
      throw new CliException("log level '" + name + "' is not one of " + String.join(", ", LEVELS));
    }
    return Level.toLevel(n);
  }

  static String format(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(n)) {
      throw new CliException("log format '" + name + "' is not one of " + String.join(", ", FORMATS));
    }
    return n;
  }
}
