package io.lfvit.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    /** The first two palette colours: the first series is drawn red, the second blue. */
    private static final Color RED = new Color(0xD62728);
    private static final Color BLUE = new Color(0x1F77B4);

    @Test
    void ticksAreRoundNumbersInsideTheRange() {
        assertEquals(List.of(0.36, 0.38, 0.40, 0.42, 0.44, 0.46, 0.48), rounded(LineChart.ticks(0.3571, 0.4962)));
        assertEquals(List.of(50.0, 60.0, 70.0, 80.0, 90.0), rounded(LineChart.ticks(45, 93)));
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), rounded(LineChart.ticks(-0.01, 1.01)));
    }

    @Test
    void writesAPngOfTheDeclaredSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested").resolve("chart.png");
        new LineChart("t", "x", "y")
                .add(new LineChart.Series("a", new double[] {0.37, 0.41, 0.49, 0.49}, new double[] {54.6, 55.0, 55.5, 55.5},
                        new String[] {"0.5", "0.6", "0.9", "1.0"}, true))
                .write(file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(600, image.getHeight());
    }

    /**
     * Two lines over x, y in [0, 1]: "rising" from (0, 0) to (1, 1), "falling" from (0, 1) to (1, 0). The
     * 900 x 600 chart's plot area spans x pixels 90..870 and y pixels 530..60 (bottom to top), padded by 8% of
     * the x range on both sides and by 12% of the y range below and 19.2% above, so data (x, y) lands at pixel
     * (90 + (x + 0.08) / 1.16 * 780, 530 - (y + 0.12) / 1.312 * 470).
     */
    @Test
    void drawsEachLineInItsColourWhereTheDataPutsItAndLabelsTheAxes(@TempDir Path dir) throws Exception {
        BufferedImage image = ImageIO.read(crossingLines(dir, false).toFile());
        assertShowsTheCrossingLines(image);
    }

    /** The assertions above cannot pass on a blank chart, nor on one with the series swapped. */
    @Test
    void theChecksFailOnABlankOrAWrongChart(@TempDir Path dir) throws Exception {
        BufferedImage blank = new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = blank.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 900, 600);
        g.dispose();
        assertThrows(AssertionError.class, () -> assertShowsTheCrossingLines(blank));
        BufferedImage swapped = ImageIO.read(crossingLines(dir, true).toFile());
        assertThrows(AssertionError.class, () -> assertShowsTheCrossingLines(swapped));
    }

    private static Path crossingLines(Path dir, boolean swapped) throws Exception {
        LineChart.Series rising = new LineChart.Series("rising", new double[] {0, 0.5, 1}, new double[] {0, 0.5, 1}, null, true);
        LineChart.Series falling = new LineChart.Series("falling", new double[] {0, 0.5, 1}, new double[] {1, 0.5, 0}, null, true);
        Path file = dir.resolve(swapped ? "swapped.png" : "chart.png");
        new LineChart("Two lines", "x label", "y label")
                .add(swapped ? falling : rising)
                .add(swapped ? rising : falling)
                .write(file);
        return file;
    }

    private static void assertShowsTheCrossingLines(BufferedImage image) {
        assertEquals(900, image.getWidth());
        assertEquals(600, image.getHeight());
        // Points and the lines between them, in their series' colours (x = 0, 0.25, 0.75, 1 away from the crossing).
        for (double x : new double[] {0, 0.25, 0.75, 1}) {
            assertColourNear(image, RED, px(x), py(x), "rising line at x=" + x);
            assertColourNear(image, BLUE, px(x), py(1 - x), "falling line at x=" + x);
        }
        // Off the lines: the plot area's white background (above the rising line, left of the falling one).
        assertColourNear(image, Color.WHITE, px(0.1), py(0.45), "background");
        // Axis labels: dark text pixels centred under the plot ("x label") and left of it, rotated ("y label").
        assertTrue(darkPixels(image, 420, 555, 480, 580) > 20, "x axis label drawn");
        assertTrue(darkPixels(image, 10, 260, 30, 340) > 20, "y axis label drawn");
        // Tick labels under the x axis (0.0 at x = 0) and left of the y axis (0.0 at y = 0).
        assertTrue(darkPixels(image, px(0) - 12, 537, px(0) + 12, 555) > 10, "x tick label at 0");
        assertTrue(darkPixels(image, 50, py(0) - 9, 85, py(0) + 7) > 10, "y tick label at 0");
    }

    private static int px(double x) {
        return (int) Math.round(90 + (x + 0.08) / 1.16 * 780);
    }

    private static int py(double y) {
        return (int) Math.round(530 - (y + 0.12) / 1.312 * 470);
    }

    /** Some pixel within 1 of (x, y) has {@code expected}'s colour (antialiasing blends only the edges). */
    private static void assertColourNear(BufferedImage image, Color expected, int x, int y, String what) {
        for (int dx = -1; dx <= 1; dx++) {
            for (int dy = -1; dy <= 1; dy++) {
                Color c = new Color(image.getRGB(x + dx, y + dy));
                if (Math.abs(c.getRed() - expected.getRed()) + Math.abs(c.getGreen() - expected.getGreen())
                        + Math.abs(c.getBlue() - expected.getBlue()) <= 30) {
                    return;
                }
            }
        }
        throw new AssertionError(what + ": expected " + expected + " at (" + x + ", " + y + "), found "
                + new Color(image.getRGB(x, y)));
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int x = x0; x <= x1; x++) {
            for (int y = y0; y <= y1; y++) {
                Color c = new Color(image.getRGB(x, y));
                n += c.getRed() + c.getGreen() + c.getBlue() < 3 * 128 ? 1 : 0;
            }
        }
        return n;
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(v -> Math.round(v * 1e6) / 1e6).toList();
    }
}
