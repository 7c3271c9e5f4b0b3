package dev.effort.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Writes a {@link BenchReport} as a self-contained HTML page with one PNG chart per data set. */
public final class BenchHtml {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final String CSS =
      """
      body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2em auto;\
      max-width:1100px;padding:0 1em;color:#222;line-height:1.4}
      h1{margin-bottom:.2em}
      h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
      .method{font-size:1.05em}
      .meta{color:#555}
      code{background:#f4f4f4;padding:0 .3em;border-radius:3px}
      img{max-width:100%;height:auto;border:1px solid #eee}
      table{border-collapse:collapse;margin:1em 0;font-size:.92em}
      th,td{padding:.3em .7em;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
      th{background:#f6f6f6;border-bottom:2px solid #ccc;white-space:nowrap}
      td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      td.plan{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;color:#444}
      td.note{color:#8a5a00;font-style:italic}
      tr.k-level td:first-child{font-weight:600;color:#1f5f8f}
      tr.k-oracle td:first-child,tr.k-auto td:first-child{font-weight:600}
      .foot{color:#555;font-size:.9em;margin:.2em 0}
      """;

  private BenchHtml() {}

  /** What a report wrote: the HTML page and its PNG charts, one per data set. */
  public record Written(Path html, List<Path> pngs) {}

  /**
   * Writes {@code dir/index.html} and one chart {@code dir/<data set>.png} per data set
   * (folders are created).
   *
   * @return the path of index.html
   */
  public static Path write(BenchReport report, Path dir) {
    return write(report, dir, "index.html", "").html();
  }

  /**
   * Writes the report where {@code --report} says: a folder ({@code index.html} and {@code <data set>.png}
   * in it), or, for a name ending in {@code .html} or {@code .htm}, that file, with its charts beside it
   * as {@code <name>-<data set>.png}.
   */
  public static Written writeTo(BenchReport report, Path target) {
    String name = target.getFileName() == null ? "" : target.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".html") || lower.endsWith(".htm")) {
      Path parent = target.toAbsolutePath().getParent();
      String stem = name.substring(0, name.lastIndexOf('.'));
      return write(report, parent, name, stem + "-");
    }
    return write(report, target, "index.html", "");
  }

  /** Whether {@code --report} names an HTML file rather than a folder. */
  public static boolean isFile(Path target) {
    String name = target.getFileName() == null ? "" : target.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".html") || name.endsWith(".htm");
  }

  private static Written write(BenchReport report, Path dir, String indexName, String pngPrefix) {
    try {
      Files.createDirectories(dir);
      List<String> pngs = pngNames(report).stream().map(n -> pngPrefix + n).toList();
      List<Path> written = new java.util.ArrayList<>();
      for (int i = 0; i < report.datasets().size(); i++) {
        Path png = dir.resolve(pngs.get(i));
        BenchChart.writePng(report.datasets().get(i), png);
        written.add(png);
      }
      Path index = dir.resolve(indexName);
      Files.writeString(index, html(report, pngs), StandardCharsets.UTF_8);
      return new Written(index, List.copyOf(written));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bench report to " + dir, e);
    }
  }

  /** "&lt;data set&gt;.png", made safe as a file name and unique within the report. */
  static List<String> pngNames(BenchReport report) {
    Set<String> used = new HashSet<>();
    return report.datasets().stream()
        .map(
            d -> {
              String base = fileSafe(d.name());
              String name = base + ".png";
              for (int i = 2; !used.add(name.toLowerCase(Locale.ROOT)); i++) {
                name = base + "-" + i + ".png";
              }
              return name;
            })
        .toList();
  }

  static String fileSafe(String name) {
    String s = BenchFormat.nullToEmpty(name).replaceAll("[^A-Za-z0-9._-]", "_");
    s = s.replaceAll("^[.]+", "_");
    return s.isEmpty() || s.equalsIgnoreCase("index") ? "dataset_" + s : s;
  }

  static String html(BenchReport report, List<String> pngs) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<title>Effort bench");
    if (report.ladder() != null) {
      h.append(" — ").append(esc(report.ladder()));
    }
    h.append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    h.append("<h1>Effort bench</h1>\n");
    if (report.method() != null) {
      h.append("<p class=\"method\">").append(esc(report.method())).append("</p>\n");
    }
    h.append("<p class=\"meta\">Data: <code>")
        .append(esc(report.dataDir()))
        .append("</code> · ladder: <code>")
        .append(esc(report.ladder()))
        .append("</code> · ")
        .append(report.datasets().size())
        .append(report.datasets().size() == 1 ? " data set" : " data sets")
        .append("</p>\n");
    h.append(
        "<p class=\"foot\">Accuracy counts graded prompts only. USD per 1,000 requests. Latency is"
            + " modeled. “% max” is relative to the <code>max</code> effort level.</p>\n");
    if (report.datasets().size() > 1) {
      h.append("<ul>\n");
      for (int i = 0; i < report.datasets().size(); i++) {
        DatasetResult d = report.datasets().get(i);
        h.append("<li><a href=\"#ds-")
            .append(i + 1)
            .append("\">")
            .append(esc(d.name()))
            .append("</a></li>\n");
      }
      h.append("</ul>\n");
    }
    for (int i = 0; i < report.datasets().size(); i++) {
      dataset(h, report.datasets().get(i), pngs.get(i), i + 1);
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void dataset(StringBuilder h, DatasetResult d, String png, int n) {
    h.append("<section id=\"ds-").append(n).append("\">\n");
    h.append("<h2>").append(esc(BenchFormat.title(d))).append("</h2>\n");
    h.append("<img src=\"")
        .append(esc(png))
        .append("\" width=\"")
        .append(BenchChart.WIDTH)
        .append("\" height=\"")
        .append(BenchChart.HEIGHT)
        .append("\" alt=\"")
        .append(esc("accuracy vs cost per 1,000 requests for " + d.name()))
        .append("\">\n");

    List<List<String>> rowCells = BenchFormat.cells(d);
    List<String> headers = BenchFormat.HEADERS;
    h.append("<table>\n<thead><tr>");
    for (int c = 0; c < headers.size(); c++) {
      h.append(c >= BenchFormat.FIRST_NUMERIC ? "<th class=\"num\">" : "<th>")
          .append(esc(headers.get(c)))
          .append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    if (d.rows().isEmpty()) {
      h.append("<tr><td colspan=\"").append(headers.size()).append("\" class=\"note\">no rows</td></tr>\n");
    }
    for (int i = 0; i < d.rows().size(); i++) {
      BenchRow r = d.rows().get(i);
      List<String> cells = rowCells.get(i);
      h.append("<tr class=\"k-").append(esc(BenchHtml.fileSafe(String.valueOf(r.kind())))).append("\">");
      h.append("<td>").append(esc(cells.get(0))).append("</td>");
      h.append("<td class=\"plan\">").append(esc(cells.get(1))).append("</td>");
      if (!r.measured()) {
        h.append("<td class=\"note\" colspan=\"")
            .append(headers.size() - BenchFormat.FIRST_NUMERIC)
            .append("\">")
            .append(esc(cells.get(2)))
            .append("</td>");
      } else {
        for (int c = BenchFormat.FIRST_NUMERIC; c < cells.size(); c++) {
          h.append("<td class=\"num\">").append(esc(cells.get(c).strip())).append("</td>");
        }
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
    for (String note : BenchFormat.footnotes(d)) {
      h.append("<p class=\"foot\">").append(esc(note)).append("</p>\n");
    }
    h.append("</section>\n");
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
