package io.lfvit.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {

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
        assertTrue(image.getRGB(450, 300) != 0, "drawn");
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(v -> Math.round(v * 1e6) / 1e6).toList();
    }
}
