package io.lfvit.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.model.bundle.ModelBundle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    @Test
    void aFinishedBundleIsNotRetrainedByAccident(@TempDir Path out) throws Exception {
        byte[] weights = {1, 2, 3};
        Files.write(out.resolve(ModelBundle.WEIGHTS), weights);
        // The guard runs before any data is read: a wrong data directory proves it.
        PrintStream stderr = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new TrainCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                    .execute("--out", out.toString(), "--fmnist-dir", out.resolve("none").toString());
        } finally {
            System.setErr(stderr);
        }
        assertEquals(TrainCommand.ALREADY_TRAINED, exit);
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("already holds a trained bundle"), said.toString(StandardCharsets.UTF_8));
        assertArrayEquals(weights, Files.readAllBytes(out.resolve(ModelBundle.WEIGHTS)), "the bundle is untouched");
    }
}
