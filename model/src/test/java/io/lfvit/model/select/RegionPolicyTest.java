package io.lfvit.model.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegionPolicyTest {
    private final RegionGeometry geometry = new RegionGeometry(7, 5, 0.88);

    /** A GCA map with a bright blob in the bottom-right corner. */
    private static float[] blobAt(int row, int col) {
        float[] gca = new float[49];
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 7; c++) {
                gca[r * 7 + c] = (float) Math.exp(-((r - row) * (r - row) + (c - col) * (c - col)) / 2.0);
            }
        }
        return gca;
    }

    @Test
    void ngcaPicksTheWindowWithTheLargestSum() {
        Region region = RegionPolicy.ngca(geometry).select(blobAt(6, 6), new Random(0));
        assertEquals(2, region.row());
        assertEquals(2, region.col());
        assertEquals(22, region.k());
        assertEquals(27, region.coarseCells().length);
        assertEquals(116, region.focusTokens());
        assertEquals(48, region.splitCells()[0], "the hottest cell is ranked first");
    }

    @Test
    void ngcaPrefersAWideWarmAreaOverOneHotCell() {
        float[] gca = new float[49];
        Arrays.fill(gca, 0.01f);
        gca[0] = 1.0f; // a single hot cell in the top-left corner
        for (int r = 2; r < 7; r++) {
            for (int c = 2; c < 7; c++) {
                gca[r * 7 + c] = 0.1f; // 25 warm cells sum to 2.5
            }
        }
        Region ngca = RegionPolicy.ngca(geometry).select(gca, new Random(0));
        Region maxGca = RegionPolicy.maxGca(geometry).select(gca, new Random(0));
        assertEquals(2, ngca.row());
        assertEquals(2, ngca.col());
        assertEquals(0, maxGca.row());
        assertEquals(0, maxGca.col());
    }

    @Test
    void negativeNgcaAndMinGcaPickTheColdestPlaces() {
        float[] gca = blobAt(6, 6);
        Region negative = RegionPolicy.negativeNgca(geometry).select(gca, new Random(0));
        Region min = RegionPolicy.minGca(geometry).select(gca, new Random(0));
        assertEquals(0, negative.row());
        assertEquals(0, negative.col());
        assertEquals(0, min.row());
        assertEquals(0, min.col());
    }

    @Test
    void coarseCellsAreOutsideThenLeftoversByDescendingGca() {
        float[] gca = blobAt(3, 3);
        Region region = RegionPolicy.ngca(geometry).select(gca, new Random(0));
        int window = geometry.windowAt(region.row(), region.col());
        int[] outside = geometry.outside(window);
        assertArrayEquals(outside, Arrays.copyOf(region.coarseCells(), outside.length));
        int[] leftovers = Arrays.copyOfRange(region.coarseCells(), outside.length, region.coarseCells().length);
        float minSplit = Float.MAX_VALUE;
        for (int cell : region.splitCells()) {
            minSplit = Math.min(minSplit, gca[cell]);
        }
        for (int i = 0; i < leftovers.length; i++) {
            assertTrue(gca[leftovers[i]] <= minSplit, "leftovers rank below every split cell");
            if (i > 0) {
                assertTrue(gca[leftovers[i - 1]] >= gca[leftovers[i]], "leftovers in descending GCA");
            }
        }
    }

    @Test
    void cfVitSplitsTheGloballyTopCells() {
        Region region = RegionPolicy.globalTopK(7, 0.5).select(blobAt(0, 0), new Random(0));
        assertEquals(25, region.k());
        assertEquals(125, region.focusTokens());
        assertEquals(0, region.splitCells()[0]);
    }

    @Test
    void wholeImageSplitsEveryCell() {
        Region region = RegionPolicy.wholeImage(7).select(new float[49], new Random(0));
        assertEquals(49, region.k());
        assertEquals(197, region.focusTokens());
    }

    @Test
    void randomWindowsCoverAllPositions() {
        RegionPolicy random = RegionPolicy.randomWindow(geometry);
        Random rng = new Random(1);
        boolean[] seen = new boolean[geometry.windowCount()];
        for (int i = 0; i < 200; i++) {
            Region r = random.select(new float[49], rng);
            seen[geometry.windowAt(r.row(), r.col())] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }
}
