package io.lfvit.model.cost;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.nn.TokenReorganisation;
import io.lfvit.model.select.RegionGeometry;

/**
 * Analytic multiply-accumulate counts of what our networks compute (conv/linear layers and both
 * attention matmuls; norms, softmax and GELU are the small remainder, as in fvcore-style counts).
 * One counter for every family, so that numbers are comparable.
 */
public final class MacCounter {
    private final ModelConfig config;

    public MacCounter(ModelConfig config) {
        this.config = config;
    }

    /** One encoder block on n tokens: qkv, QK^T, AV, projection and the MLP. */
    public long block(long n) {
        return attentionHalf(n) + mlpHalf(n);
    }

    /** The attention sub-block on n tokens: qkv, QK^T, AV and the projection. */
    public long attentionHalf(long n) {
        long d = config.width();
        return n * d * 3 * d + 2 * n * n * d + n * d * d;
    }

    /** The MLP sub-block on n tokens. */
    public long mlpHalf(long n) {
        long d = config.width();
        return 2 * n * d * d * config.mlpRatio();
    }

    /**
     * All blocks on {@code tokens} input tokens at keep rate {@code keepRate}: a reorganising block
     * (EViT) runs its attention half on N tokens and its MLP half on the reduced count, and later
     * blocks on the reduced count. The fused token's weighted sum (elementwise) is not counted.
     */
    public long encoder(int tokens, double keepRate) {
        long total = 0;
        for (int[] lengths : new TokenReorganisation(keepRate, config.reorganiseBlocks())
                .lengths(tokens, config.depth())) {
            total += attentionHalf(lengths[0]) + mlpHalf(lengths[1]);
        }
        return total;
    }

    /** All blocks at the config's keep rate (no reorganisation when it is 1). */
    public long encoder(int tokens) {
        return encoder(tokens, config.keepRate());
    }

    /** Patch embedding of n patches. */
    public long embedding(long n) {
        return n * config.channels() * config.patchSize() * config.patchSize() * config.width();
    }

    public long head() {
        return (long) config.width() * config.classes();
    }

    /** The align-corners resize A X A^T from S to S/2, per channel. */
    public long resize() {
        long s = config.imageSize();
        long h = config.locImageSize();
        return config.channels() * (h * s * s + h * s * h);
    }

    /** Localization stage (or the coarse stage of CF-ViT). */
    public long localization() {
        long g2 = (long) config.locGrid() * config.locGrid();
        return resize() + embedding(g2) + config.depth() * block(1 + g2) + head();
    }

    /**
     * Focus stage with k split cells: fine patch embedding, reuse MLP on k cells, encoder (with
     * EViT's reorganisation when the config's keep rate is below 1: LF-ViT+EViT), head.
     */
    public long focus(int k) {
        return focus(k, true);
    }

    /** As above, with or without the appended non-region tokens (the Fig. 5 "without reuse" ablation). */
    public long focus(int k, boolean nonRegionTokens) {
        long g2 = (long) config.locGrid() * config.locGrid();
        int tokens = (int) (1 + 4L * k + (nonRegionTokens ? g2 - k : 0));
        return embedding(4L * k) + reuse(k) + encoder(tokens) + head();
    }

    /** The reuse MLP (D -> 4D -> D) on k split cells; none in a model trained without fusion. */
    public long reuse(int k) {
        long d = config.width();
        return config.fusion() ? 2L * k * d * 4 * d : 0;
    }

    /** Focus stage of this config's family (K from m and alpha, or alpha of all cells for CF-ViT). */
    public long focus() {
        return focus(splitCells());
    }

    public int splitCells() {
        return switch (config.family()) {
            case CFVIT -> RegionGeometry.splitCount(config.alpha(), config.locGrid() * config.locGrid());
            default -> new RegionGeometry(config.locGrid(), config.m(), config.alpha()).k();
        };
    }

    /** Single-stage ViT at full resolution (the baseline: every block on all tokens). */
    public long plainVit() {
        long n = (long) config.fullGrid() * config.fullGrid();
        return embedding(n) + config.depth() * block(1 + n) + head();
    }

    /** Single-stage model at full resolution at the config's keep rate: EViT, or the ViT when it is 1. */
    public long singleStage() {
        int n = config.fullGrid() * config.fullGrid();
        return embedding(n) + encoder(1 + n) + head();
    }

    /** Expected MACs per image of a two-stage model when {@code exitRate} of images stop after localization. */
    public double expectedTwoStage(double exitRate) {
        return localization() + (1 - exitRate) * focus();
    }
}
