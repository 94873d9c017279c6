package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Raw 8-bit pixel values to the network's normalised input, per channel. */
public final class Pixels {
    private Pixels() {}

    /** x [...,C,H,W] in 0..255 to (x/255 - mean)/std. */
    public static NDArray normalize(NDArray raw, List<Double> mean, List<Double> std) {
        int c = mean.size();
        float[] m = new float[c];
        float[] s = new float[c];
        for (int i = 0; i < c; i++) {
            m[i] = mean.get(i).floatValue();
            s[i] = std.get(i).floatValue();
        }
        Shape perChannel = new Shape(c, 1, 1);
        NDArray meanArray = raw.getManager().create(m, perChannel);
        NDArray stdArray = raw.getManager().create(s, perChannel);
        return raw.div(255f).sub(meanArray).div(stdArray);
    }
}
