package io.lfvit.model.infer;

import io.lfvit.model.ModelConfig;

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

    /**
     * Cell blocks uint8 [K,C,2p,2p] to raw patch values [4K,C,p,p] (as floats, 0..255), in the focus
     * order [TL of all K | TR | BL | BR].
     */
    static float[] toPatches(byte[] pixels, int k, ModelConfig config) {
        int c = config.channels();
        int p = config.patchSize();
        int side = 2 * p;
        int perCell = c * side * side;
        int perPatch = c * p * p;
        if (pixels.length != k * perCell) {
            throw new IllegalArgumentException("focus payload has " + pixels.length + " pixel bytes; " + k
                    + " cells of " + c + "x" + side + "x" + side + " need " + k * perCell);
        }
        float[] out = new float[4 * k * perPatch];
        for (int i = 0; i < k; i++) {
            for (int quadrant = 0; quadrant < 4; quadrant++) {
                int dy = (quadrant / 2) * p;
                int dx = (quadrant % 2) * p;
                int base = (quadrant * k + i) * perPatch;
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < p; y++) {
                        for (int x = 0; x < p; x++) {
                            int src = i * perCell + ch * side * side + (dy + y) * side + dx + x;
                            out[base + ch * p * p + y * p + x] = pixels[src] & 0xff;
                        }
                    }
                }
            }
        }
        return out;
    }
}
