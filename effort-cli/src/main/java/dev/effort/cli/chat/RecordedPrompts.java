package dev.effort.cli.chat;

import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import java.util.List;

/**
 * The prompts of the recording, numbered from 1 in the order of the data: the replay provider
 * answers only these, and nobody types a few-shot prompt of 40 lines, so the chat offers them by
 * number.
 */
public final class RecordedPrompts {
  private final List<RecordedPrompt> prompts;

  public RecordedPrompts(List<RecordedDataset> datasets) {
    this.prompts = datasets.stream().flatMap(d -> d.prompts().stream()).toList();
  }

  public int size() {
    return prompts.size();
  }

  /** @throws IllegalArgumentException naming the numbers there are */
  public RecordedPrompt number(int n) {
    if (n < 1 || n > prompts.size()) {
      throw new IllegalArgumentException("there is no recorded prompt " + n + "; they are numbered 1 to " + prompts.size());
    }
    return prompts.get(n - 1);
  }
}
