package io.lfvit.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import ai.djl.ndarray.index.NDIndex;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenReorganisationTest {
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Implementation notes 4.1: DeiT-S, 197 tokens, blocks 3, 6, 9 of 12; kept non-[CLS] tokens per stage. */
    @ParameterizedTest(name = "kappa {0}: kept {1}, {2}, {3}")
    @CsvSource({"0.9, 177, 161, 146", "0.8, 157, 127, 103", "0.7, 138, 98, 70", "0.6, 118, 72, 44",
        "0.5, 98, 50, 26"})
    void keptCountsMatchTheOfficialTable(double kappa, int first, int second, int third) {
        TokenReorganisation r = new TokenReorganisation(kappa, List.of(3, 6, 9));
        List<Integer> after = r.lengthsAfterBlocks(197, 12);
        // each stage keeps n_keep tokens plus [CLS] and the fused token
        assertEquals(List.of(197, 197, 197, first + 2, first + 2, first + 2, second + 2, second + 2, second + 2,
                third + 2, third + 2, third + 2), after);
    }

    @Test
    void ourDepthSixAtKappaPointSevenGoes197To140To100To72() {
        TokenReorganisation r = new TokenReorganisation(0.7, TokenReorganisation.defaultBlocks(6));
        assertEquals(List.of(1, 3, 5), r.blocks());
        assertEquals(List.of(197, 140, 140, 100, 100, 72), r.lengthsAfterBlocks(197, 6));
        int[][] lengths = r.lengths(197, 6);
        assertArrayEquals(new int[] {197, 140}, lengths[1], "block 1: attention on 197, MLP on 140");
        assertArrayEquals(new int[] {100, 72}, lengths[5], "block 5: attention on 100, MLP on 72");
    }

    @Test
    void ourDepthSixAtKappaPointFiveGoes197To100To52To28() {
        TokenReorganisation r = new TokenReorganisation(0.5, List.of(1, 3, 5));
        assertEquals(List.of(197, 100, 100, 52, 52, 28), r.lengthsAfterBlocks(197, 6));
    }

    @Test
    void lfVitFocusOf116TokensGoes116To83To60To44AtKappaPointSeven() {
        // 115 non-[CLS]: ceil(80.5) = 81 kept; 82: ceil(57.4) = 58; 59: ceil(41.3) = 42
        assertEquals(List.of(116, 83, 83, 60, 60, 44), new TokenReorganisation(0.7, List.of(1, 3, 5))
                .lengthsAfterBlocks(116, 6));
        assertEquals(List.of(116, 60, 60, 32, 32, 18), new TokenReorganisation(0.5, List.of(1, 3, 5))
                .lengthsAfterBlocks(116, 6));
    }

    @Test
    void defaultBlocksScaleThePapersLayers() {
        assertEquals(List.of(3, 6, 9), TokenReorganisation.defaultBlocks(12));
        assertEquals(List.of(1, 3, 5), TokenReorganisation.defaultBlocks(6));
        assertEquals(List.of(0, 1, 2), TokenReorganisation.defaultBlocks(3));
    }

    @Test
    void keepRateOneOrNoBlocksIsInactive() {
        assertFalse(new TokenReorganisation(1.0, List.of(1, 3)).isActive());
        assertFalse(new TokenReorganisation(0.7, List.of()).isActive());
        assertEquals(List.of(197, 197, 197), new TokenReorganisation(1.0, List.of(1)).lengthsAfterBlocks(197, 3));
        assertThrows(IllegalArgumentException.class, () -> new TokenReorganisation(0.0, List.of(1)));
    }

    /**
     * Hand-made example, B = 2, N = 5 ([CLS] + 4), D = 2, kappa 0.5: ceil(0.5 * 4) = 2 kept by
     * descending [CLS] attention, the other two fused with their raw attention weights.
     */
    @Test
    void fusedTokenIsTheAttentionWeightedSumOfTheDroppedTokens() {
        float[] tokens = {
            9, 9, 1, 2, 3, 4, 5, 6, 7, 8, // sample 0: [CLS], t1..t4
            -9, -9, 10, 20, 30, 40, 50, 60, 70, 80}; // sample 1
        NDArray x = manager.create(tokens, new Shape(2, 5, 2));
        NDArray attention = manager.create(new float[] {
            0.10f, 0.40f, 0.15f, 0.30f, 0.05f, // keeps t1 (0.40), t3 (0.30); fuses t2, t4
            0.20f, 0.05f, 0.10f, 0.25f, 0.40f}, // keeps t4 (0.40), t3 (0.25); fuses t2, t1
            new Shape(2, 5));
        NDArray out = TokenReorganisation.reorganise(x, attention, 0.5);
        assertEquals(new Shape(2, 4, 2), out.getShape(), "[CLS] + 2 kept + 1 fused");
        float[] expected = {
            9, 9, 1, 2, 5, 6, 0.15f * 3 + 0.05f * 7, 0.15f * 4 + 0.05f * 8,
            -9, -9, 70, 80, 50, 60, 0.10f * 30 + 0.05f * 10, 0.10f * 40 + 0.05f * 20};
        assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
    }

    @Test
    void nothingChangesWhenEveryTokenWouldBeKept() {
        NDArray x = manager.randomNormal(new Shape(1, 5, 3));
        NDArray attention = manager.create(new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, new Shape(1, 5));
        assertSame(x, TokenReorganisation.reorganise(x, attention, 0.9), "ceil(0.9 * 4) = 4 = N - 1");
    }

    @Test
    void theFusedTokenIsDifferentiableInTheAttentionWeights() {
        NDArray x = manager.create(new float[] {0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 5, 2));
        NDArray attention = manager.create(new float[] {0.1f, 0.4f, 0.15f, 0.3f, 0.05f}, new Shape(1, 5));
        attention.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray fused = TokenReorganisation.reorganise(x, attention, 0.5).get(new NDIndex(":, 3, :"));
            collector.backward(fused.sum());
        }
        // d(sum of fused)/d(weight of t2) = 3 + 4, of t4 = 7 + 8; kept tokens and [CLS]: 0
        assertArrayEquals(new float[] {0, 0, 7, 0, 15}, attention.getGradient().toFloatArray(), 1e-6f);
    }

    @Test
    void encoderOutputLengthFollowsEachReorganisingBlock() {
        ModelConfig config = TestConfigs.sized(ModelFamily.EVIT, 32, 3, 2);
        VitBackbone backbone = new VitBackbone(1, 8, 32, 3, 2, 4, 10);
        backbone.initialize(manager);
        NDArray tokens = manager.randomNormal(new Shape(2, 197, 32));
        // reorganising in the first 1, 2, 3 blocks: 140, then 100, then 72 tokens leave the encoder
        int[] expected = {140, 100, 72};
        for (int i = 1; i <= 3; i++) {
            TokenReorganisation r = new TokenReorganisation(0.7, List.of(0, 1, 2).subList(0, i));
            NDArray normed = backbone.encode(tokens, r);
            assertEquals(new Shape(2, expected[i - 1], 32), normed.getShape(), "after " + i + " reorganising blocks");
            assertEquals(expected[i - 1], (int) r.lengthsAfterBlocks(197, config.depth()).get(2));
        }
    }

    @Test
    void reorganisationIsDeterministic() {
        VitBackbone backbone = new VitBackbone(1, 8, 32, 2, 2, 4, 10);
        backbone.initialize(manager);
        NDArray tokens = manager.randomNormal(new Shape(3, 50, 32));
        TokenReorganisation r = new TokenReorganisation(0.5, List.of(0, 1));
        float[] a = backbone.encode(tokens, r).toFloatArray();
        float[] b = backbone.encode(tokens, r).toFloatArray();
        assertArrayEquals(a, b, 0f);
        assertTrue(a.length == 3 * (2 + 13) * 32, "50 -> 27 -> 15 tokens");
    }
}
