package io.lfvit.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import io.lfvit.data.Sample;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.Torch;
import io.lfvit.trainer.data.Batches;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gradients of a batch do not depend on whether the garbage collector ran between the forward
 * and the backward pass. A tensor over a Java direct buffer whose handle is closed after the
 * forward (DJL's {@code mul(Number)} does that) is still read by the backward; once the collector
 * has freed the buffer and the memory is reused, the gradients are garbage. That made training
 * diverge to NaN at random, depending on the machine's GC timing.
 */
class GradientsTest {
    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"LFVIT", "VIT", "EVIT", "CFVIT"})
    void theGarbageCollectorDoesNotChangeTheGradients(ModelFamily family) throws Exception {
        Torch.disableGradients();
        ModelConfig config = TinyTrainingTest.tiny(family);
        Sample[] samples = new Sample[8];
        TinyTrainingTest.Shapes shapes = new TinyTrainingTest.Shapes(samples.length);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = shapes.get(i, 0, false);
        }
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock network = Networks.create(config);
            network.initialize(manager);
            float[] undisturbed = gradients(network, config, samples, manager, false);
            // (a zero-initialised output layer leaves the layer before it without gradient at step 0)
            int finite = 0;
            int nonZero = 0;
            for (float g : undisturbed) {
                finite += Float.isFinite(g) ? 1 : 0;
                nonZero += g > 0 ? 1 : 0;
            }
            assertTrue(finite == undisturbed.length && nonZero > undisturbed.length / 2,
                    "finite gradients, most of them non-zero: " + Arrays.toString(undisturbed));
            for (int pass = 0; pass < 3; pass++) {
                assertArrayEquals(undisturbed, gradients(network, config, samples, manager, true),
                        "gradients with a garbage collection before the backward, pass " + pass);
            }
        }
    }

    /** Sum of squares of each parameter's gradient for one forward and backward pass. */
    private static float[] gradients(ModuleBlock network, ModelConfig config, Sample[] samples, NDManager manager,
            boolean collectGarbage) throws InterruptedException {
        List<ByteBuffer> reuse = List.of();
        try (NDScope scope = new NDScope()) {
            Batches.Batch batch = Batches.of(manager, samples, config.channels(), config.imageSize());
            Objective objective = Objective.of(network, 0f);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                Objective.Forward forward = objective.forward(batch.pixels(), batch.labels(),
                        TrainingRun.regionPolicy(config));
                if (collectGarbage) {
                    reuse = freeUnreachableBuffersAndReuseTheirMemory();
                }
                collector.backward(forward.loss());
            }
            ParameterList parameters = network.getParameters();
            float[] squares = new float[parameters.size()];
            for (int i = 0; i < squares.length; i++) {
                try (NDArray gradient = parameters.valueAt(i).getArray().getGradient()) {
                    squares[i] = gradient.square().sum().getFloat();
                    gradient.subi(gradient);
                }
            }
            return squares;
        } finally {
            Reference.reachabilityFence(reuse);
        }
    }

    /**
     * Runs the collector until the unreachable direct buffers' cleaners have run, then allocates
     * many small direct buffers filled with NaN bit patterns, so that freed memory still read by
     * native code is overwritten.
     */
    private static List<ByteBuffer> freeUnreachableBuffersAndReuseTheirMemory() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 8) * 4);
            while (b.hasRemaining()) {
                b.put((byte) 0xff);
            }
            buffers.add(b);
        }
        return buffers;
    }
}
