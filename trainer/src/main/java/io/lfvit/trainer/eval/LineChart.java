package io.lfvit.trainer.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** A small PNG line/scatter chart (Java2D, headless), enough for accuracy-versus-cost plots. */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
        new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0x17BECF)};
    private static final Color GRID = new Color(0xE5E5E5);
    private static final int W = 900;
    private static final int H = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    /** One series; {@code labels} (optional, same length) annotate the points. */
    public record Series(String name, double[] x, double[] y, String[] labels, boolean line) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    public void write(Path file) throws IOException {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                minX = Math.min(minX, s.x()[i]);
                maxX = Math.max(maxX, s.x()[i]);
                minY = Math.min(minY, s.y()[i]);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        double padX = Math.max(1e-9, (maxX - minX) * 0.08);
        double padY = Math.max(1e-9, (maxY - minY) * 0.12);
        Axis x = new Axis(minX - padX, maxX + padX, LEFT, W - RIGHT);
        Axis y = new Axis(minY - padY, maxY + 1.6 * padY, H - BOTTOM, TOP); // room above the top points' labels
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        drawAxes(g, x, y);
        List<Rectangle> taken = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) { // the legend's place
            taken.add(new Rectangle(W - RIGHT - 235, legendY(k) - 14, 235, 22));
        }
        for (int k = 0; k < series.size(); k++) {
            drawSeries(g, series.get(k), x, y, PALETTE[k % PALETTE.length], k, taken);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private void drawAxes(Graphics2D g, Axis x, Axis y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double vx : ticks(x.min, x.max)) {
            int px = x.pixel(vx);
            g.setColor(GRID);
            g.drawLine(px, TOP, px, H - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = format(vx, x.max - x.min);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, H - BOTTOM + 20);
        }
        for (double vy : ticks(y.min, y.max)) {
            int py = y.pixel(vy);
            g.setColor(GRID);
            g.drawLine(LEFT, py, W - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(vy, y.max - y.min);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        g.drawString(xLabel, (W - g.getFontMetrics().stringWidth(xLabel)) / 2, H - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(H + g.getFontMetrics().stringWidth(yLabel)) / 2, 25);
        rotated.dispose();
    }

    private void drawSeries(Graphics2D g, Series s, Axis x, Axis y, Color color, int index, List<Rectangle> taken) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.2f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int n = s.x().length;
        for (int i = 0; i < n; i++) {
            int px = x.pixel(s.x()[i]);
            int py = y.pixel(s.y()[i]);
            if (s.line() && i > 0) {
                g.drawLine(x.pixel(s.x()[i - 1]), y.pixel(s.y()[i - 1]), px, py);
            }
            g.fillOval(px - 5, py - 5, 10, 10);
            taken.add(new Rectangle(px - 5, py - 5, 10, 10)); // labels must not hide points
        }
        if (s.labels() != null) {
            // Points that land on the same pixel (e.g. high etas where nothing exits) share one label.
            for (int i = 0; i < n; ) {
                int j = i;
                while (j + 1 < n && x.pixel(s.x()[j + 1]) == x.pixel(s.x()[i]) && y.pixel(s.y()[j + 1]) == y.pixel(s.y()[i])) {
                    j++;
                }
                String label = j == i ? s.labels()[i] : s.labels()[i] + ".." + s.labels()[j].replaceFirst("^[^0-9]*", "");
                placeLabel(g, label, x.pixel(s.x()[i]), y.pixel(s.y()[i]), taken);
                i = j + 1;
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int ly = legendY(index);
        g.fillRect(W - RIGHT - 230, ly - 10, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString(s.name(), W - RIGHT - 210, ly + 2);
    }

    /** Legend rows sit bottom right, where accuracy-against-cost curves rarely go. */
    private int legendY(int index) {
        return H - BOTTOM - 16 - 22 * (series.size() - 1 - index);
    }

    /** Draws a point label at the first free spot around the point; skips it if every spot overlaps others. */
    private static void placeLabel(Graphics2D g, String label, int px, int py, List<Rectangle> taken) {
        int w = g.getFontMetrics().stringWidth(label);
        int h = g.getFontMetrics().getAscent();
        int[][] offsets = {{7, -7}, {7, h + 7}, {-7 - w, -7}, {-7 - w, h + 7}, {-w / 2, -12}, {-w / 2, h + 12},
            {-w / 2, -12 - h}, {-w / 2, 2 * h + 12}};
        for (int[] o : offsets) {
            Rectangle r = new Rectangle(px + o[0], py + o[1] - h, w, h);
            if (r.x >= LEFT && r.x + w <= W - RIGHT && r.y >= TOP && r.y + h <= H - BOTTOM
                    && taken.stream().noneMatch(r::intersects)) {
                taken.add(r);
                g.drawString(label, r.x, py + o[1]);
                return;
            }
        }
    }

    /** Round tick values (1, 2 or 5 times a power of ten apart), about five of them. */
    static List<Double> ticks(double min, double max) {
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5 : 10);
        List<Double> out = new ArrayList<>();
        for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return out;
    }

    private static String format(double value, double range) {
        List<Double> t = ticks(0, range);
        double step = t.size() > 1 ? t.get(1) - t.get(0) : range;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format("%." + Math.min(decimals, 6) + "f", value);
    }

    private record Axis(double min, double max, int from, int to) {
        int pixel(double v) {
            return (int) Math.round(from + (v - min) / (max - min) * (to - from));
        }
    }
}
