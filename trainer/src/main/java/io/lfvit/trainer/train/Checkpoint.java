package io.lfvit.trainer.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.nn.ModuleBlock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Resumable training state in {@code <out>/checkpoint}: weights, optimizer moments and progress.
 * Each file is replaced atomically, state.json last, so an interrupted save leaves the previous
 * checkpoint usable.
 */
final class Checkpoint {
    private static final String WEIGHTS = "weights.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String STATE = "state.json";

    /** Progress so far; {@code history} rows are [step, loss, accuracy, seconds]. */
    record State(long step, long totalSteps, double seconds, ModelConfig config, TrainingOptions options, String data,
            List<double[]> history, List<Map<String, Object>> validations) {}

    private Checkpoint() {}

    static boolean exists(Path out) {
        return Files.exists(out.resolve("checkpoint").resolve(STATE));
    }

    static void save(Path out, ModuleBlock network, AdamW optimizer, State state) throws IOException {
        Path dir = out.resolve("checkpoint");
        Files.createDirectories(dir);
        ModelBundle.writeAtomically(dir.resolve(WEIGHTS), ModelBundle.serialize(network));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(bytes))) {
            optimizer.save(data);
        }
        ModelBundle.writeAtomically(dir.resolve(OPTIMIZER), bytes.toByteArray());
        ModelBundle.writeAtomically(dir.resolve(STATE), ModelBundle.JSON.writeValueAsBytes(state));
    }

    static State readState(Path out) throws IOException {
        return ModelBundle.JSON.readValue(out.resolve("checkpoint").resolve(STATE).toFile(), State.class);
    }

    /** Replaces the network's parameter arrays by the checkpoint's, trainable. */
    static void loadWeights(Path out, ModuleBlock network, NDManager manager) throws IOException {
        Path file = out.resolve("checkpoint").resolve(WEIGHTS);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            network.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint weights " + file + " do not fit the network: " + e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : network.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
    }

    static void loadOptimizer(Path out, AdamW optimizer) throws IOException {
        Path file = out.resolve("checkpoint").resolve(OPTIMIZER);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            optimizer.load(in);
        }
    }
}
