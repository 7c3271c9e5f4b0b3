package dev.effort.benchmarks.load;

import java.net.URI;
import java.util.Optional;

/**
 * Where the load goes: straight to the fake upstream, or through a gateway.
 *
 * @param name as the report names it: {@code direct}, {@code sqlite}, {@code postgres+redis}
 * @param chat the chat completions endpoint
 * @param model the model field each side expects: the upstream's model, or the dial's name
 * @param apiKey the gateway key sent as {@code Authorization: Bearer}; none for the upstream
 */
record Target(String name, URI chat, String model, Optional<String> apiKey) {
  static final String DIRECT = "direct";

  boolean direct() {
    return name.equals(DIRECT);
  }
}
