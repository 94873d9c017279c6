package io.lfvit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs on the Debian Fashion-MNIST files (CI installs dataset-fashion-mnist). */
class ClutteredCanvasTest {
    private static Datasets.Splits splits;

    @BeforeAll
    static void load() throws IOException {
        splits = Datasets.clutteredFashionMnist(FashionMnist.DEFAULT_DIR);
    }

    @Test
    void splitsHaveTheDocumentedSizes() {
        assertEquals(55_000, splits.train().size());
        assertEquals(5_000, splits.validation().size());
        assertEquals(10_000, splits.test().size());
        assertEquals(10, splits.test().classNames().size());
        assertEquals(112, splits.test().imageSize());
    }

    @Test
    void canvasesArePureFunctionsOfIndexAndEpoch() {
        Sample a = splits.test().get(17, 0, false);
        Sample b = splits.test().get(17, 5, false);
        assertArrayEquals(a.pixels(), b.pixels(), "without augmentation the epoch does not matter");
        Sample e1 = splits.train().get(17, 1, true);
        assertArrayEquals(e1.pixels(), splits.train().get(17, 1, true).pixels());
        assertFalse(Arrays.equals(e1.pixels(), splits.train().get(17, 2, true).pixels()), "a new epoch re-places the item");
        assertEquals(e1.label(), splits.train().get(17, 2, true).label());
    }

    @Test
    void theItemIsVisibleOnAMostlyBlackCanvas() {
        Sample s = splits.test().get(3, 0, false);
        int bright = 0;
        for (byte p : s.pixels()) {
            bright += (p & 0xff) > 40 ? 1 : 0;
        }
        assertTrue(bright > 200 && bright < 112 * 112 / 2, "bright pixels: " + bright);
    }

    @Test
    void aMissingDatasetSaysHowToInstallIt() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> FashionMnist.load(java.nio.file.Path.of("/nonexistent"), "train"));
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e.getMessage());
    }
}
