package io.lfvit.app.support;

import ai.djl.ndarray.NDManager;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.Torch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Tiny untrained model bundles (the X112 geometry, G = 7, with a 32-wide, 2-block encoder): saved in ~1 s. */
public final class TestModels {
    private TestModels() {}

    public static ModelConfig tinyConfig(ModelFamily family, String version) {
        return new ModelConfig(family, version, 112, 1, 8, 2, 32, 2, 4, 5, 0.88, 0.99, 1, 0.8, true, 1.0, List.of(),
                IntStream.range(0, 10).mapToObj(i -> "class" + i).toList(), List.of(0.2), List.of(0.3));
    }

    /** Writes an untrained LF-ViT bundle into {@code dir}; returns its config (with the saved version). */
    public static ModelConfig tinyBundle(Path dir) throws Exception {
        return tinyBundle(dir, ModelFamily.LFVIT, "tiny");
    }

    public static ModelConfig tinyBundle(Path dir, ModelFamily family, String prefix) throws Exception {
        Torch.disableGradients();
        ModelConfig config = tinyConfig(family, "test");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock net = Networks.create(config);
            net.initialize(manager);
            return ModelBundle.save(dir, config, net, prefix, Map.of());
        }
    }
}
