package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.lfvit.model.ModelConfig;

/**
 * LF-ViT (and CF-ViT, which differs only in the region policy): one backbone run twice.
 *
 * <p>Localization: the full image [B,C,S,S] is resized to S/2 (bilinear, align corners), patchified
 * to G x G tokens, given the localization position table, and encoded; the GCA is the EMA of the
 * [CLS] attention rows. Focus: the K split cells' 4K full-resolution patches, each plus its parent's
 * reuse vector (MLP of the final localization feature) and its full-resolution position, followed by
 * the remaining cells' layer-0 localization tokens, encoded by the same blocks.
 */
public final class TwoStageVit extends ModuleBlock {
    /** Parameter names of the position tables (a plain ViT has only the full-resolution one). */
    public static final String LOC_POSITIONS = "pos_loc";
    public static final String FULL_POSITIONS = "pos_full";

    private final ModelConfig config;
    private final VitBackbone backbone;
    private final Parameter locPositions;
    private final Parameter fullPositions;
    private final Norm reuseNorm;
    private final Mlp reuseMlp;
    private NDArray interpolation;

    /**
     * Localization output.
     *
     * @param logits [B,classes]
     * @param gca global class attention per localization cell [B,G^2]
     * @param embeddings layer-0 tokens E1 [B,1+G^2,D] (patch embedding + position)
     * @param features final-normed tokens Z [B,1+G^2,D]
     */
    public record Localization(NDArray logits, NDArray gca, NDArray embeddings, NDArray features) {

        /** The same outputs for a subset of the batch, rows {@code index} [n] (int64). */
        public Localization rows(NDArray index) {
            NDIndex at = new NDIndex("{}", index);
            return new Localization(logits.get(at), gca.get(at), embeddings.get(at), features.get(at));
        }
    }

    /**
     * Everything the focus stage consumes, for a batch whose regions have equal K.
     *
     * @param reuse reuse vectors of the split cells [B,K,D] (null without fusion)
     * @param coarseTokens layer-0 localization tokens kept coarse [B,Nc,D] (null when Nc = 0)
     * @param finePatches normalised full-resolution patches of the split cells [B,4K,C*p*p]
     * @param fineIds their full-resolution patch ids [B,4K] (int64)
     */
    public record FocusInput(NDArray reuse, NDArray coarseTokens, NDArray finePatches, NDArray fineIds) {}

    public TwoStageVit(ModelConfig config) {
        this.config = config;
        int g = config.locGrid();
        int d = config.width();
        backbone = addChildBlock("backbone", new VitBackbone(config.channels(), config.patchSize(), d,
                config.depth(), config.heads(), config.mlpRatio(), config.classes()));
        locPositions = param(LOC_POSITIONS, Parameter.Type.WEIGHT, new Shape(1, 1 + (long) g * g, d), Inits.WEIGHT);
        fullPositions = param(FULL_POSITIONS, Parameter.Type.WEIGHT, new Shape(1, 1 + 4L * g * g, d), Inits.WEIGHT);
        reuseNorm = addChildBlock("reuse_norm", new Norm(d));
        // Zero-initialised output (our change; the official code uses the default init): a random
        // reuse vector added to every fine token held training on a plateau for ~700 of 2577 steps
        // (train accuracy ~20% while the ViT baseline was at 49%); without it the focus stage learns
        // like the ViT from the start, and the fusion grows in once it helps. Changes only the init.
        reuseMlp = addChildBlock("reuse_mlp", Mlp.zeroOutput(d, 4L * d));
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * The localization downsample's matrix, made once on the parameters' manager (their device): not
     * a host-to-device copy at every batch. A constant, so autograd does not track it; it lives as long as
     * the parameters' manager.
     */
    private synchronized NDArray interpolation() {
        if (interpolation == null) {
            interpolation = Resize.matrix(locPositions.getArray().getManager(), config.imageSize(),
                    config.locImageSize());
            NDScope.unregister(interpolation); // made during some call's scope, it must outlive it
        }
        return interpolation;
    }

    public VitBackbone backbone() {
        return backbone;
    }

    /** Raw pixels (0..255) [B,C,S,S] to the normalised network input. */
    public NDArray normalize(NDArray raw) {
        return Pixels.normalize(raw, config.mean(), config.std());
    }

    /** Localization stage on normalised full-resolution images [B,C,S,S]. */
    public Localization localize(NDArray full) {
        NDArray small = full.getShape().get(2) == config.imageSize()
                ? Resize.bilinearAlignCorners(full, interpolation())
                : Resize.bilinearAlignCorners(full, config.locImageSize()); // another size: its own matrix
        NDArray patches = backbone.patchEmbedding().embed(backbone.patchEmbedding().patchify(small));
        NDArray embeddings = Tokens.prepend(backbone.clsToken(), patches).add(locPositions.getArray());
        VitBackbone.Encoded encoded = backbone.encode(embeddings, config.gcaStart(), config.beta());
        NDArray gca = encoded.gca().get(new NDIndex(":, 1:"));
        return new Localization(backbone.classify(encoded.normed()), gca, embeddings, encoded.normed());
    }

    /** Reuse vectors [B,K,D] of cells [B,K] (int64): MLP(LN(Z)) of their final localization tokens. */
    public NDArray reuseVectors(Localization loc, NDArray splitCells) {
        NDArray cellFeatures = Tokens.gather(loc.features().get(new NDIndex(":, 1:, :")), splitCells);
        return reuseMlp.apply(reuseNorm.apply(cellFeatures));
    }

    /** Layer-0 localization tokens [B,n,D] of cells [B,n] (int64). */
    public NDArray coarseTokens(Localization loc, NDArray cells) {
        return Tokens.gather(loc.embeddings().get(new NDIndex(":, 1:, :")), cells);
    }

    /**
     * Focus input built in-process from a localization batch and the normalised full images.
     *
     * @param splitCells [B,K] int64; coarseCells [B,Nc] int64 or null; fineIds [B,4K] int64
     */
    public FocusInput focusInput(Localization loc, NDArray full, NDArray splitCells, NDArray coarseCells,
            NDArray fineIds) {
        return focusInput(loc, full, splitCells, coarseCells, fineIds, config.fusion());
    }

    /** As above, with fusion switched explicitly (the inference-time "without fusion" ablation). */
    public FocusInput focusInput(Localization loc, NDArray full, NDArray splitCells, NDArray coarseCells,
            NDArray fineIds, boolean fusion) {
        NDArray patches = Tokens.gather(backbone.patchEmbedding().patchify(full), fineIds);
        NDArray reuse = fusion ? reuseVectors(loc, splitCells) : null;
        NDArray coarse = coarseCells == null ? null : coarseTokens(loc, coarseCells);
        return new FocusInput(reuse, coarse, patches, fineIds);
    }

    /**
     * Focus stage: logits [B,classes]. With a keep rate below 1 (LF-ViT+EViT), the focus encoder
     * reorganises tokens at the config's {@code reorganiseBlocks}; localization never does.
     */
    public NDArray focus(FocusInput in) {
        return focus(in, config.keepRate());
    }

    /** Focus stage at keep rate {@code keepRate} (scheduled during training; 1 = all tokens). */
    public NDArray focus(FocusInput in, double keepRate) {
        NDArray fine = backbone.patchEmbedding().embed(in.finePatches());
        if (in.reuse() != null) {
            fine = fine.add(in.reuse().tile(new long[] {1, 4, 1}));
        }
        NDArray positions = fullPositions.getArray();
        fine = fine.add(Tokens.gather(positions, in.fineIds().add(1)));
        NDArray cls = backbone.clsToken().add(positions.get(new NDIndex(":, 0:1, :")));
        NDArray tokens = Tokens.prepend(cls, fine);
        if (in.coarseTokens() != null) {
            tokens = tokens.concat(in.coarseTokens(), 1);
        }
        TokenReorganisation reorganisation = new TokenReorganisation(keepRate, config.reorganiseBlocks());
        if (reorganisation.isActive()) {
            return backbone.classify(backbone.encode(tokens, reorganisation));
        }
        VitBackbone.Encoded encoded = backbone.encode(tokens, config.depth(), config.beta());
        return backbone.classify(encoded.normed());
    }
}
