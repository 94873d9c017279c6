package io.lfvit.model.infer;

/**
 * Everything the focus stage needs from localization, for one image, designed to cross a topic.
 *
 * <p>Tokens: the K split cells' reuse vectors (when the model fuses) followed by the coarse cells'
 * layer-0 localization tokens, float16 little-endian, {@code tokenRows x width}. For the shipped
 * model (G = 7, D = 192) that is 49 x 192 x 2 = 18,816 bytes. Pixels: the K split cells at full
 * resolution, uint8 [K, C, 2p, 2p] (22 x 1 x 16 x 16 = 5,632 bytes at m = 5, alpha = 0.88).
 *
 * @param modelVersion version of the model that localized; focus refuses other versions
 * @param splitCells localization-grid cells re-split at full resolution, descending GCA
 * @param coarseCells the other cells, in the order of their tokens
 * @param tokens float16 little-endian, tokenRows x tokenWidth
 * @param tokenRows rows of {@code tokens}
 * @param tokenWidth model width D
 * @param pixels uint8 full-resolution pixels of the split cells, [K, C, 2p, 2p]
 */
public record FocusPayload(
        String modelVersion,
        int[] splitCells,
        int[] coarseCells,
        byte[] tokens,
        int tokenRows,
        int tokenWidth,
        byte[] pixels) {}
