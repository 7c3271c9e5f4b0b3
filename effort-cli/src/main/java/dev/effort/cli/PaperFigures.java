package dev.effort.cli;

import java.util.List;

/**
 * RouteLLM's published figures for its own pair (Ong et al. 2024, arXiv 2406.18665, and the
 * LMSYS blog post of 2024-07-01), as far as they could be found; the README names each source.
 * "n/f" is a figure that was not found, never a guess.
 */
final class PaperFigures {
  private PaperFigures() {}

  /** One published row; values are text as published ("≈" where only a rounded statement exists). */
  record Row(String router, String apgr, String cpt50, String cpt80) {}

  static List<Row> of(String benchmark) {
    return switch (benchmark) {
      case "mt-bench" -> List.of(
          new Row("paper: random", "0.500", "49.03%", "n/f"),
          new Row("paper: mf, Arena data", "n/f", "≈25%", "n/f"),
          new Row("paper: mf, Arena + GPT-4-judge data", "0.802", "13.40%", "31.3%"));
      case "mmlu" -> List.of(
          new Row("paper: mf, Arena data", "≈0.5", "n/f", "n/f"),
          new Row("paper: best router, Arena + MMLU labels", "n/f", "≈35%", "n/f"));
      case "gsm8k" -> List.of(
          new Row("paper: mf", "n/f", "n/f", "n/f"),
          new Row("paper: best router, augmented", "n/f", "≈30%", "n/f"));
      default -> List.of();
    };
  }
}
