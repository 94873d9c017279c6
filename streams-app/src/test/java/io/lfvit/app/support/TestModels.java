package io.lfvit.app.support;

import io.lfvit.app.demo.UntrainedBundle;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import java.nio.file.Path;

/** Tiny untrained model bundles (the X112 geometry, G = 7, with a 32-wide, 2-block encoder): saved in ~1 s. */
public final class TestModels {
    private TestModels() {}

    public static ModelConfig tinyConfig(ModelFamily family, String version) {
        return UntrainedBundle.config(family, version);
    }

    /** Writes an untrained LF-ViT bundle into {@code dir}; returns its config (with the saved version). */
    public static ModelConfig tinyBundle(Path dir) throws Exception {
        return UntrainedBundle.create(dir, ModelFamily.LFVIT, "tiny");
    }

    /** With EViT's token reorganisation at {@code keepRate} (EViT itself, or LF-ViT+EViT / CF-ViT+EViT). */
    public static ModelConfig tinyBundle(Path dir, ModelFamily family, double keepRate, String prefix) throws Exception {
        return UntrainedBundle.create(dir, UntrainedBundle.config(family, keepRate, "untrained"), prefix);
    }
}
