package io.lfvit.model.select;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How the focus stage's region is chosen from the localization GCA of one image. NGCA is LF-ViT's;
 * the others are the paper's ablations (max-GCA, random window), CF-ViT's global top-K and the
 * whole-image first training phase.
 */
public interface RegionPolicy {

    Region select(float[] gca, Random random);

    /** LF-ViT: the m x m window with the largest GCA sum, its top-K cells split. */
    static RegionPolicy ngca(RegionGeometry geometry) {
        return (gca, random) -> window(geometry, argmax(geometry.windowScores(gca)), gca);
    }

    /** Ablation: the window centred (as far as the grid allows) on the single highest-GCA cell. */
    static RegionPolicy maxGca(RegionGeometry geometry) {
        return (gca, random) -> centredWindow(geometry, argmax(gca), gca);
    }

    private static Region centredWindow(RegionGeometry geometry, int cell, float[] gca) {
        int g = geometry.grid();
        int half = geometry.m() / 2;
        int maxStart = g - geometry.m();
        int row = Math.max(0, Math.min(maxStart, cell / g - half));
        int col = Math.max(0, Math.min(maxStart, cell % g - half));
        return window(geometry, geometry.windowAt(row, col), gca);
    }

    /** Ablation (negative NGCA): the window with the smallest GCA sum. */
    static RegionPolicy negativeNgca(RegionGeometry geometry) {
        return (gca, random) -> {
            double[] scores = geometry.windowScores(gca);
            for (int i = 0; i < scores.length; i++) {
                scores[i] = -scores[i];
            }
            return window(geometry, argmax(scores), gca);
        };
    }

    /** Ablation (minimum GCA): the window centred (as far as the grid allows) on the lowest-GCA cell. */
    static RegionPolicy minGca(RegionGeometry geometry) {
        return (gca, random) -> {
            float[] negated = new float[gca.length];
            for (int i = 0; i < gca.length; i++) {
                negated[i] = -gca[i];
            }
            return centredWindow(geometry, argmax(negated), gca);
        };
    }

    /** Ablation: a uniformly random window. */
    static RegionPolicy randomWindow(RegionGeometry geometry) {
        return (gca, random) -> window(geometry, random.nextInt(geometry.windowCount()), gca);
    }

    /** CF-ViT: the ceil(alpha * G^2) cells of highest GCA over the whole grid. */
    static RegionPolicy globalTopK(int grid, double alpha) {
        int k = RegionGeometry.splitCount(alpha, grid * grid);
        return (gca, random) -> {
            int[] ranked = descending(gca, IntStream.range(0, grid * grid).toArray());
            return new Region(0, 0, grid, Arrays.copyOf(ranked, k), Arrays.copyOfRange(ranked, k, ranked.length));
        };
    }

    /** First training phase: every cell at full resolution. */
    static RegionPolicy wholeImage(int grid) {
        int[] all = IntStream.range(0, grid * grid).toArray();
        return (gca, random) -> new Region(0, 0, grid, all.clone(), new int[0]);
    }

    private static Region window(RegionGeometry geometry, int w, float[] gca) {
        int k = geometry.k();
        int[] ranked = descending(gca, geometry.insideShared(w));
        int[] outside = geometry.outsideShared(w);
        int[] coarse = new int[outside.length + ranked.length - k];
        System.arraycopy(outside, 0, coarse, 0, outside.length);
        System.arraycopy(ranked, k, coarse, outside.length, ranked.length - k);
        return new Region(geometry.windowRow(w), geometry.windowCol(w), geometry.m(), Arrays.copyOf(ranked, k), coarse);
    }

    /** Cells sorted by descending GCA (stable for ties, so results are deterministic). */
    static int[] descending(float[] gca, int[] cells) {
        return Arrays.stream(cells)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> gca[c]).reversed())
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
