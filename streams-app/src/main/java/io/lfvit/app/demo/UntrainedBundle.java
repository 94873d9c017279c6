package io.lfvit.app.demo;

import ai.djl.ndarray.NDManager;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.TokenReorganisation;
import io.lfvit.model.nn.Torch;
import io.lfvit.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny untrained bundle of any family (the shipped geometry: 112 x 112 grey, patch 8, G = 7, m = 5;
 * a 32-wide, 2-block encoder; the family's alpha and keep rate), saved in about a second: exercises
 * the whole pipeline (tokens, regions, focus payloads) without trained weights. Its answers are
 * chance-level.
 */
public final class UntrainedBundle {
    private UntrainedBundle() {}

    public static ModelConfig config(ModelFamily family, String version) {
        return config(family, family.defaultKeepRate(), version);
    }

    /** With EViT's token reorganisation at keep rate {@code keepRate} below 1 (for LF-ViT: LF-ViT+EViT). */
    public static ModelConfig config(ModelFamily family, double keepRate, String version) {
        int depth = 2;
        List<Integer> reorganise = keepRate < 1 ? TokenReorganisation.defaultBlocks(depth) : List.of();
        return new ModelConfig(family, version, 112, 1, 8, depth, 32, 2, 4, 5, family.defaultAlpha(), 0.99, 1, 0.8,
                true, keepRate, reorganise, FashionMnist.CLASS_NAMES, List.of(0.2), List.of(0.3));
    }

    /** Writes the bundle into {@code dir} (on the calling thread); returns its config with the saved version. */
    public static ModelConfig create(Path dir, ModelFamily family, String versionPrefix) throws IOException {
        return create(dir, config(family, "untrained"), versionPrefix);
    }

    /** Writes an untrained network of {@code config} into {@code dir}; returns the config with the saved version. */
    public static ModelConfig create(Path dir, ModelConfig config, String versionPrefix) throws IOException {
        Torch.disableGradients();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock net = Networks.create(config);
            net.initialize(manager);
            return ModelBundle.save(dir, config, net, versionPrefix, Map.of());
        }
    }
}
