package io.lfvit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.lfvit.model.nn.ModuleBlock;

/** Networks for tests. */
public final class TestNetworks {
    private TestNetworks() {}

    /**
     * Initializes {@code network} and then gives every weight that starts at zero (the reuse MLP's
     * output projection) random values, as training would: otherwise an untrained network's fusion
     * adds nothing, and tests of the reuse path could not fail.
     */
    public static <T extends ModuleBlock> T initialized(T network, NDManager manager) {
        network.initialize(manager);
        manager.getEngine().setRandomSeed(11);
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (p.getValue().getType() == Parameter.Type.WEIGHT && a.abs().max().getFloat() == 0f) {
                a.set(manager.randomNormal(0, 0.05f, a.getShape(), a.getDataType()).toFloatArray());
            }
        }
        return network;
    }
}
