package io.lfvit.model.infer;

import io.lfvit.model.ModelConfig;
import java.nio.ByteBuffer;

/**
 * Full-resolution pixels of localization cells: each cell is a 2p x 2p block of the image, which
 * the focus stage cuts into its four p x p patches (top-left, top-right, bottom-left, bottom-right).
 */
final class CellPixels {
    private CellPixels() {}

    /** Extracts cells from one image [C,S,S] as uint8 [K,C,2p,2p]. */
    static byte[] extract(byte[] image, int[] cells, ModelConfig config) {
        int c = config.channels();
        int s = config.imageSize();
        int side = 2 * config.patchSize();
        int g = config.locGrid();
        byte[] out = new byte[cells.length * c * side * side];
        int at = 0;
        for (int cell : cells) {
            int y0 = (cell / g) * side;
            int x0 = (cell % g) * side;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < side; y++) {
                    System.arraycopy(image, ch * s * s + (y0 + y) * s + x0, out, at, side);
                    at += side;
                }
            }
        }
        return out;
    }

    /** Fails unless {@code pixels} holds {@code k} cells of this model. */
    static void checkPatches(byte[] pixels, int k, ModelConfig config) {
        int side = 2 * config.patchSize();
        int perCell = config.channels() * side * side;
        if (pixels.length != k * perCell) {
            throw new IllegalArgumentException("focus payload has " + pixels.length + " pixel bytes; " + k
                    + " cells of " + config.channels() + "x" + side + "x" + side + " need " + k * perCell);
        }
    }

    /**
     * Cell blocks uint8 [K,C,2p,2p] to patches uint8 [4K,C,p,p], written to {@code out}, in the focus order
     * [TL of all K | TR | BL | BR]; {@code pixels} passed {@link #checkPatches}.
     */
    static void writePatches(byte[] pixels, int k, ModelConfig config, ByteBuffer out) {
        int c = config.channels();
        int p = config.patchSize();
        int side = 2 * p;
        int perCell = c * side * side;
        for (int quadrant = 0; quadrant < 4; quadrant++) {
            int dy = (quadrant / 2) * p;
            int dx = (quadrant % 2) * p;
            for (int i = 0; i < k; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < p; y++) {
                        out.put(pixels, i * perCell + ch * side * side + (dy + y) * side + dx, p);
                    }
                }
            }
        }
    }
}
