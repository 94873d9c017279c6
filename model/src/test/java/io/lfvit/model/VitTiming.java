package io.lfvit.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.lfvit.model.nn.PlainVit;

public class VitTiming {
    public static void main(String[] args) {
        ModelConfig c = TestConfigs.sized(ModelFamily.VIT, 192, 6, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            PlainVit net = new PlainVit(c);
            net.initialize(m);
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < 3; s++) {
                    try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray x = net.normalize(m.randomUniform(0, 255, new Shape(64, 1, 112, 112)));
                        NDArray loss = net.forward(x).logSoftmax(-1).mean();
                        long t1 = System.nanoTime();
                        gc.backward(loss);
                        if (s == 2) System.out.printf("fwd %.3f bwd %.3f%n", (t1 - t0) / 3e9, (System.nanoTime() - t1) / 1e9);
                    }
                }
                System.out.printf("vit: %.3f s/step%n", (System.nanoTime() - t0) / 3e9);
                t0 = System.nanoTime();
                try (NDScope scope = new NDScope()) {
                    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
                    for (int s = 0; s < 3; s++) net.forward(net.normalize(m.randomUniform(0, 255, new Shape(64, 1, 112, 112)))).toFloatArray();
                }
                System.out.printf("vit infer: %.1f img/s%n", 192 / ((System.nanoTime() - t0) / 1e9));
            }
        }
    }
}
