package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * EViT's attentive-token reorganisation (implementation notes, section 4.1), applied between the
 * attention half and the MLP half of the configured blocks.
 *
 * <p>With N tokens ([CLS] first) after the attention residual, n_keep = ceil(kappa (N-1)) of the
 * N-1 non-[CLS] tokens are kept: those with the largest head-mean [CLS] attention, in descending
 * attention order. The others are fused into one token, their sum weighted by the raw (not
 * renormalised) [CLS] attention probabilities, appended last. The MLP half then runs on
 * [CLS, kept..., fused], N' = n_keep + 2 tokens. A fused token made by an earlier block is one of
 * the N-1 and competes like any other. When n_keep = N-1 nothing changes (no fused token).
 *
 * <p>Shapes are static per keep rate, so batches need no masks. The selection itself is not
 * differentiable; the fused token is (through both the tokens and the attention weights), as in
 * the official code.
 *
 * @param keepRate kappa in (0,1]; 1 switches the reorganisation off
 * @param blocks 0-based blocks whose attention half is followed by a reorganisation
 */
public record TokenReorganisation(double keepRate, List<Integer> blocks) {

    public TokenReorganisation {
        if (!(keepRate > 0 && keepRate <= 1)) {
            throw new IllegalArgumentException("keep rate must lie in (0,1], got " + keepRate);
        }
        blocks = List.copyOf(blocks);
    }

    /**
     * Default reorganising blocks for an encoder of {@code depth} blocks. The paper's DeiT-S uses
     * 3, 6, 9 of 12 (layers 4, 7, 10). For our depth 6 we use 1, 3, 5: every second block from the
     * second, which keeps the paper's share of MACs (MacCounter, 197 tokens: 0.658 of the ViT at
     * kappa 0.7 and 0.490 at 0.5, against 0.659 and 0.502 for DeiT-S at 3, 6, 9; 1, 3, 4 would
     * give 0.635 and 0.471, 2, 3, 4 would give 0.688 and 0.559). Other depths: floor(l depth / 12)
     * for l = 3, 6, 9, without repeats.
     */
    public static List<Integer> defaultBlocks(int depth) {
        if (depth == 6) {
            return List.of(1, 3, 5);
        }
        return java.util.stream.IntStream.of(3, 6, 9).map(l -> l * depth / 12).distinct().boxed().toList();
    }

    /** Whether any block reorganises. */
    public boolean isActive() {
        return keepRate < 1 && !blocks.isEmpty();
    }

    public boolean appliesAt(int block) {
        return keepRate < 1 && blocks.contains(block);
    }

    /**
     * Kept non-[CLS] tokens of a sequence of {@code tokens} (incl. [CLS]): ceil(kappa (N-1)), as the
     * official {@code math.ceil(keep_rate * (N - 1))}.
     */
    public static int keepCount(double keepRate, int tokens) {
        return (int) Math.ceil(keepRate * (tokens - 1));
    }

    /** Sequence length after a reorganisation of {@code tokens} (incl. [CLS]). */
    public static int reorganisedLength(double keepRate, int tokens) {
        int keep = keepCount(keepRate, tokens);
        return keep >= tokens - 1 ? tokens : keep + 2;
    }

    /**
     * Sequence length entering each block's attention half and its MLP half, for {@code tokens}
     * input tokens (incl. [CLS]) and {@code depth} blocks: rows [attention, mlp], one per block.
     */
    public int[][] lengths(int tokens, int depth) {
        int[][] out = new int[depth][2];
        int n = tokens;
        for (int l = 0; l < depth; l++) {
            out[l][0] = n;
            if (appliesAt(l)) {
                n = reorganisedLength(keepRate, n);
            }
            out[l][1] = n;
        }
        return out;
    }

    /** The sequence lengths after each block, for {@code tokens} input tokens; for logs and tests. */
    public List<Integer> lengthsAfterBlocks(int tokens, int depth) {
        List<Integer> out = new ArrayList<>();
        for (int[] row : lengths(tokens, depth)) {
            out.add(row[1]);
        }
        return out;
    }

    /**
     * One reorganisation.
     *
     * @param x tokens after the attention residual [B,N,D], [CLS] first
     * @param clsAttention head-mean attention of the [CLS] query [B,N] (column 0 = the [CLS] key)
     * @return [B,N',D]: [CLS], the kept tokens by descending attention, then the fused token
     */
    public static NDArray reorganise(NDArray x, NDArray clsAttention, double keepRate) {
        int n = (int) x.getShape().get(1);
        int keep = keepCount(keepRate, n);
        if (keep >= n - 1) {
            return x;
        }
        NDArray patches = x.get(new NDIndex(":, 1:, :")); // [B,N-1,D]
        NDArray scores = clsAttention.get(new NDIndex(":, 1:")); // [B,N-1]
        NDArray order = scores.argSort(-1, false); // descending
        NDArray kept = Tokens.gather(patches, order.get(new NDIndex(":, :" + keep)));
        NDArray dropped = order.get(new NDIndex(":, " + keep + ":"));
        NDArray weights = scores.gather(dropped, 1).expandDims(2); // [B,N-1-keep,1]
        NDArray fused = Tokens.gather(patches, dropped).mul(weights).sum(new int[] {1}, true); // [B,1,D]
        return x.get(new NDIndex(":, 0:1, :")).concat(kept, 1).concat(fused, 1);
    }
}
