package dev.effort.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every model Effort knows, by id: provider, prices, latency priors, and the effort knob each takes
 * with its accepted levels and output limit ({@link ModelInfo#knob()}, {@link ModelInfo#levels()},
 * {@link ModelInfo#nativeLevel(Effort)}, {@link ModelInfo#maxOutputTokens()}).
 */
public final class Catalog {
  private static final String BUILT_IN = "/dev/effort/core/catalog.json";

  private final Map<String, ModelInfo> models;
  private final List<String> ids;

  public Catalog(Collection<ModelInfo> models) {
    var byId = new LinkedHashMap<String, ModelInfo>();
    for (ModelInfo m : models) {
      if (byId.put(m.id(), m) != null) {
        throw new IllegalArgumentException("model '" + m.id() + "' is listed twice in the catalog");
      }
    }
    this.models = Map.copyOf(byId);
    this.ids = List.copyOf(byId.keySet());
  }

  /** The catalog shipped with Effort (see the {@code source} of each entry). */
  public static Catalog builtIn() {
    try (InputStream in = Catalog.class.getResourceAsStream(BUILT_IN)) {
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in catalog " + BUILT_IN, e);
    }
  }

  public static Catalog read(InputStream json) throws IOException {
    return new Catalog(Json.MAPPER.readValue(json, CatalogFile.class).models());
  }

  /** @throws UnknownModelException listing the accepted ids */
  public ModelInfo model(String id) {
    ModelInfo m = models.get(id);
    if (m == null) {
      throw new UnknownModelException(id, ids);
    }
    return m;
  }

  public Optional<ModelInfo> find(String id) {
    return Optional.ofNullable(models.get(id));
  }

  public boolean contains(String id) {
    return models.containsKey(id);
  }

  /** This catalog with {@code extra} models added; an id already present keeps its entry. */
  public Catalog plus(Collection<ModelInfo> extra) {
    var all = new ArrayList<ModelInfo>();
    ids.forEach(id -> all.add(models.get(id)));
    extra.stream().filter(m -> !models.containsKey(m.id())).forEach(all::add);
    return new Catalog(all);
  }

  /** Model ids in catalog order. */
  public List<String> ids() {
    return ids;
  }

  record CatalogFile(@JsonProperty("models") List<ModelInfo> models) {}
}
