package dev.effort.server.traces;

/**
 * The {@code model} field as the client sent it ({@code effort}, {@code effort-high}, a catalog
 * id), left on the exchange by the link that reads the request: the request span's name and
 * {@code gen_ai.request.model}.
 */
public record RequestedModel(String name) {
  public RequestedModel {
    name = name == null || name.isBlank() ? "effort" : name;
  }
}
