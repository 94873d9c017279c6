package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Multi-head self-attention written out step by step (no fused kernel) because LF-ViT needs the
 * attention probabilities: the [CLS] query's row, averaged over heads, is the per-layer input of
 * the global class attention (GCA).
 */
public final class Attention extends ModuleBlock {
    private final Dense qkv;
    private final Dense proj;
    private final int heads;
    private final float scale;

    /** The [CLS] query's row of every head: [B,h,N] out of [B,h,N,N]. */
    private static final NDIndex CLS_QUERY = new NDIndex(":, :, 0, :");

    /** The block's output [B,N,D] and the head-mean attention of the [CLS] query [B,N] (null if not asked for). */
    public record Result(NDArray output, NDArray clsAttention) {}

    public Attention(long width, int heads) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
        }
        this.heads = heads;
        this.scale = (float) (1.0 / Math.sqrt((double) width / heads));
        qkv = addChildBlock("qkv", new Dense(width, 3 * width));
        proj = addChildBlock("proj", new Dense(width, width));
    }

    /** With the [CLS] attention row. */
    public Result apply(NDArray x) {
        return apply(x, true);
    }

    /**
     * {@code withClsRow} false skips the [CLS] row: three operators per block that the focus stage and
     * the blocks before {@code gca_start} never read, a few percent of a one-image call's time.
     */
    public Result apply(NDArray x, boolean withClsRow) {
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        long d = x.getShape().get(2);
        // [B,N,3D] -> [3,B,h,N,hd]
        NDArray qkvHeads = qkv.apply(x).reshape(b, n, 3, heads, d / heads).transpose(2, 0, 3, 1, 4);
        NDArray q = qkvHeads.get(0);
        NDArray k = qkvHeads.get(1);
        NDArray v = qkvHeads.get(2);
        NDArray probs = Scale.times(q, scale).matMul(k.transpose(0, 1, 3, 2)).softmax(-1); // [B,h,N,N]
        NDArray out = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, d);
        NDArray clsRow = withClsRow ? probs.get(CLS_QUERY).mean(new int[] {1}) : null; // [B,N]
        return new Result(proj.apply(out), clsRow);
    }
}
