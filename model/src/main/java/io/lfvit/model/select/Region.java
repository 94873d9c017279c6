package io.lfvit.model.select;

/**
 * The class-discriminative region chosen for one image, in localization-grid cells.
 *
 * @param row top row of the window (0 when the whole grid is the region)
 * @param col left column of the window
 * @param size window side m (G for a whole-grid or global selection)
 * @param splitCells cells re-split to full resolution, in descending GCA order (K of them)
 * @param coarseCells the other cells, kept as coarse localization tokens, in focus sequence order
 */
public record Region(int row, int col, int size, int[] splitCells, int[] coarseCells) {

    public int k() {
        return splitCells.length;
    }

    /** Focus-stage sequence length: [CLS] + 4K fine + the coarse tokens. */
    public int focusTokens() {
        return 1 + 4 * splitCells.length + coarseCells.length;
    }
}
