package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.lfvit.model.ModelConfig;

/** The single-stage baseline: a ViT on the full-resolution image, same backbone and sizes. */
public final class PlainVit extends ModuleBlock {
    private final ModelConfig config;
    private final VitBackbone backbone;
    private final Parameter positions;

    public PlainVit(ModelConfig config) {
        this.config = config;
        int n = config.fullGrid() * config.fullGrid();
        backbone = addChildBlock("backbone", new VitBackbone(config.channels(), config.patchSize(), config.width(),
                config.depth(), config.heads(), config.mlpRatio(), config.classes()));
        positions = param("pos_full", Parameter.Type.WEIGHT, new Shape(1, 1L + n, config.width()), Inits.WEIGHT);
    }

    public ModelConfig config() {
        return config;
    }

    public NDArray normalize(NDArray raw) {
        return Pixels.normalize(raw, config.mean(), config.std());
    }

    /** Logits [B,classes] of normalised images [B,C,S,S]. */
    public NDArray forward(NDArray full) {
        NDArray patches = backbone.patchEmbedding().embed(backbone.patchEmbedding().patchify(full));
        NDArray tokens = Tokens.prepend(backbone.clsToken(), patches).add(positions.getArray());
        return backbone.classify(backbone.encode(tokens, config.depth(), config.beta()).normed());
    }
}
