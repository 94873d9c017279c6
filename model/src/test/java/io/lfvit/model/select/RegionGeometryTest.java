package io.lfvit.model.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegionGeometryTest {

    @ParameterizedTest(name = "m={0}: K={1}")
    @CsvSource({"4,15", "5,22", "6,32", "7,44", "8,57"})
    void splitCountIsCeilOfAlphaTimesWindowCells(int m, int k) {
        assertEquals(k, RegionGeometry.splitCount(0.88, m * m));
    }

    @Test
    void cfVitSplitsHalfOfTheGrid() {
        assertEquals(25, RegionGeometry.splitCount(0.5, 49));
        assertEquals(41, RegionGeometry.splitCount(0.5, 81));
    }

    @ParameterizedTest(name = "G={0} m={1}: {2} windows")
    @CsvSource({"7,5,9", "7,4,16", "7,6,4", "9,8,4", "7,7,1"})
    void windowsAreAllValidPositionsWithoutPadding(int g, int m, int windows) {
        RegionGeometry geometry = new RegionGeometry(g, m, 0.88);
        assertEquals(windows, geometry.windowCount());
        for (int w = 0; w < windows; w++) {
            int[] all = IntStream.concat(Arrays.stream(geometry.inside(w)), Arrays.stream(geometry.outside(w)))
                    .sorted().toArray();
            assertArrayEquals(IntStream.range(0, g * g).toArray(), all, "window " + w + " partitions the grid");
        }
    }

    @Test
    void windowFourOfSevenByFiveMatchesTheOfficialOrder() {
        RegionGeometry geometry = new RegionGeometry(7, 5, 0.88);
        assertEquals(1, geometry.windowRow(4));
        assertEquals(1, geometry.windowCol(4));
        assertArrayEquals(new int[] {8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26, 29, 30, 31, 32, 33,
                36, 37, 38, 39, 40}, geometry.inside(4));
        int[] outside = IntStream.concat(IntStream.of(7, 13, 14, 20, 21, 27, 28, 34, 35, 41),
                IntStream.concat(IntStream.rangeClosed(0, 6), IntStream.rangeClosed(42, 48))).toArray();
        assertArrayEquals(outside, geometry.outside(4));
    }

    @Test
    void fineIdsAreTheTwoByTwoChildrenInQuadrantBlocks() {
        int g = 7;
        for (int cell = 0; cell < g * g; cell++) {
            int r = cell / g;
            int c = cell % g;
            int[] ids = RegionGeometry.fineIds(new int[] {cell}, g);
            assertArrayEquals(new int[] {2 * r * 2 * g + 2 * c, 2 * r * 2 * g + 2 * c + 1,
                    (2 * r + 1) * 2 * g + 2 * c, (2 * r + 1) * 2 * g + 2 * c + 1}, ids, "cell " + cell);
        }
        // cell 8 = (1,1): children 30, 31, 44, 45 (notes, section 2.8); blocks are [TL..|TR..|BL..|BR..]
        assertArrayEquals(new int[] {30, 0, 31, 1, 44, 14, 45, 15}, RegionGeometry.fineIds(new int[] {8, 0}, g));
    }
}
