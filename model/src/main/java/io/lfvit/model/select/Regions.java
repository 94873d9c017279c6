package io.lfvit.model.select;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/** Applies a region policy to every image of a batch. */
public final class Regions {
    private Regions() {}

    /** GCA [B,G^2] to one region per image. */
    public static Region[] select(RegionPolicy policy, NDArray gca, Random random) {
        int b = (int) gca.getShape().get(0);
        int cells = (int) gca.getShape().get(1);
        float[] all = gca.toFloatArray();
        Region[] regions = new Region[b];
        for (int i = 0; i < b; i++) {
            float[] one = new float[cells];
            System.arraycopy(all, i * cells, one, 0, cells);
            regions[i] = policy.select(one, random);
        }
        return regions;
    }
}
