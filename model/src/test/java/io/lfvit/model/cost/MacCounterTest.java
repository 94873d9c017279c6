package io.lfvit.model.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import org.junit.jupiter.api.Test;

class MacCounterTest {
    private final ModelConfig shipped = TestConfigs.sized(ModelFamily.LFVIT, 192, 6, 3);
    private final MacCounter macs = new MacCounter(shipped);

    @Test
    void blockCountsLinearLayersAndBothAttentionMatmuls() {
        long n = 50;
        long d = 192;
        long qkv = n * d * 3 * d;
        long scores = n * n * d;
        long mix = n * n * d;
        long proj = n * d * d;
        long mlp = n * d * 4 * d + n * 4 * d * d;
        assertEquals(qkv + scores + mix + proj + mlp, macs.block(n));
        assertEquals(22_118_400L + 960_000L, macs.block(n)); // 12 n d^2 + 2 n^2 d
    }

    @Test
    void stagesAddUpByHand() {
        long embed49 = 49L * 64 * 192;
        long resize = 56L * 112 * 112 + 56L * 112 * 56;
        assertEquals(resize + embed49 + 6 * macs.block(50) + 1920, macs.localization());
        // focus at m=5: 88 fine patches, reuse MLP on 22 cells, 116 tokens
        long focus = 88L * 64 * 192 + 2L * 22 * 192 * 768 + 6 * macs.block(116) + 1920;
        assertEquals(focus, macs.focus());
        // without the 27 appended non-region tokens: [CLS] and the 88 fine tokens
        assertEquals(88L * 64 * 192 + 2L * 22 * 192 * 768 + 6 * macs.block(89) + 1920, macs.focus(22, false));
        assertEquals(196L * 64 * 192 + 6 * macs.block(197) + 1920, macs.plainVit());
    }

    @Test
    void expectedCostInterpolatesBetweenStages() {
        assertEquals(macs.localization(), macs.expectedTwoStage(1.0), 1e-6);
        assertEquals(macs.localization() + macs.focus(), macs.expectedTwoStage(0.0), 1e-6);
        assertEquals(macs.localization() + 0.25 * macs.focus(), macs.expectedTwoStage(0.75), 1e-6);
    }

    @Test
    void cfVitFocusHasOneHundredTwentyFiveTokens() {
        ModelConfig cf = TestConfigs.sized(ModelFamily.CFVIT, 192, 6, 3);
        ModelConfig cfHalf = new ModelConfig(cf.family(), cf.version(), 112, 1, 8, 6, 192, 3, 4, 5, 0.5, 0.99, 3,
                0.8, true, 1.0, java.util.List.of(), cf.classNames(), cf.mean(), cf.std());
        MacCounter cfMacs = new MacCounter(cfHalf);
        assertEquals(25, cfMacs.splitCells());
        assertEquals(100L * 64 * 192 + 2L * 25 * 192 * 768 + 6 * cfMacs.block(125) + 1920, cfMacs.focus());
    }
}
