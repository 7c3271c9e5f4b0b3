package dev.effort.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import dev.effort.core.Plan;
import dev.effort.core.PlanJson;
import dev.effort.core.Router;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The router file {@code effort tune} writes: a magic line, a format version, a JSON header
 * (learner, features, candidates, calibration, provenance: readable with {@code head -c}), then
 * the quality model and the neighbor costs in binary.
 */
public final class RouterFile implements Router.RouterFormat {
  static final byte[] MAGIC = "EFFORT-ROUTER\n".getBytes(StandardCharsets.US_ASCII);
  public static final int FORMAT_VERSION = 1;

  @Override
  public boolean canRead(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    }
  }

  @Override
  public Router read(Path file) throws IOException {
    return load(file);
  }

  public static LearnedRouter load(Path file) throws IOException {
    return load(file, prompt -> FeatureExtractor.inProcess().extract(prompt));
  }

  public static LearnedRouter load(Path file, Function<String, PromptFeatures> features) throws IOException {
    try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
        throw new IOException(file + " is not a router file (write one with: effort tune --data DIR --out FILE)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(file + " has router format version " + version + "; this build reads version "
            + FORMAT_VERSION + " (tune it again with this build)");
      }
      JsonNode header = Json.MAPPER.readTree(in.readNBytes(in.readInt()));
      requireFeaturesOfThisRun(file, header.path("features").asText());
      List<Plan> candidates = new ArrayList<>();
      for (JsonNode c : header.get("candidates")) {
        candidates.add(PlanJson.read(c, file + " candidate"));
      }
      JsonNode cal = header.get("calibration");
      Calibration calibration = calibration(cal);
      var byFormat = new java.util.EnumMap<dev.effort.core.AnswerFormat, Calibration>(dev.effort.core.AnswerFormat.class);
      header.path("calibration_by_format").properties().forEach(e ->
          byFormat.put(dev.effort.core.AnswerFormat.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT)), calibration(e.getValue())));
      JsonNode p = header.get("provenance");
      var provenance = new LearnedRouter.Provenance(
          p.get("learner").asText(), p.get("trained_on").asText(), p.get("training_sha256").asText(),
          p.get("prompts").asInt(), p.get("created").asText());
      QualityModel quality = Learners.read(provenance.learner(), in);
      NeighborCosts costs = NeighborCosts.read(in);
      return new LearnedRouter(candidates, header.get("reference").asInt(), quality, costs, calibration, byFormat, provenance,
          features);
    }
  }

  /**
   * A router's weights only mean something on the features it was trained on, and every router of
   * a run shares the configured extractor: a file of other features is refused, saying how to use it.
   */
  private static void requireFeaturesOfThisRun(Path file, String features) throws IOException {
    FeatureExtractor.Embedding configured = FeatureExtractor.configured();
    if (features.equals(configured.description)) {
      return;
    }
    String use = FeatureExtractor.Embedding.described(features)
        .map(e -> ", or run with " + FeatureExtractor.SETTING + "=" + e.name().toLowerCase(java.util.Locale.ROOT)
            + " to use this file")
        .orElse("");
    throw new IOException(file + " was tuned on features \"" + features + "\", but this run computes \""
        + configured.description + "\" (" + FeatureExtractor.SETTING + "=" + configured.name().toLowerCase(java.util.Locale.ROOT)
        + "): tune it again with this build" + use);
  }

  private static Calibration calibration(JsonNode cal) {
    return new Calibration(doubles(cal.get("thresholds")), doubles(cal.get("accuracy")), doubles(cal.get("cost_usd")),
        cal.get("reference_accuracy").asDouble());
  }

  private static ObjectNode calibration(Calibration cal) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.set("thresholds", array(cal.thresholds()));
    c.set("accuracy", array(cal.accuracy()));
    c.set("cost_usd", array(cal.costUsd()));
    c.put("reference_accuracy", cal.referenceAccuracy());
    return c;
  }

  public static void write(LearnedRouter router, Path file) throws IOException {
    ObjectNode header = Json.MAPPER.createObjectNode();
    header.put("format_version", FORMAT_VERSION);
    header.put("features", FeatureExtractor.configured().description);
    ArrayNode candidates = header.putArray("candidates");
    router.candidates().forEach(c -> candidates.add(PlanJson.write(c)));
    header.put("reference", router.referenceIndex());
    header.set("calibration", calibration(router.calibration()));
    ObjectNode byFormat = header.putObject("calibration_by_format");
    router.calibrationByFormat().forEach((f, cal) -> byFormat.set(f.name().toLowerCase(java.util.Locale.ROOT), calibration(cal)));
    LearnedRouter.Provenance p = router.provenance();
    ObjectNode prov = header.putObject("provenance");
    prov.put("learner", p.learner());
    prov.put("trained_on", p.trainedOn());
    prov.put("training_sha256", p.trainingSha256());
    prov.put("prompts", p.prompts());
    prov.put("created", p.created());
    byte[] json = Json.MAPPER.writeValueAsBytes(header);

    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(json.length);
      out.write(json);
      router.quality().write(out);
      router.costs().write(out);
    }
    // A half-written router file must never replace a good one.
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static ArrayNode array(double[] values) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  private static double[] doubles(JsonNode array) {
    double[] d = new double[array.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = array.get(i).asDouble();
    }
    return d;
  }
}
