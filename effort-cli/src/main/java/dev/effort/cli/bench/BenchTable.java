package dev.effort.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints the bench rows of one data set as a monospaced table. */
public final class BenchTable {

  /** Lines are kept to about this many characters by truncating the plan column. */
  static final int MAX_LINE = 150;

  private static final int MIN_PLAN = 12;
  private static final String GAP = "  ";

  private BenchTable() {}

  /**
   * Prints a header line "&lt;name&gt; — &lt;prompts&gt; prompts" and one line per row, in the
   * order given. Rows that were not measured show their note instead of numbers.
   */
  public static void print(DatasetResult result, PrintWriter out) {
    for (String line : lines(result)) {
      out.println(line);
    }
  }

  static List<String> lines(DatasetResult result) {
    List<List<String>> rows = new ArrayList<>();
    for (List<String> cells : BenchFormat.cells(result)) {
      List<String> shown = new ArrayList<>(cells);
      if (shown.size() > 1) {
        shown.set(1, withoutOrganizations(shown.get(1)));
      }
      rows.add(shown);
    }
    int cols = BenchFormat.HEADERS.size();
    int[] width = new int[cols];
    for (int c = 0; c < cols; c++) {
      width[c] = len(BenchFormat.HEADERS.get(c));
    }
    for (List<String> cells : rows) {
      boolean full = cells.size() == cols;
      for (int c = 0; c < cells.size(); c++) {
        if (full || c < BenchFormat.FIRST_NUMERIC) {
          width[c] = Math.max(width[c], len(cells.get(c)));
        }
      }
    }
    int total = GAP.length() * (cols - 1);
    for (int w : width) {
      total += w;
    }
    if (total > MAX_LINE && width[1] > MIN_PLAN) {
      width[1] = Math.max(MIN_PLAN, width[1] - (total - MAX_LINE));
    }

    List<String> lines = new ArrayList<>();
    lines.add(BenchFormat.title(result));
    lines.add(join(BenchFormat.HEADERS, width));
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    lines.add(join(rule, width));
    if (rows.isEmpty()) {
      lines.add("(no rows)");
    }
    for (List<String> cells : rows) {
      lines.add(join(cells, width));
    }
    for (String note : BenchFormat.footnotes(result)) {
      lines.add(note);
    }
    return lines;
  }

  /** Text columns (row, plan, a trailing note) are left-aligned, numbers right-aligned. */
  private static String join(List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        sb.append(GAP);
      }
      String cell = cells.get(c);
      boolean last = c == cells.size() - 1;
      if (c == 1) {
        cell = fitPlan(cell, width[c]);
        sb.append(last ? cell : pad(cell, width[c], false));
      } else if (c < BenchFormat.FIRST_NUMERIC) {
        cell = truncate(cell, width[c]);
        sb.append(last ? cell : pad(cell, width[c], false));
      } else if (last && cells.size() < width.length) {
        sb.append(cell); // an unmeasured row's note
      } else {
        sb.append(pad(cell, width[c], true));
      }
    }
    return stripTrailing(sb.toString());
  }

  private static int len(String s) {
    return s.codePointCount(0, s.length());
  }

  static String truncate(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    int end = s.offsetByCodePoints(0, Math.max(0, max - 1));
    return s.substring(0, end) + "…";
  }

  /**
   * A plan as the terminal shows it: models without their organization ({@code mistralai/}), as the
   * README's ladder table writes them; the JSON and HTML keep the full names.
   */
  static String withoutOrganizations(String plan) {
    return plan.replaceAll("(?<=[(,\\s])[A-Za-z0-9_.-]+/(?=[A-Za-z0-9_.-])", "");
  }

  private static final java.util.regex.Pattern MODEL = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+(?=[,)])");

  /**
   * A plan in {@code max} characters. A cascade or vote keeps its shape, how many models it asks and
   * the last one whole (the model a cascade escalates to): the other models' names are shortened
   * alike until it fits. Anything else is cut in the middle.
   */
  static String fitPlan(String plan, int max) {
    if (len(plan) <= max) {
      return plan;
    }
    if (plan.startsWith("cascade(") || plan.startsWith("vote(")) {
      List<int[]> names = new ArrayList<>();
      java.util.regex.Matcher m = MODEL.matcher(plan);
      while (m.find()) {
        names.add(new int[] {m.start(), m.end()});
      }
      int longest = names.stream().mapToInt(n -> n[1] - n[0]).max().orElse(0);
      for (int keep = longest - 1; keep >= 1 && names.size() > 1; keep--) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (int i = 0; i < names.size(); i++) {
          int[] n = names.get(i);
          sb.append(plan, at, n[0]);
          String name = plan.substring(n[0], n[1]);
          boolean last = i == names.size() - 1;
          sb.append(last || name.length() <= keep ? name : name.substring(0, keep - 1) + "…");
          at = n[1];
        }
        sb.append(plan.substring(at));
        if (len(sb.toString()) <= max) {
          return sb.toString();
        }
      }
    }
    return cutInTheMiddle(plan, max);
  }

  /**
   * A plan cut to {@code max} characters in the middle: the strategy at the start and the model a
   * cascade escalates to at the end both stay, so plans that differ there look different.
   */
  static String cutInTheMiddle(String s, int max) {
    int n = s.codePointCount(0, s.length());
    if (n <= max) {
      return s;
    }
    int keep = Math.max(0, max - 1);
    int head = keep / 2;
    int tail = keep - head;
    return s.substring(0, s.offsetByCodePoints(0, head)) + "…" + s.substring(s.offsetByCodePoints(0, n - tail));
  }

  private static String pad(String s, int w, boolean right) {
    int n = w - s.codePointCount(0, s.length());
    if (n <= 0) {
      return s;
    }
    return right ? " ".repeat(n) + s : s + " ".repeat(n);
  }

  private static String stripTrailing(String s) {
    return s.stripTrailing();
  }
}
