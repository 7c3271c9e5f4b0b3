package dev.effort.cli;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is taken care of: {@link Logs} sets up Logback and bridges
 * java.util.logging, which Helidon logs through. Without a provider, Helidon prints a note about
 * having none on standard error at every start.
 */
public final class HelidonLogging implements LoggingProvider {
  @Override
  public void initialization() {
    // Logs configures Logback when a command starts.
  }

  @Override
  public void runTime() {
    // nothing to add at run time
  }
}
