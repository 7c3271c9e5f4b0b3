package dev.effort.core;

import java.util.Collection;

/** A model name the catalog does not know; the message lists the accepted ones. */
public final class UnknownModelException extends IllegalArgumentException {
  private final String model;

  public UnknownModelException(String model, Collection<String> accepted) {
    super("unknown model '" + model + "'; accepted: " + String.join(", ", accepted));
    this.model = model;
  }

  public String model() {
    return model;
  }
}
