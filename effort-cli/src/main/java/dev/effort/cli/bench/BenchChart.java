package dev.effort.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Accuracy (y) against USD per 1,000 requests (x) for one data set: the effort levels as a
 * connected line, each single model as its own marker, the oracle and auto as distinct series.
 * Every point carries a text label placed so that labels do not cover markers or each other.
 */
final class BenchChart {

  static final int WIDTH = 900;
  static final int HEIGHT = 600;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final Color LEVEL = new Color(31, 119, 180);
  private static final Color ORACLE = new Color(20, 20, 20);
  private static final Color AUTO = new Color(214, 39, 40);
  private static final Color[] MODEL_COLORS = {
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(148, 103, 189),
    new Color(140, 86, 75),
    new Color(227, 119, 194),
    new Color(188, 189, 34),
    new Color(23, 190, 207),
    new Color(127, 127, 127),
    new Color(174, 199, 232),
    new Color(255, 187, 120),
    new Color(152, 223, 138),
    new Color(197, 176, 213),
  };
  private static final Marker[] MODEL_MARKERS = {
    SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
    SeriesMarkers.OVAL, SeriesMarkers.TRAPEZOID, SeriesMarkers.RECTANGLE,
  };
  private static final Color[] OTHER_COLORS = {
    new Color(99, 99, 99), new Color(0, 128, 128), new Color(128, 0, 128)
  };

  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font LEVEL_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 12);
  private static final Font FOOT_FONT = new Font(Font.SANS_SERIF, Font.ITALIC, 11);
  private static final int MARKER = 10;
  private static final int LABEL_MAX = 24;

  private BenchChart() {}

  /** Writes the chart of {@code result} as a PNG of {@link #WIDTH} x {@link #HEIGHT} pixels. */
  static void writePng(DatasetResult result, Path file) throws IOException {
    BufferedImage image = render(result);
    try (OutputStream out = Files.newOutputStream(file)) {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    }
  }

  static BufferedImage render(DatasetResult result) {
    return BitmapEncoder.getBufferedImage(build(result));
  }

  /** One plotted point and its label. */
  record Point(double x, double y, String label, Color color, Font font, String line) {}

  static XYChart build(DatasetResult result) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(BenchFormat.title(result) + ": accuracy vs cost")
            .xAxisTitle("USD per 1,000 requests")
            .yAxisTitle("accuracy")
            .build();
    XYStyler st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(new Color(160, 160, 160));
    st.setPlotGridLinesColor(new Color(225, 225, 225));
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setLegendBorderColor(new Color(200, 200, 200));
    st.setMarkerSize(MARKER);
    st.setChartPadding(12);
    st.setYAxisDecimalPattern("0.00");
    st.setToolTipsEnabled(false);

    List<Point> points = new ArrayList<>();
    Set<String> seriesNames = new HashSet<>();
    List<BenchRow> plotted = new ArrayList<>();
    for (BenchRow r : result.rows()) {
      if (r.measured() && BenchFormat.finite(r.costPer1kUsd())) {
        plotted.add(r);
      }
    }

    // effort levels: one connected line, in the order given (low … max)
    List<BenchRow> levels = plotted.stream().filter(r -> "level".equals(r.kind())).toList();
    if (!levels.isEmpty()) {
      XYSeries s = add(chart, seriesNames, "effort levels", levels);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(LEVEL);
      s.setLineColor(LEVEL);
      s.setLineWidth(2.5f);
      for (BenchRow r : levels) {
        points.add(point(r, BenchFormat.nullToEmpty(r.name()), LEVEL.darker(), LEVEL_FONT, "level"));
      }
    }

    // single models: one series each, so the legend tells them apart
    int m = 0;
    for (BenchRow r : plotted) {
      if (!"model".equals(r.kind())) {
        continue;
      }
      Color c = MODEL_COLORS[m % MODEL_COLORS.length];
      Marker marker = MODEL_MARKERS[m % MODEL_MARKERS.length];
      m++;
      String label = shortName(r.name());
      XYSeries s = add(chart, seriesNames, label, List.of(r));
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(marker);
      s.setMarkerColor(c);
      points.add(point(r, label, c.darker(), LABEL_FONT));
    }

    List<BenchRow> oracle = plotted.stream().filter(r -> "oracle".equals(r.kind())).toList();
    if (!oracle.isEmpty()) {
      XYSeries s = add(chart, seriesNames, "oracle", oracle);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(ORACLE);
      for (BenchRow r : oracle) {
        points.add(point(r, BenchFormat.nullToEmpty(r.name()), ORACLE, LEVEL_FONT));
      }
    }

    List<BenchRow> auto = plotted.stream().filter(r -> "auto".equals(r.kind())).toList();
    if (!auto.isEmpty()) {
      XYSeries s = add(chart, seriesNames, "auto", auto);
      s.setXYSeriesRenderStyle(
          auto.size() > 1 ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.CROSS);
      s.setMarkerColor(AUTO);
      s.setLineColor(AUTO);
      s.setLineWidth(2f);
      s.setLineStyle(
          new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
      for (BenchRow r : auto) {
        points.add(point(r, BenchFormat.nullToEmpty(r.name()), AUTO.darker(), LEVEL_FONT, "auto"));
      }
    }

    // any other kind (e.g. "random"): one scatter series per kind
    Map<String, List<BenchRow>> others = new LinkedHashMap<>();
    for (BenchRow r : plotted) {
      String k = String.valueOf(r.kind());
      if (!Set.of("level", "model", "oracle", "auto").contains(k)) {
        others.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
      }
    }
    int o = 0;
    for (Map.Entry<String, List<BenchRow>> e : others.entrySet()) {
      Color c = OTHER_COLORS[o % OTHER_COLORS.length];
      o++;
      XYSeries s = add(chart, seriesNames, e.getKey(), e.getValue());
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.PLUS);
      s.setMarkerColor(c);
      for (BenchRow r : e.getValue()) {
        points.add(point(r, shortName(r.name()), c.darker(), LABEL_FONT));
      }
    }

    boolean log = axes(chart, st, points);

    Set<String> notes = new LinkedHashSet<>();
    for (BenchRow r : result.rows()) {
      if (!plotted.contains(r)) {
        String why = r.measured() ? "no cost figure" : BenchFormat.noteOf(r);
        notes.add(BenchFormat.nullToEmpty(r.name()) + " (" + why + ")");
      }
    }
    String footer = notes.isEmpty() ? null : "not plotted: " + String.join("; ", notes);
    if (points.isEmpty()) {
      footer = "no measured rows" + (footer == null ? "" : " — " + footer);
    }
    chart.addAnnotation(
        new Labels(points, footer, log ? st.getXAxisMin() : Double.NaN, log ? st.getXAxisMax() : Double.NaN));
    return chart;
  }

  private static Point point(BenchRow r, String label, Color color, Font font) {
    return point(r, label, color, font, null);
  }

  private static Point point(BenchRow r, String label, Color color, Font font, String line) {
    return new Point(r.costPer1kUsd(), r.accuracy(), label, color, font, line);
  }

  private static XYSeries add(XYChart chart, Set<String> names, String label, List<BenchRow> rows) {
    String name = label.isEmpty() ? "series" : label;
    for (int i = 2; !names.add(name); i++) {
      name = label + " (" + i + ")";
    }
    double[] x = rows.stream().mapToDouble(BenchRow::costPer1kUsd).toArray();
    double[] y = rows.stream().mapToDouble(BenchRow::accuracy).toArray();
    XYSeries s = chart.addSeries(name, x, y);
    s.setLabel(name);
    return s;
  }

  /** The model id without its organisation prefix, shortened for a label. */
  static String shortName(String name) {
    String s = BenchFormat.nullToEmpty(name);
    if (s.matches("[A-Za-z0-9._-]+/[^/]+")) {
      s = s.substring(s.indexOf('/') + 1);
    }
    return BenchTable.truncate(s, LABEL_MAX);
  }

  /** Sets the axis ranges; returns whether the x axis is logarithmic. */
  private static boolean axes(XYChart chart, XYStyler st, List<Point> points) {
    if (points.isEmpty()) {
      // an empty chart still needs a (dummy, invisible) series for XChart to draw axes
      XYSeries s = chart.addSeries(" ", new double[] {1}, new double[] {0.5});
      s.setMarker(SeriesMarkers.NONE);
      s.setShowInLegend(false);
      st.setLegendVisible(false);
      st.setXAxisMin(0.0);
      st.setXAxisMax(2.0);
      st.setYAxisMin(0.0);
      st.setYAxisMax(1.0);
      return false;
    }
    double xmin = Double.MAX_VALUE, xmax = -Double.MAX_VALUE;
    double ymin = Double.MAX_VALUE, ymax = -Double.MAX_VALUE;
    for (Point p : points) {
      xmin = Math.min(xmin, p.x());
      xmax = Math.max(xmax, p.x());
      ymin = Math.min(ymin, p.y());
      ymax = Math.max(ymax, p.y());
    }
    boolean log = xmin > 0 && xmax / xmin >= 4;
    if (log) {
      st.setXAxisLogarithmic(true);
      double lo = xmin / 1.6;
      double hi = xmax * 1.8;
      chart.setXAxisTitle("USD per 1,000 requests (log scale)");
      st.setXAxisMin(lo);
      st.setXAxisMax(hi);
      st.setXAxisDecimalPattern("0.##");
    } else {
      double span = Math.max(xmax - xmin, Math.max(Math.abs(xmax) * 0.2, 1e-6));
      st.setXAxisMin(Math.max(xmin >= 0 ? 0 : -Double.MAX_VALUE, xmin - 0.15 * span));
      st.setXAxisMax(xmax + 0.15 * span);
      st.setXAxisDecimalPattern("0.###");
    }
    double span = Math.max(ymax - ymin, 0.05);
    st.setYAxisMin(Math.max(0.0, ymin - 0.1 * span));
    st.setYAxisMax(ymax <= 0.99 ? Math.min(1.0, ymax + 0.1 * span) : 1.0 + 0.02 * span);
    return log;
  }

  /**
   * Draws the point labels after the plot: each label goes to the first candidate position
   * around its point that stays inside the plot and overlaps neither markers nor earlier labels
   * (if none is free, the least overlapping one, with a thin leader line when far away).
   */
  static final class Labels extends Annotation {
    private final List<Point> points;
    private final String footer;
    private final double logMin;
    private final double logMax;

    /** {@code logMin}, {@code logMax}: the range of a logarithmic x axis, else NaN. */
    Labels(List<Point> points, String footer, double logMin, double logMax) {
      super(false);
      this.points = List.copyOf(points);
      this.footer = footer;
      this.logMin = logMin;
      this.logMax = logMax;
    }

    /**
     * XChart labels a logarithmic axis at powers of ten only; add 2 and 5 times each power
     * (and the decades XChart leaves out near the ends) under their tick marks.
     */
    private void minorTickLabels(Graphics2D g, Rectangle2D plot) {
      if (Double.isNaN(logMin)) {
        return;
      }
      AxesChartStyler st = (AxesChartStyler) styler;
      g.setFont(st.getAxisTickLabelsFont());
      FontMetrics fm = g.getFontMetrics();
      int tickLen = st.getAxisTickMarkLength();
      int pad = st.getAxisTickPadding();
      float baseline = (float) (plot.getMaxY() + pad + tickLen + fm.getAscent());
      g.setColor(st.getAxisTickLabelsColor());
      for (int e = (int) Math.floor(Math.log10(logMin)); e <= Math.ceil(Math.log10(logMax)); e++) {
        double decade = Math.pow(10, e);
        for (int m : new int[] {2, 5}) {
          double v = m * decade;
          if (v < logMin || v > logMax) {
            continue;
          }
          String text = tickText(v);
          double x = getXAxisScreenValue(v);
          g.drawString(text, (float) (x - fm.stringWidth(text) / 2.0), baseline);
        }
      }
    }

    private static String tickText(double v) {
      return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    @Override
    public void paint(Graphics2D g) {
      if (!isVisible) {
        return;
      }
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      double left = getXAxisScreenValueForMin();
      double right = getXAxisScreenValueForMax();
      double top = getYAxisScreenValueForMax();
      double bottom = getYAxisScreenValueForMin();
      Rectangle2D plot =
          new Rectangle2D.Double(
              Math.min(left, right), Math.min(top, bottom), Math.abs(right - left), Math.abs(bottom - top));

      minorTickLabels(g, plot);

      List<Rectangle2D> taken = new ArrayList<>();
      double[] sx = new double[points.size()];
      double[] sy = new double[points.size()];
      double half = MARKER / 2.0 + 2;
      for (int i = 0; i < points.size(); i++) {
        sx[i] = getXAxisScreenValue(points.get(i).x());
        sy[i] = getYAxisScreenValue(points.get(i).y());
        taken.add(new Rectangle2D.Double(sx[i] - half, sy[i] - half, 2 * half, 2 * half));
      }
      // the connecting lines (levels, auto) are obstacles too: sample points along each segment
      List<Rectangle2D> lineDots = new ArrayList<>();
      for (int i = 0; i + 1 < points.size(); i++) {
        String line = points.get(i).line();
        if (line != null && line.equals(points.get(i + 1).line())) {
          for (int k = 1; k < 12; k++) {
            double t = k / 12.0;
            double x = sx[i] + t * (sx[i + 1] - sx[i]);
            double y = sy[i] + t * (sy[i + 1] - sy[i]);
            lineDots.add(new Rectangle2D.Double(x - 2, y - 2, 4, 4));
          }
        }
      }
      taken.addAll(lineDots);

      for (int i = 0; i < points.size(); i++) {
        Point p = points.get(i);
        if (p.label().isEmpty() || !plot.contains(sx[i], sy[i])) {
          continue;
        }
        g.setFont(p.font());
        FontMetrics fm = g.getFontMetrics();
        double w = fm.stringWidth(p.label());
        double h = fm.getAscent() + fm.getDescent();
        Rectangle2D best = null;
        double bestCost = Double.MAX_VALUE;
        boolean bestFar = false;
        for (int ring = 1; ring <= 4 && bestCost > 0; ring++) {
          double d = half + 2 + (ring - 1) * 12;
          double[][] offsets = {
            {d, -h / 2}, // right
            {-d - w, -h / 2}, // left
            {-w / 2, -d - h}, // above
            {-w / 2, d}, // below
            {d * 0.7, -d * 0.7 - h}, // upper right
            {d * 0.7, d * 0.7}, // lower right
            {-d * 0.7 - w, -d * 0.7 - h}, // upper left
            {-d * 0.7 - w, d * 0.7}, // lower left
          };
          for (double[] off : offsets) {
            Rectangle2D r = new Rectangle2D.Double(sx[i] + off[0], sy[i] + off[1], w, h);
            double cost = overlap(r, taken) + outside(r, plot) * 4 + (ring - 1) * 0.5;
            if (ring == 1 && cost == 0) {
              best = r;
              bestCost = 0;
              break;
            }
            if (cost < bestCost) {
              best = r;
              bestCost = cost;
              bestFar = ring > 2;
            }
          }
        }
        if (best == null) {
          continue;
        }
        if (bestFar) {
          g.setColor(new Color(150, 150, 150));
          g.setStroke(new BasicStroke(0.8f));
          double cx = Math.max(best.getMinX(), Math.min(sx[i], best.getMaxX()));
          double cy = Math.max(best.getMinY(), Math.min(sy[i], best.getMaxY()));
          g.drawLine((int) sx[i], (int) sy[i], (int) cx, (int) cy);
        }
        // a faint halo keeps text readable over grid lines
        g.setColor(new Color(255, 255, 255, 200));
        g.fill(new Rectangle2D.Double(best.getX() - 1, best.getY(), best.getWidth() + 2, best.getHeight()));
        g.setColor(p.color());
        g.drawString(p.label(), (float) best.getX(), (float) (best.getY() + fm.getAscent()));
        taken.add(best);
      }

      if (footer != null) {
        g.setFont(FOOT_FONT);
        FontMetrics fm = g.getFontMetrics();
        String text = footer;
        double maxW = plot.getWidth() - 12;
        while (fm.stringWidth(text) > maxW && text.length() > 2) {
          text = text.substring(0, text.length() - 2) + "…";
          text = text.replace("……", "…");
        }
        double w = fm.stringWidth(text);
        double h = fm.getAscent() + fm.getDescent();
        Rectangle2D[] corners = {
          new Rectangle2D.Double(plot.getMaxX() - w - 6, plot.getMaxY() - h - 4, w, h),
          new Rectangle2D.Double(plot.getMinX() + 6, plot.getMaxY() - h - 4, w, h),
          new Rectangle2D.Double(plot.getMaxX() - w - 6, plot.getMinY() + 4, w, h),
          new Rectangle2D.Double(plot.getMinX() + 6, plot.getMinY() + 4, w, h),
        };
        Rectangle2D best = corners[0];
        double bestCost = Double.MAX_VALUE;
        for (Rectangle2D r : corners) {
          double c = overlap(r, taken);
          if (c < bestCost) {
            best = r;
            bestCost = c;
          }
        }
        g.setColor(new Color(255, 255, 255, 220));
        g.fill(best);
        g.setColor(new Color(90, 90, 90));
        g.drawString(text, (float) best.getX(), (float) (best.getY() + fm.getAscent()));
      }
      bounds = plot;
    }

    private static double overlap(Rectangle2D r, List<Rectangle2D> taken) {
      double sum = 0;
      for (Rectangle2D t : taken) {
        Rectangle2D i = r.createIntersection(t);
        if (i.getWidth() > 0 && i.getHeight() > 0) {
          sum += i.getWidth() * i.getHeight();
        }
      }
      return sum;
    }

    private static double outside(Rectangle2D r, Rectangle2D plot) {
      Rectangle2D i = r.createIntersection(plot);
      double inside = i.getWidth() > 0 && i.getHeight() > 0 ? i.getWidth() * i.getHeight() : 0;
      return r.getWidth() * r.getHeight() - inside;
    }
  }
}
