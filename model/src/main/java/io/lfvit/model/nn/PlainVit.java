package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.lfvit.model.ModelConfig;

/**
 * The single-stage models on the full-resolution image, same backbone and sizes: the ViT baseline
 * and EViT, which is the same network (same parameters) with token reorganisation at the config's
 * {@code reorganiseBlocks} and {@code keepRate} (see {@link TokenReorganisation}).
 */
public final class PlainVit extends ModuleBlock {
    private final ModelConfig config;
    private final VitBackbone backbone;
    private final Parameter positions;

    public PlainVit(ModelConfig config) {
        this.config = config;
        int n = config.fullGrid() * config.fullGrid();
        backbone = addChildBlock("backbone", new VitBackbone(config.channels(), config.patchSize(), config.width(),
                config.depth(), config.heads(), config.mlpRatio(), config.classes()));
        positions = param(TwoStageVit.FULL_POSITIONS, Parameter.Type.WEIGHT, new Shape(1, 1L + n, config.width()), Inits.WEIGHT);
    }

    public ModelConfig config() {
        return config;
    }

    public NDArray normalize(NDArray raw) {
        return Pixels.normalize(raw, config.mean(), config.std());
    }

    /** Logits [B,classes] of normalised images [B,C,S,S], at the config's keep rate. */
    public NDArray forward(NDArray full) {
        return forward(full, config.keepRate());
    }

    /**
     * Logits at keep rate {@code keepRate} (EViT's training warm-up schedules it; 1 = all tokens),
     * reorganising at the config's {@code reorganiseBlocks}.
     */
    public NDArray forward(NDArray full, double keepRate) {
        NDArray patches = backbone.patchEmbedding().embed(backbone.patchEmbedding().patchify(full));
        NDArray tokens = Tokens.prepend(backbone.clsToken(), patches).add(positions.getArray());
        TokenReorganisation reorganisation = new TokenReorganisation(keepRate, config.reorganiseBlocks());
        if (reorganisation.isActive()) {
            return backbone.classify(backbone.encode(tokens, reorganisation));
        }
        return backbone.classify(backbone.encode(tokens, config.depth(), config.beta()).normed());
    }
}
