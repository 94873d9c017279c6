package io.lfvit.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.model.select.*;
import java.util.Random;

/** Manual timing probe (not a test): java -cp ... io.lfvit.model.StepTiming */
public class StepTiming {
    public static void main(String[] args) {
        ModelConfig c = TestConfigs.sized(ModelFamily.LFVIT, 192, 6, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            TwoStageVit net = new TwoStageVit(c);
            net.initialize(m);
            RegionGeometry geo = new RegionGeometry(7, 5, 0.88);
            for (String mode : new String[] {"whole", "ngca", "whole", "ngca"}) {
                RegionPolicy p = mode.equals("whole") ? RegionPolicy.wholeImage(7) : RegionPolicy.ngca(geo);
                long t0 = System.nanoTime();
                for (int s = 0; s < 3; s++) {
                    try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray x = net.normalize(m.randomUniform(0, 255, new Shape(64, 1, 112, 112)));
                        TwoStageVit.Localization loc = net.localize(x);
                        float[] g = loc.gca().toFloatArray();
                        Region[] rs = new Region[64];
                        for (int i = 0; i < 64; i++) { float[] gi = new float[49]; System.arraycopy(g, i*49, gi, 0, 49); rs[i] = p.select(gi, new Random(i)); }
                        RegionBatch rb = RegionBatch.of(m, rs, 7);
                        NDArray logits = net.focus(net.focusInput(loc, x, rb.splitCells(), rb.coarseCells(), rb.fineIds()));
                        NDArray loss = logits.logSoftmax(-1).mean().add(loc.logits().logSoftmax(-1).mean());
                        gc.backward(loss);
                    }
                }
                System.out.printf("%s: %.3f s/step%n", mode, (System.nanoTime() - t0) / 3e9);
            }
        }
    }
}
