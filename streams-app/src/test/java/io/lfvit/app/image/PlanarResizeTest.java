package io.lfvit.app.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The separable area average against the per-pixel definition it replaces (every source pixel by its overlap). */
class PlanarResizeTest {

    /** The area average of output pixel (x, y), computed from its definition. */
    private static double reference(byte[] planes, int w, int h, int x, int y, int size) {
        double sx = (double) w / size;
        double sy = (double) h / size;
        double x0 = x * sx, x1 = x0 + sx, y0 = y * sy, y1 = y0 + sy;
        double sum = 0, area = 0;
        for (int yy = (int) y0; yy < Math.min(h, Math.ceil(y1)); yy++) {
            for (int xx = (int) x0; xx < Math.min(w, Math.ceil(x1)); xx++) {
                double weight = (Math.min(x1, xx + 1) - Math.max(x0, xx)) * (Math.min(y1, yy + 1) - Math.max(y0, yy));
                sum += weight * (planes[yy * w + xx] & 0xff);
                area += weight;
            }
        }
        return sum / area;
    }

    @ParameterizedTest
    @CsvSource({"240,135", "1920,1080", "113,112", "112,400", "317,239"})
    void theSeparableAreaAverageIsThePerPixelOne(int w, int h) {
        byte[] planes = new byte[w * h];
        new Random(w * 31L + h).nextBytes(planes);
        byte[] out = new ImageDecoder.Planar(planes, 1, h, w).toModelInput(112, 1);
        double worst = 0;
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                worst = Math.max(worst, Math.abs(reference(planes, w, h, x, y, 112) - (out[y * 112 + x] & 0xff)));
            }
        }
        assertTrue(worst <= 0.5 + 1e-9, w + "x" + h + ": worst |reference - resized| " + worst);
    }
}
