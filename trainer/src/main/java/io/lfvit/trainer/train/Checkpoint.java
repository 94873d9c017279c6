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
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Resumable training state in {@code <out>/checkpoint}: weights, optimizer moments and progress
 * (with the recipe and data identity), always of one and the same step.
 */
final class Checkpoint {
    private static final String WEIGHTS = "weights.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String STATE = "state.json";

    /** Progress so far; {@code history} rows are [step, loss, accuracy, seconds]. */
    record State(long step, long totalSteps, double seconds, ModelConfig config, TrainingOptions options, String data,
            List<double[]> history, List<Map<String, Object>> validations) {}

    private Checkpoint() {}

    static boolean exists(Path out) throws IOException {
        recoverInterruptedSwap(out);
        return Files.exists(dir(out).resolve(STATE));
    }

    private static Path dir(Path out) {
        return out.resolve("checkpoint");
    }

    /**
     * Writes a complete new checkpoint beside the current one, then swaps directories, so that a
     * kill at any moment leaves one whole checkpoint (files of one step, never mixed).
     */
    static void save(Path out, ModuleBlock network, AdamW optimizer, State state) throws IOException {
        Path next = out.resolve("checkpoint.next");
        Path previous = out.resolve("checkpoint.prev");
        deleteTree(next);
        Files.createDirectories(next);
        Files.write(next.resolve(WEIGHTS), ModelBundle.serialize(network));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(bytes))) {
            optimizer.save(data);
        }
        Files.write(next.resolve(OPTIMIZER), bytes.toByteArray());
        Files.write(next.resolve(STATE), ModelBundle.JSON.writeValueAsBytes(state));
        deleteTree(previous);
        if (Files.exists(dir(out))) {
            Files.move(dir(out), previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(next, dir(out), StandardCopyOption.ATOMIC_MOVE);
        deleteTree(previous);
    }

    /**
     * Removes the checkpoint once its run's bundle is written: the bundle is the result, and a
     * leftover checkpoint (three times the weights' size) would make the next run resume a finished one.
     */
    static void delete(Path out) throws IOException {
        deleteTree(dir(out));
        deleteTree(out.resolve("checkpoint.prev"));
    }

    /** A kill between the two moves of {@link #save} leaves only checkpoint.prev: put it back. */
    private static void recoverInterruptedSwap(Path out) throws IOException {
        Path previous = out.resolve("checkpoint.prev");
        if (!Files.exists(dir(out)) && Files.exists(previous.resolve(STATE))) {
            Files.move(previous, dir(out), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static State readState(Path out) throws IOException {
        return ModelBundle.JSON.readValue(dir(out).resolve(STATE).toFile(), State.class);
    }

    /** Replaces the network's parameter arrays by the checkpoint's, trainable. */
    static void loadWeights(Path out, ModuleBlock network, NDManager manager) throws IOException {
        Path file = dir(out).resolve(WEIGHTS);
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
        Path file = dir(out).resolve(OPTIMIZER);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            optimizer.load(in);
        }
    }
}
