package io.lfvit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

public class OpTiming {
    interface Op { NDArray run(); }
    static void time(String name, Op op) {
        for (int i = 0; i < 3; i++) op.run().close();
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) op.run().close();
        System.out.printf("%-12s %.2f ms%n", name, (System.nanoTime() - t0) / 1e7);
    }
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            NDArray x = m.randomNormal(new Shape(64, 197, 192));
            NDArray w = m.randomNormal(new Shape(576, 192));
            NDArray b = m.zeros(new Shape(576));
            NDArray w2 = m.randomNormal(new Shape(768, 192));
            NDArray b2 = m.zeros(new Shape(768));
            NDArray h = m.randomNormal(new Shape(64, 197, 768));
            NDArray g = m.ones(new Shape(192)); NDArray be = m.zeros(new Shape(192));
            NDArray q = m.randomNormal(new Shape(64, 3, 197, 64));
            NDArray big = m.randomNormal(new Shape(1024, 1024));
            time("mm1024", () -> big.matMul(big));
            NDArray x2 = x.reshape(64 * 197, 192);
            time("2d qkv", () -> Linear.linear(x2, w, b).get(0));
            time("linear qkv", () -> Linear.linear(x, w, b).get(0));
            time("linear fc1", () -> Linear.linear(x, w2, b2).get(0));
            time("matmul fc1", () -> x.matMul(w2.transpose()));
            time("gelu", () -> Activation.gelu(h));
            time("layernorm", () -> LayerNorm.layerNorm(x, new Shape(192), g, be, 1e-6f).get(0));
            time("qk", () -> q.matMul(q.transpose(0, 1, 3, 2)));
            NDArray s = q.matMul(q.transpose(0, 1, 3, 2));
            time("softmax", () -> s.softmax(-1));
        }
    }
}
