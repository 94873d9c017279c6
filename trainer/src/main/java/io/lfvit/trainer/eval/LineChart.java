package io.lfvit.trainer.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** A small PNG line/scatter chart (Java2D, headless), enough for accuracy-versus-cost plots. */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
        new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0x17BECF)};
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
        Axis y = new Axis(minY - padY, maxY + padY, H - BOTTOM, TOP);
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        drawAxes(g, x, y);
        for (int k = 0; k < series.size(); k++) {
            drawSeries(g, series.get(k), x, y, PALETTE[k % PALETTE.length], k);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private void drawAxes(Graphics2D g, Axis x, Axis y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i <= 5; i++) {
            double vx = x.min + (x.max - x.min) * i / 5;
            double vy = y.min + (y.max - y.min) * i / 5;
            int px = x.pixel(vx);
            int py = y.pixel(vy);
            g.setColor(new Color(0xE5E5E5));
            g.drawLine(px, TOP, px, H - BOTTOM);
            g.drawLine(LEFT, py, W - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.4g", vx), px - 20, H - BOTTOM + 20);
            g.drawString(String.format("%.4g", vy), LEFT - 55, py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        g.drawString(xLabel, (W - g.getFontMetrics().stringWidth(xLabel)) / 2, H - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(H + g.getFontMetrics().stringWidth(yLabel)) / 2, 25);
        rotated.dispose();
    }

    private void drawSeries(Graphics2D g, Series s, Axis x, Axis y, Color color, int index) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.2f));
        for (int i = 0; i < s.x().length; i++) {
            int px = x.pixel(s.x()[i]);
            int py = y.pixel(s.y()[i]);
            if (s.line() && i > 0) {
                g.drawLine(x.pixel(s.x()[i - 1]), y.pixel(s.y()[i - 1]), px, py);
            }
            g.fillOval(px - 5, py - 5, 10, 10);
            if (s.labels() != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.drawString(s.labels()[i], px + 7, py - 7);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int ly = TOP + 22 + 22 * index;
        g.fillRect(W - RIGHT - 230, ly - 10, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString(s.name(), W - RIGHT - 210, ly + 2);
    }

    private record Axis(double min, double max, int from, int to) {
        int pixel(double v) {
            return (int) Math.round(from + (v - min) / (max - min) * (to - from));
        }
    }
}
