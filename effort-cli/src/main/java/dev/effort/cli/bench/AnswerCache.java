package dev.effort.cli.bench;

import dev.effort.core.Json;
import dev.effort.core.Plan;
import dev.effort.providers.data.RecordedPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The live bench's answers on disk, one JSON file per (prompt, plan): the prompt's data set, id
 * and text, and the whole plan with each step's knobs (model, native effort, thinking budget,
 * output cap, samples). A rerun reads them instead of asking again, so a stopped run resumes and
 * a finished one costs nothing twice. A file that cannot be read is asked again.
 */
final class AnswerCache {

  /** One answer as measured: its text, who wrote it, what it used and cost, how long it took. */
  record Measured(String dataset, String promptId, String plan, String model, String text, long inputTokens,
      long outputTokens, long thinkingTokens, double costUsd, double latencyMs) {}

  private final Path dir;

  AnswerCache(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The file name of this (prompt, plan): a hash of everything that shapes the answer. */
  static String key(RecordedPrompt prompt, Plan plan) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String identity = prompt.dataset() + "\n" + prompt.id() + "\n" + prompt.prompt() + "\n" + plan;
      return HexFormat.of().formatHex(sha.digest(identity.getBytes(StandardCharsets.UTF_8))).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean has(String key) {
    return Files.isRegularFile(file(key));
  }

  Optional<Measured> get(String key) {
    Path file = file(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readValue(file.toFile(), Measured.class));
    } catch (IOException e) {
      return Optional.empty(); // a torn or foreign file: ask again
    }
  }

  /** Written whole or not at all (a temporary file moved into place), so a stop never leaves half a file. */
  void put(String key, Measured answer) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, key, ".tmp");
      Json.MAPPER.writeValue(tmp.toFile(), answer);
      Files.move(tmp, file(key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bench cache in " + dir, e);
    }
  }

  private Path file(String key) {
    return dir.resolve(key + ".json");
  }
}
