package io.lfvit.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lfvit.data.Sample;

/** Samples to network input: raw pixel values (0..255) as float [B,C,S,S] and labels [B]. */
public final class Batches {
    private Batches() {}

    public record Batch(NDArray pixels, NDArray labels, int[] labelValues) {}

    public static Batch of(NDManager manager, Sample[] samples, int channels, int size) {
        int per = channels * size * size;
        float[] pixels = new float[samples.length * per];
        int[] labels = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            byte[] p = samples[i].pixels();
            if (p.length != per) {
                throw new IllegalArgumentException("sample has " + p.length + " pixels, expected " + per);
            }
            for (int j = 0; j < per; j++) {
                pixels[i * per + j] = p[j] & 0xff;
            }
            labels[i] = samples[i].label();
        }
        return new Batch(manager.create(pixels, new Shape(samples.length, channels, size, size)),
                manager.create(labels), labels);
    }
}
