package io.lfvit.model.bundle;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model on disk: {@code config.json} (architecture, input, region hyper-parameters, classes,
 * normalisation), {@code weights.params} (DJL parameter stream) and {@code metrics.json}. The
 * config's version ends with the first 12 hex digits of the weights' SHA-256, so a bundle whose
 * files were mixed up is refused, as is one whose weights do not fit the architecture.
 */
public final class ModelBundle {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "weights.params";
    public static final String METRICS = "metrics.json";

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelBundle() {}

    /** A loaded bundle: its config and the initialised network (parameters in {@code manager}). */
    public record Loaded(ModelConfig config, ModuleBlock network, Path dir) {}

    /**
     * Writes the bundle; {@code versionPrefix} + "-" + weights hash becomes the config's version.
     *
     * @return the config as written (with its final version)
     */
    public static ModelConfig save(Path dir, ModelConfig config, ModuleBlock network, String versionPrefix,
            Map<String, Object> metrics) throws IOException {
        Files.createDirectories(dir);
        byte[] weights = serialize(network);
        ModelConfig versioned = config.withVersion(versionPrefix + "-" + shortHash(weights));
        writeAtomically(dir.resolve(WEIGHTS), weights);
        writeAtomically(dir.resolve(CONFIG), JSON.writeValueAsBytes(versioned));
        writeMetrics(dir, metrics);
        return versioned;
    }

    public static void writeMetrics(Path dir, Map<String, Object> metrics) throws IOException {
        writeAtomically(dir.resolve(METRICS), JSON.writeValueAsBytes(metrics == null ? Map.of() : metrics));
    }

    public static ModelConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.exists(file)) {
            throw new BundleException("no " + CONFIG + " in " + dir + ": not a model bundle");
        }
        try {
            return JSON.readValue(file.toFile(), ModelConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException(file + " is not a valid model config: " + rootMessage(e), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readMetrics(Path dir) throws IOException {
        Path file = dir.resolve(METRICS);
        return Files.exists(file) ? JSON.readValue(file.toFile(), LinkedHashMap.class) : new LinkedHashMap<>();
    }

    /** Loads and checks a bundle; the network's arrays live in {@code manager}. */
    public static Loaded load(Path dir, NDManager manager) throws IOException {
        ModelConfig config = readConfig(dir);
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.exists(weightsFile)) {
            throw new BundleException("no " + WEIGHTS + " in " + dir);
        }
        byte[] weights = Files.readAllBytes(weightsFile);
        String hash = shortHash(weights);
        if (!config.version().endsWith("-" + hash)) {
            throw new BundleException(WEIGHTS + " in " + dir + " does not belong to " + CONFIG + ": version "
                    + config.version() + " expects weights ending in its hash, the file hashes to " + hash);
        }
        ModuleBlock network = Networks.create(config);
        network.initialize(manager);
        Map<String, Shape> expected = shapes(network);
        try (InputStream raw = new java.io.ByteArrayInputStream(weights);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            network.loadParameters(manager, in);
        } catch (Exception e) {
            throw new BundleException(WEIGHTS + " in " + dir + " cannot be read as a " + config.family()
                    + " network of this config: " + rootMessage(e), e);
        }
        Map<String, Shape> actual = shapes(network);
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                throw new BundleException("weights do not fit config.json in " + dir + ": parameter " + e.getKey()
                        + " has shape " + actual.get(e.getKey()) + ", the config implies " + e.getValue());
            }
        }
        return new Loaded(config, network, dir);
    }

    private static Map<String, Shape> shapes(ModuleBlock network) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            shapes.put(p.getKey(), p.getValue().getArray().getShape());
        }
        return shapes;
    }

    public static byte[] serialize(ModuleBlock network) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes))) {
            network.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    public static String shortHash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
