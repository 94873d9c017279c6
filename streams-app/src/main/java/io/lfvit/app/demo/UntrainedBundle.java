package io.lfvit.app.demo;

import ai.djl.ndarray.NDManager;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.Torch;
import io.lfvit.trainer.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny untrained LF-ViT bundle (the shipped geometry: 112 x 112 grey, patch 8, G = 7, m = 5; a
 * 32-wide, 2-block encoder), saved in about a second: exercises the whole pipeline (tokens, regions,
 * focus payloads) without trained weights. Its answers are chance-level.
 */
public final class UntrainedBundle {
    private UntrainedBundle() {}

    public static ModelConfig config(ModelFamily family, String version) {
        return new ModelConfig(family, version, 112, 1, 8, 2, 32, 2, 4, 5, 0.88, 0.99, 1, 0.8, true, 1.0, List.of(),
                FashionMnist.CLASS_NAMES, List.of(0.2), List.of(0.3));
    }

    /** Writes the bundle into {@code dir} (on the calling thread); returns its config with the saved version. */
    public static ModelConfig create(Path dir, ModelFamily family, String versionPrefix) throws IOException {
        Torch.disableGradients();
        ModelConfig config = config(family, "untrained");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock net = Networks.create(config);
            net.initialize(manager);
            return ModelBundle.save(dir, config, net, versionPrefix, Map.of());
        }
    }
}
