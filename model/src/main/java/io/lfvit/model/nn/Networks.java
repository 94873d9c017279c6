package io.lfvit.model.nn;

import io.lfvit.model.ModelConfig;

/** The network class of each family. */
public final class Networks {
    private Networks() {}

    public static ModuleBlock create(ModelConfig config) {
        return switch (config.family()) {
            case LFVIT, CFVIT -> new TwoStageVit(config);
            case VIT, EVIT -> new PlainVit(config);
        };
    }
}
