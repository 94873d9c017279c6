package io.lfvit.model.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import io.lfvit.model.nn.TokenReorganisation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MACs of the peers at the shipped size (D 192, 6 blocks, 3 heads, MLP 768, 112 px, patch 8, m 5),
 * by hand: attention half on n tokens = 4 n D^2 + 2 n^2 D = 147,456 n + 384 n^2; MLP half =
 * 2 n D 4D = 294,912 n. Reorganising blocks 1, 3, 5.
 *
 * <pre>
 *   ViT                      197 tokens everywhere                    614,705,280  (0.615 G)
 *   EViT kappa 0.7  [attn,mlp] 197,197 197,140 140,140 140,100 100,100 100,72  404,714,112  (0.658 of ViT)
 *   EViT kappa 0.5           197,197 197,100 100,100 100,52 52,52 52,28    300,905,088  (0.490 of ViT)
 *   localization (LF/CF)     50 tokens + resize                        140,128,128
 *   LF-ViT focus, 116 tokens                                           346,462,080  (both: 486,590,208)
 *   LF-ViT+EViT 0.7 focus    116,116 116,83 83,83 83,60 60,60 60,44    233,874,048  (both: 374,002,176)
 *   LF-ViT+EViT 0.5 focus    116,116 116,60 60,60 60,32 32,32 32,18    176,580,480  (both: 316,708,608)
 *   CF-ViT focus, 125 tokens                                           376,379,520  (both: 516,507,648)
 * </pre>
 */
class PeerMacsTest {
    private static final List<Integer> BLOCKS = List.of(1, 3, 5);

    private static ModelConfig shipped(ModelFamily family, double alpha, double kappa) {
        ModelConfig t = TestConfigs.sized(family, 192, 6, 3);
        return new ModelConfig(family, t.version(), 112, 1, 8, 6, 192, 3, 4, 5, alpha, 0.99, 3, 0.8, true, kappa,
                kappa < 1 ? BLOCKS : List.of(), t.classNames(), t.mean(), t.std());
    }

    private static long attention(long n) {
        return 147_456L * n + 384L * n * n;
    }

    private static long mlp(long n) {
        return 294_912L * n;
    }

    private static final long EMBED_196 = 196L * 64 * 192;
    private static final long HEAD = 1920;

    @Test
    void halvesAddUpToTheBlock() {
        MacCounter macs = new MacCounter(shipped(ModelFamily.VIT, 0.88, 1.0));
        assertEquals(attention(197), macs.attentionHalf(197));
        assertEquals(mlp(197), macs.mlpHalf(197));
        assertEquals(macs.block(197), macs.attentionHalf(197) + macs.mlpHalf(197));
        assertEquals(614_705_280L, macs.plainVit());
        assertEquals(macs.plainVit(), macs.singleStage(), "a ViT config keeps every token");
    }

    @Test
    void evitKappaPointSevenIs404_714_112Macs() {
        MacCounter macs = new MacCounter(shipped(ModelFamily.EVIT, 0.88, 0.7));
        long byHand = EMBED_196 + attention(197) + mlp(197) + attention(197) + mlp(140) + attention(140) + mlp(140)
                + attention(140) + mlp(100) + attention(100) + mlp(100) + attention(100) + mlp(72) + HEAD;
        assertEquals(byHand, macs.singleStage());
        assertEquals(404_714_112L, macs.singleStage());
        assertEquals(614_705_280L, macs.plainVit(), "plainVit stays the all-token baseline");
        assertEquals(0.658, (double) macs.singleStage() / macs.plainVit(), 5e-4, "EViT/DeiT-S at 3,6,9: 0.659");
    }

    @Test
    void evitKappaPointFiveIs300_905_088Macs() {
        MacCounter macs = new MacCounter(shipped(ModelFamily.EVIT, 0.88, 0.5));
        long byHand = EMBED_196 + attention(197) + mlp(197) + attention(197) + mlp(100) + attention(100) + mlp(100)
                + attention(100) + mlp(52) + attention(52) + mlp(52) + attention(52) + mlp(28) + HEAD;
        assertEquals(byHand, macs.singleStage());
        assertEquals(300_905_088L, macs.singleStage());
    }

    @Test
    void deitSmallReproducesTheEvitReadme() {
        // DeiT-S 224/16, 12 blocks, D 384, 1000 classes, blocks 3, 6, 9: README 4.6 / 3.0 (kappa 0.7) / 2.3 (0.5) G
        List<String> classes = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "c" + i).toList();
        double[] expected = {3.0, 2.3};
        double[] kappas = {0.7, 0.5};
        for (int i = 0; i < 2; i++) {
            ModelConfig deit = new ModelConfig(ModelFamily.EVIT, "deit", 224, 3, 16, 12, 384, 6, 4, 5, 0.88, 0.99, 3,
                    0.8, true, kappas[i], List.of(3, 6, 9), classes, List.of(0.5, 0.5, 0.5), List.of(0.2, 0.2, 0.2));
            MacCounter macs = new MacCounter(deit);
            assertEquals(4.6, macs.plainVit() / 1e9, 0.05);
            assertEquals(expected[i], macs.singleStage() / 1e9, 0.05, "kappa " + kappas[i]);
        }
    }

    @Test
    void lfVitPlusEvitFocusAtKappaPointSevenIs233_874_048Macs() {
        MacCounter lf = new MacCounter(shipped(ModelFamily.LFVIT, 0.88, 1.0));
        MacCounter lfEvit = new MacCounter(shipped(ModelFamily.LFVIT, 0.88, 0.7));
        long fineAndReuse = 88L * 64 * 192 + 2L * 22 * 192 * 768;
        assertEquals(fineAndReuse + 6 * (attention(116) + mlp(116)) + HEAD, lf.focus());
        assertEquals(346_462_080L, lf.focus());
        long byHand = fineAndReuse + attention(116) + mlp(116) + attention(116) + mlp(83) + attention(83) + mlp(83)
                + attention(83) + mlp(60) + attention(60) + mlp(60) + attention(60) + mlp(44) + HEAD;
        assertEquals(byHand, lfEvit.focus());
        assertEquals(233_874_048L, lfEvit.focus());
        assertEquals(lf.localization(), lfEvit.localization(), "localization keeps every token");
        assertEquals(140_128_128L, lf.localization());
        assertEquals(374_002_176L, lfEvit.expectedTwoStage(0.0), 1e-3);
    }

    @Test
    void lfVitPlusEvitFocusAtKappaPointFiveIs176_580_480Macs() {
        MacCounter lfEvit = new MacCounter(shipped(ModelFamily.LFVIT, 0.88, 0.5));
        long byHand = 88L * 64 * 192 + 2L * 22 * 192 * 768 + attention(116) + mlp(116) + attention(116) + mlp(60)
                + attention(60) + mlp(60) + attention(60) + mlp(32) + attention(32) + mlp(32) + attention(32)
                + mlp(18) + HEAD;
        assertEquals(byHand, lfEvit.focus());
        assertEquals(176_580_480L, lfEvit.focus());
    }

    @Test
    void cfVitFocusRuns125TokensAndCostsMoreThanLfVit() {
        MacCounter cf = new MacCounter(shipped(ModelFamily.CFVIT, 0.5, 1.0));
        MacCounter lf = new MacCounter(shipped(ModelFamily.LFVIT, 0.88, 1.0));
        assertEquals(25, cf.splitCells());
        assertEquals(376_379_520L, cf.focus());
        assertEquals(100L * 64 * 192 + 2L * 25 * 192 * 768 + 6 * (attention(125) + mlp(125)) + HEAD, cf.focus());
        assertTrue(cf.focus() > lf.focus());
        assertEquals(List.of(125, 89, 89, 64, 64, 47),
                new TokenReorganisation(0.7, BLOCKS).lengthsAfterBlocks(125, 6), "CF-ViT+EViT focus tokens");
    }
}
