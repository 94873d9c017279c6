package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;

/** Pre-norm encoder block: x + MHSA(LN(x)), then x + MLP(LN(x)). */
public final class TransformerBlock extends ModuleBlock {
    private final Norm norm1;
    private final Attention attention;
    private final Norm norm2;
    private final Mlp mlp;

    /** Output tokens [B,N,D] and the block's [CLS] attention row [B,N] (head mean; null if not asked for). */
    public record Result(NDArray tokens, NDArray clsAttention) {}

    public TransformerBlock(long width, int heads, long mlpHidden) {
        norm1 = addChildBlock("norm1", new Norm(width));
        attention = addChildBlock("attn", new Attention(width, heads));
        norm2 = addChildBlock("norm2", new Norm(width));
        mlp = addChildBlock("mlp", new Mlp(width, mlpHidden));
    }

    public Result apply(NDArray x) {
        return apply(x, true);
    }

    /** As {@link #apply(NDArray)}, with the [CLS] row only if {@code withClsRow}. */
    public Result apply(NDArray x, boolean withClsRow) {
        Attention.Result attended = attentionHalf(x, withClsRow);
        return new Result(mlpHalf(attended.output()), attended.clsAttention());
    }

    /** The attention sub-block with its residual; EViT reorganises tokens between the halves. */
    public Attention.Result attentionHalf(NDArray x) {
        return attentionHalf(x, true);
    }

    private Attention.Result attentionHalf(NDArray x, boolean withClsRow) {
        Attention.Result a = attention.apply(norm1.apply(x), withClsRow);
        return new Attention.Result(x.add(a.output()), a.clsAttention());
    }

    /** The MLP sub-block with its residual. */
    public NDArray mlpHalf(NDArray x) {
        return x.add(mlp.apply(norm2.apply(x)));
    }
}
