package io.lfvit.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The peers' {@code lfvit train} options become the configs the issue asks for. */
class ModelOptionsTest {

    private static ModelConfig parse(String... args) {
        ModelOptions options = new ModelOptions();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return options.toConfig(112, 1, List.of("a", "b"), List.of(0.1), List.of(0.25));
    }

    @Test
    void evitDefaultsToKappaPointSevenAtBlocksOneThreeFive() {
        ModelConfig evit = parse("--family", "evit");
        assertEquals(ModelFamily.EVIT, evit.family());
        assertEquals(0.7, evit.keepRate());
        assertEquals(List.of(1, 3, 5), evit.reorganiseBlocks());
        assertEquals(0.5, parse("--family", "evit", "--keep-rate", "0.5").keepRate());
        assertEquals(List.of(2, 4), parse("--family", "evit", "--reorganise-blocks", "2,4").reorganiseBlocks());
    }

    @Test
    void lfVitPlusEvitIsLfVitWithAKeepRate() {
        ModelConfig combined = parse("--family", "lfvit", "--keep-rate", "0.7");
        assertEquals(ModelFamily.LFVIT, combined.family());
        assertEquals(0.7, combined.keepRate());
        assertEquals(List.of(1, 3, 5), combined.reorganiseBlocks());
        assertEquals(0.88, combined.alpha());
    }

    @Test
    void theOtherFamiliesKeepEveryToken() {
        for (String family : List.of("lfvit", "cfvit", "vit")) {
            ModelConfig c = parse("--family", family);
            assertEquals(1.0, c.keepRate(), family);
            assertEquals(List.of(), c.reorganiseBlocks(), family);
        }
        assertEquals(0.5, parse("--family", "cfvit").alpha(), "CF-ViT splits half of all cells");
        assertThrows(IllegalArgumentException.class, () -> parse("--family", "vit", "--keep-rate", "0.7"));
    }
}
