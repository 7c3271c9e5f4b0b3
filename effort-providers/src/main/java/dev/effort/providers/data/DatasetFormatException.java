package dev.effort.providers.data;

import java.nio.file.Path;

/**
 * A data file that does not have the expected form. The message names the file, the physical
 * line (1-based) where the bad record starts, and what was expected there, so it can be fixed
 * without a debugger.
 */
public class DatasetFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  public DatasetFormatException(Path file, long line, String problem) {
    this(file, line, problem, null);
  }

  public DatasetFormatException(Path file, long line, String problem, Throwable cause) {
    super(file.getFileName() + " line " + line + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  public long line() {
    return line;
  }
}
