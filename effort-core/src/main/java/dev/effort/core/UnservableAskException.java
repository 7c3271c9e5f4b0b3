package dev.effort.core;

/**
 * An ask no model of the fleet can take as it is: images for a model that reads none, tools for
 * one that calls none. The message says what is needed and which models have it.
 */
public final class UnservableAskException extends IllegalArgumentException {
  public UnservableAskException(String message) {
    super(message);
  }
}
