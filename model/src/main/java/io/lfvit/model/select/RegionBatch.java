package io.lfvit.model.select;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The regions of a batch as index arrays for the focus stage. All regions of one policy have the
 * same K and coarse count, so the batch is rectangular.
 *
 * @param splitCells [B,K] int64
 * @param coarseCells [B,Nc] int64, null when Nc = 0
 * @param fineIds [B,4K] int64 full-resolution patch ids
 */
public record RegionBatch(NDArray splitCells, NDArray coarseCells, NDArray fineIds) {

    public static RegionBatch of(NDManager manager, Region[] regions, int grid) {
        int b = regions.length;
        int k = regions[0].k();
        int nc = regions[0].coarseCells().length;
        long[] split = new long[b * k];
        long[] coarse = new long[b * nc];
        long[] fine = new long[b * 4 * k];
        for (int i = 0; i < b; i++) {
            Region r = regions[i];
            if (r.k() != k || r.coarseCells().length != nc) {
                throw new IllegalArgumentException("regions of one batch must have equal K and coarse counts");
            }
            copy(r.splitCells(), split, i * k);
            copy(r.coarseCells(), coarse, i * nc);
            copy(RegionGeometry.fineIds(r.splitCells(), grid), fine, i * 4 * k);
        }
        return new RegionBatch(
                manager.create(split, new Shape(b, k)),
                nc == 0 ? null : manager.create(coarse, new Shape(b, nc)),
                manager.create(fine, new Shape(b, 4L * k)));
    }

    private static void copy(int[] from, long[] to, int offset) {
        for (int i = 0; i < from.length; i++) {
            to[offset + i] = from[i];
        }
    }
}
