package io.lfvit.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void crossEntropyWithSmoothingMatchesAHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {2f, 0f, 0f}, new Shape(1, 3));
            NDArray labels = m.create(new int[] {0});
            double z = Math.exp(2) + 2;
            double logP0 = 2 - Math.log(z);
            double logP1 = -Math.log(z);
            double plain = -logP0;
            assertEquals(plain, Losses.smoothedCrossEntropy(logits, labels, 0f).getFloat(), 1e-5);
            // smoothing 0.3 over 3 classes: targets 0.8, 0.1, 0.1
            double smoothed = -(0.8 * logP0 + 0.1 * logP1 + 0.1 * logP1);
            assertEquals(smoothed, Losses.smoothedCrossEntropy(logits, labels, 0.3f).getFloat(), 1e-5);
        }
    }

    @Test
    void distillationIsKlOfTeacherToStudentAndZeroWhenEqual() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray teacher = m.create(new float[] {1f, 0f}, new Shape(1, 2));
            NDArray student = m.create(new float[] {0f, 0f}, new Shape(1, 2));
            double p = Math.exp(1) / (Math.exp(1) + 1);
            double kl = p * Math.log(p / 0.5) + (1 - p) * Math.log((1 - p) / 0.5);
            assertEquals(kl, Losses.distillation(student, teacher).getFloat(), 1e-5);
            assertEquals(0, Losses.distillation(teacher, teacher).getFloat(), 1e-6);
        }
    }

    @Test
    void learningRateWarmsUpThenFollowsTheCosine() {
        LearningRate lr = new LearningRate(1e-3, 1e-5, 10, 110);
        assertEquals(1e-4, lr.at(0), 1e-12);
        assertEquals(1e-3, lr.at(9), 1e-12);
        assertEquals(1e-3, lr.at(10), 1e-12);
        assertEquals((1e-3 + 1e-5) / 2, lr.at(60), 1e-9);
        assertEquals(1e-5, lr.at(110), 1e-12);
    }
}
