package io.lfvit.model;

import java.util.List;
import java.util.stream.IntStream;

/** Model configs for tests: the X112 geometry (G = 7) with a tiny encoder. */
public final class TestConfigs {
    private TestConfigs() {}

    public static ModelConfig tiny(ModelFamily family) {
        return sized(family, 32, 2, 2);
    }

    public static ModelConfig sized(ModelFamily family, int width, int depth, int heads) {
        return new ModelConfig(family, "test-" + family.name().toLowerCase(), 112, 1, 8, depth, width, heads, 4,
                5, 0.88, 0.99, Math.min(1, depth - 1), 0.8, true, 1.0, List.of(),
                IntStream.range(0, 10).mapToObj(i -> "class" + i).toList(), List.of(0.2), List.of(0.3));
    }
}
