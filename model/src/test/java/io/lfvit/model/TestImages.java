package io.lfvit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic random 8-bit images for tests. */
public final class TestImages {
    private TestImages() {}

    public static List<byte[]> random(int count, ModelConfig config, long seed) {
        Random random = new Random(seed);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] image = new byte[config.channels() * config.imageSize() * config.imageSize()];
            random.nextBytes(image);
            images.add(image);
        }
        return images;
    }
}
