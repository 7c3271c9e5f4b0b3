package dev.effort.cli.bench;

import java.util.List;

/**
 * Everything one bench run measured.
 *
 * @param dataDir the folder the data sets were read from
 * @param ladder the fleet name of the ladder used for the level rows
 * @param method how the figures were made, in one sentence (shown in the report)
 * @param datasets one result per data set, in file-name order
 */
public record BenchReport(String dataDir, String ladder, String method, List<DatasetResult> datasets) {

  public BenchReport {
    datasets = List.copyOf(datasets);
  }
}
