package io.lfvit.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One immutable configuration for the localizer, the focus worker and the tools, loaded as
 * defaults &lt; properties file &lt; environment. A key {@code a.b.c} is overridden by the environment
 * variable {@code LFVIT_A_B_C}; Kafka client settings pass through with the prefix {@code kafka.}
 * (e.g. {@code kafka.security.protocol}, env {@code LFVIT_KAFKA_SECURITY_PROTOCOL}), and registry
 * client settings with their Confluent names (e.g. {@code basic.auth.user.info}).
 */
public final class AppConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String MODEL_DIR = "model.dir";
    public static final String MODEL_WINDOW = "model.window";
    public static final String DEVICE = "device";
    public static final String INFERENCE_THREADS = "inference.threads";
    public static final String INFERENCE_REPLICAS = "inference.replicas";
    public static final String DECODE_THREADS = "decode.threads";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String BATCH_OVERLAP = "batch.overlap";
    public static final String REHEARSAL_RECORDS = "rehearsal.records";
    public static final String BATCH_MAX = "batch.max";
    public static final String BATCH_LINGER_MS = "batch.linger.ms";
    public static final String FOCUS_BATCH_MAX = "focus.batch.max";
    public static final String TOPIC_IMAGES = "topic.images";
    public static final String TOPIC_CLASSIFICATIONS = "topic.classifications";
    public static final String TOPIC_FOCUS_TASKS = "topic.focus.tasks";
    public static final String TOPIC_CONTROL = "topic.control";
    public static final String TOPIC_DLQ = "topic.dlq";
    public static final String TOPIC_FRAME_TAGS = "topic.frame.tags";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION = "topic.replication";
    public static final String TOPIC_CREATE = "topic.create";
    public static final String TOPIC_MAX_MESSAGE_BYTES = "topic.max.message.bytes";
    public static final String LOCALIZER_APPLICATION_ID = "localizer.application.id";
    public static final String FOCUS_APPLICATION_ID = "focus.application.id";
    public static final String TAGGER_APPLICATION_ID = "tagger.application.id";
    public static final String TAGGER_WINDOW_MS = "tagger.window.ms";
    public static final String TAGGER_GRACE_MS = "tagger.grace.ms";
    public static final String CONTROLLER_TARGET_P99_MS = "controller.target.p99.ms";
    public static final String CONTROLLER_ETA_MIN = "controller.eta.min";
    public static final String CONTROLLER_ETA_MAX = "controller.eta.max";
    public static final String CONTROLLER_ETA_LOWER_STEP = "controller.eta.lower.step";
    public static final String CONTROLLER_ETA_RAISE_STEP = "controller.eta.raise.step";
    public static final String CONTROLLER_HYSTERESIS = "controller.hysteresis";
    public static final String CONTROLLER_HOLD_MS = "controller.hold.ms";
    public static final String CONTROLLER_RAISE_HOLD_MS = "controller.raise.hold.ms";
    public static final String CONTROLLER_INTERVAL_MS = "controller.interval.ms";
    public static final String CONTROLLER_WINDOW_MS = "controller.window.ms";
    public static final String IMAGE_MAX_BYTES = "image.max.bytes";
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";
    public static final String IMAGE_PARTIAL = "image.partial";
    public static final String FOCUS_DEADLINE_MS = "focus.deadline.ms";
    public static final String FOCUS_VERSION_MISMATCH = "focus.version.mismatch";
    public static final String TOP_K = "top.k";
    public static final String STATE_DIR = "state.dir";
    public static final String STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String TRANSACTION_TIMEOUT_MS = "transaction.timeout.ms";
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    public static final String HTTP_PORT = "http.port";
    /** A slower device, simulated: each model call is followed by (factor - 1) x its own time of waiting (fault tests). */
    public static final String INFERENCE_SLOWDOWN = "inference.slowdown";
    /** How long a registry call is retried (with backoff) before a record is dead-lettered REGISTRY_UNAVAILABLE. */
    public static final String REGISTRY_RETRY_DEADLINE_MS = "registry.retry.deadline.ms";
    /** user:password[,user:password...] the embedded registry (lfvit dev/demo) requires with HTTP basic auth; empty: open. */
    public static final String REGISTRY_USERS = "registry.users";
    public static final String KAFKA_PREFIX = "kafka.";
    /**
     * The registry client's security settings (Confluent's names), read from the environment too although
     * they have no default: LFVIT_BASIC_AUTH_USER_INFO etc.; and every LFVIT_SCHEMA_REGISTRY_SSL_* setting.
     */
    static final java.util.List<String> REGISTRY_CLIENT_KEYS = java.util.List.of("basic.auth.credentials.source",
            "basic.auth.user.info", "bearer.auth.credentials.source", "bearer.auth.token");
    public static final String ENV_PREFIX = "LFVIT_";

    /** The defaults: they work with the embedded stack ({@code ./lfvit demo}) and a local broker. */
    public static final Map<String, String> DEFAULTS = Collections.unmodifiableMap(new TreeMap<>(Map.ofEntries(
            Map.entry(BOOTSTRAP_SERVERS, "localhost:9092"),
            Map.entry(SCHEMA_REGISTRY_URL, "http://localhost:8081"),
            Map.entry(MODEL_DIR, "models/lfvit"),
            Map.entry(MODEL_WINDOW, "0"),
            Map.entry(DEVICE, "auto"),
            Map.entry(INFERENCE_THREADS, "0"),
            Map.entry(INFERENCE_REPLICAS, "0"),
            Map.entry(DECODE_THREADS, "0"),
            Map.entry(COMPRESSION_TYPE, "none"),
            Map.entry(BATCH_OVERLAP, "true"),
            Map.entry(REHEARSAL_RECORDS, "96"),
            Map.entry(BATCH_MAX, "32"),
            Map.entry(BATCH_LINGER_MS, "20"),
            Map.entry(FOCUS_BATCH_MAX, "0"),
            Map.entry(TOPIC_IMAGES, "images"),
            Map.entry(TOPIC_CLASSIFICATIONS, "classifications"),
            Map.entry(TOPIC_FOCUS_TASKS, "focus-tasks"),
            Map.entry(TOPIC_CONTROL, "lfvit-control"),
            Map.entry(TOPIC_DLQ, "images-dlq"),
            Map.entry(TOPIC_FRAME_TAGS, "frame-tags"),
            Map.entry(TOPIC_PARTITIONS, "4"),
            Map.entry(TOPIC_REPLICATION, "1"),
            Map.entry(TOPIC_CREATE, "true"),
            Map.entry(TOPIC_MAX_MESSAGE_BYTES, String.valueOf(16 * 1024 * 1024)),
            Map.entry(LOCALIZER_APPLICATION_ID, "lfvit-localizer"),
            Map.entry(FOCUS_APPLICATION_ID, "lfvit-focus"),
            Map.entry(TAGGER_APPLICATION_ID, "lfvit-tagger"),
            Map.entry(TAGGER_WINDOW_MS, "1000"),
            Map.entry(TAGGER_GRACE_MS, "2000"),
            Map.entry(CONTROLLER_TARGET_P99_MS, "2000"),
            Map.entry(CONTROLLER_ETA_MIN, "0.3"),
            Map.entry(CONTROLLER_ETA_MAX, "0"),
            Map.entry(CONTROLLER_ETA_LOWER_STEP, "0.1"),
            Map.entry(CONTROLLER_ETA_RAISE_STEP, "0.05"),
            Map.entry(CONTROLLER_HYSTERESIS, "0.3"),
            Map.entry(CONTROLLER_HOLD_MS, "3000"),
            Map.entry(CONTROLLER_RAISE_HOLD_MS, "10000"),
            Map.entry(CONTROLLER_INTERVAL_MS, "1000"),
            Map.entry(CONTROLLER_WINDOW_MS, "5000"),
            Map.entry(IMAGE_MAX_BYTES, String.valueOf(8 * 1024 * 1024)),
            Map.entry(IMAGE_MAX_PIXELS, String.valueOf(4096 * 4096)),
            Map.entry(IMAGE_PARTIAL, "dead-letter"),
            Map.entry(FOCUS_DEADLINE_MS, "0"),
            Map.entry(FOCUS_VERSION_MISMATCH, "dead-letter"),
            Map.entry(TOP_K, "3"),
            Map.entry(STATE_DIR, System.getProperty("java.io.tmpdir") + "/lfvit-streams"),
            Map.entry(STREAM_THREADS, "1"),
            Map.entry(COMMIT_INTERVAL_MS, "100"),
            Map.entry(TRANSACTION_TIMEOUT_MS, "60000"),
            Map.entry(MAX_POLL_INTERVAL_MS, "300000"),
            Map.entry(HTTP_PORT, "8080"),
            Map.entry(INFERENCE_SLOWDOWN, "1"),
            // below transaction.timeout.ms: a stream thread waiting for the registry holds its transaction open
            Map.entry(REGISTRY_RETRY_DEADLINE_MS, "45000"),
            Map.entry(REGISTRY_USERS, ""))));

    private final Map<String, String> values;

    private AppConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        validate();
    }

    public static AppConfig defaults() {
        return new AppConfig(DEFAULTS);
    }

    /** Defaults, then the properties file (when given), then {@code env}. */
    public static AppConfig load(Path propertiesFile, Map<String, String> env) throws IOException {
        Map<String, String> merged = new TreeMap<>(DEFAULTS);
        if (propertiesFile != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                file.load(in);
            }
            file.stringPropertyNames().forEach(k -> merged.put(k, file.getProperty(k).trim()));
        }
        merged.putAll(fromEnvironment(env, merged.keySet()));
        return new AppConfig(merged);
    }

    /** Environment overrides: {@code LFVIT_X_Y} for every known key {@code x.y}, and {@code LFVIT_KAFKA_*}. */
    static Map<String, String> fromEnvironment(Map<String, String> env, Iterable<String> knownKeys) {
        Map<String, String> out = new TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(REGISTRY_CLIENT_KEYS);
        knownKeys.forEach(keys::add);
        for (String key : keys) {
            String value = env.get(envName(key));
            if (value != null) {
                out.put(key, value.trim());
            }
        }
        String registrySslEnv = ENV_PREFIX + "SCHEMA_REGISTRY_SSL_";
        env.forEach((name, value) -> {
            if (name.startsWith(registrySslEnv)) {
                out.put("schema.registry.ssl." + name.substring(registrySslEnv.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.'), value.trim());
            }
        });
        String kafkaEnv = ENV_PREFIX + "KAFKA_";
        env.forEach((name, value) -> {
            if (name.startsWith(kafkaEnv)) {
                out.put(KAFKA_PREFIX + name.substring(kafkaEnv.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        value.trim());
            }
        });
        return out;
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public AppConfig with(String key, Object value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, String.valueOf(value));
        return new AppConfig(copy);
    }

    public AppConfig withAll(Map<String, ?> overrides) {
        Map<String, String> copy = new TreeMap<>(values);
        overrides.forEach((k, v) -> copy.put(k, String.valueOf(v)));
        return new AppConfig(copy);
    }

    private void validate() {
        require(batchMax() >= 1 && batchMax() <= 4096, BATCH_MAX + " must lie in 1..4096");
        require(focusBatchMaxSetting() >= 0 && focusBatchMaxSetting() <= 4096,
                FOCUS_BATCH_MAX + " must lie in 0..4096 (0 = auto: " + CPU_FOCUS_BATCH + " on a CPU, batch.max on a GPU)");
        require(batchLingerMs() >= 0 && batchLingerMs() <= 10_000, BATCH_LINGER_MS + " must lie in 0..10000");
        require(imageMaxBytes() > 0, IMAGE_MAX_BYTES + " must be > 0");
        require(imageMaxBytes() < topicMaxMessageBytes(),
                IMAGE_MAX_BYTES + " must stay below " + TOPIC_MAX_MESSAGE_BYTES
                        + " so an oversize image still fits in its dead letter");
        require(java.util.Set.of("none", "gzip", "snappy", "lz4", "zstd").contains(compressionType()),
                COMPRESSION_TYPE + " must be none, gzip, snappy, lz4 or zstd");
        require(decodeThreads() >= 0, DECODE_THREADS + " must be >= 0 (0 = the cores)");
        require(rehearsalRecords() >= 0 && rehearsalRecords() <= 100_000, REHEARSAL_RECORDS + " must lie in 0..100000 (0 = off)");
        require(inferenceThreads() >= 0, INFERENCE_THREADS + " must be >= 0 (0 = the cores shared among the replicas)");
        require(inferenceReplicas() >= 0 && inferenceReplicas() <= 64,
                INFERENCE_REPLICAS + " must lie in 0..64 (0 = auto: 1 on a GPU, 2 on a CPU with 2 or more cores)");
        require(modelWindow() >= 0, MODEL_WINDOW + " must be >= 0 (0 = the bundle's m)");
        require(focusDeadlineMs() >= 0, FOCUS_DEADLINE_MS + " must be >= 0 (0 = no deadline)");
        require(inferenceSlowdown() >= 1 && inferenceSlowdown() <= 1000, INFERENCE_SLOWDOWN + " must lie in 1..1000");
        require(longValue(REGISTRY_RETRY_DEADLINE_MS) >= 0, REGISTRY_RETRY_DEADLINE_MS + " must be >= 0 (0 = max.retries only)");
        require(longValue(TAGGER_WINDOW_MS) > 0, TAGGER_WINDOW_MS + " must be > 0");
        require(longValue(TAGGER_GRACE_MS) >= 0, TAGGER_GRACE_MS + " must be >= 0");
        require(string(IMAGE_PARTIAL).equals("dead-letter") || string(IMAGE_PARTIAL).equals("degraded"),
                IMAGE_PARTIAL + " must be dead-letter or degraded");
        String mismatch = string(FOCUS_VERSION_MISMATCH);
        require(mismatch.equals("dead-letter") || mismatch.equals("degrade"),
                FOCUS_VERSION_MISMATCH + " must be dead-letter or degrade");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid configuration: " + message);
        }
    }

    public String string(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing configuration key " + key);
        }
        return value;
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " is not an integer: " + values.get(key));
        }
    }

    public long longValue(String key) {
        try {
            return Long.parseLong(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " is not a number: " + values.get(key));
        }
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String bootstrapServers() { return string(BOOTSTRAP_SERVERS); }
    public String schemaRegistryUrl() { return string(SCHEMA_REGISTRY_URL); }
    public Path modelDir() { return Path.of(string(MODEL_DIR)); }
    /** NGCA window side m of the localizer, 0 = the one in the bundle's config. */
    public int modelWindow() { return integer(MODEL_WINDOW); }
    public String device() { return string(DEVICE); }
    /** PyTorch intra-op threads of this process's model, 0 = PyTorch's default (all cores). */
    public int inferenceThreads() { return integer(INFERENCE_THREADS); }
    public int inferenceReplicas() { return integer(INFERENCE_REPLICAS); }
    /**
     * Compression of what the apps and {@code lfvit produce} write. Default none: every Kafka client reads it
     * (kafkajs reads LZ4, Snappy and ZSTD only with an extra codec package), and our payloads (float16
     * tokens, JPEG) hardly compress while the CPU it costs the producer and the broker's validation is the
     * pipeline's scarcest resource (measured with lfvit bench).
     */
    public String compressionType() { return string(COMPRESSION_TYPE); }
    /** Threads decoding JPEG/PNG images in the localizer, 0 = the cores. */
    public int decodeThreads() { return integer(DECODE_THREADS); }
    public int batchMax() { return integer(BATCH_MAX); }
    public long batchLingerMs() { return longValue(BATCH_LINGER_MS); }
    /** {@code focus.batch.max} as set; 0 = auto, see {@link #focusBatchMax(boolean)}. */
    public int focusBatchMaxSetting() { return integer(FOCUS_BATCH_MAX); }

    /**
     * Largest focus batch on a CPU when {@code focus.batch.max} is 0 (auto). A focus batch holds ~115 tokens
     * per image (the coarse ones and the split cells' fine ones) against the localization's 49, and its
     * activations outgrow the caches sooner: one single-threaded replica spent 8.5 ms of CPU per focused
     * image at batch 8 or 16, 9.6 at 32 and 10.5 at 64 (docs/pipeline-efficiency.md), while localization
     * costs the same from 16 to 64.
     */
    public static final int CPU_FOCUS_BATCH = 16;

    /**
     * Largest focus batch: the setting, or with 0 (auto) {@code batch.max} on a GPU (wider batches are what
     * a GPU is for) and at most {@link #CPU_FOCUS_BATCH} on a CPU.
     */
    public int focusBatchMax(boolean gpu) {
        int setting = focusBatchMaxSetting();
        return setting > 0 ? setting : gpu ? batchMax() : Math.min(batchMax(), CPU_FOCUS_BATCH);
    }
    /**
     * Batches run on a runner thread while the stream thread goes on reading and committing (true), or on
     * the stream thread (false: deterministic, for TopologyTestDriver tests).
     */
    public boolean batchOverlap() { return Boolean.parseBoolean(string(BATCH_OVERLAP)); }
    public int rehearsalRecords() { return integer(REHEARSAL_RECORDS); }
    public int imageMaxBytes() { return integer(IMAGE_MAX_BYTES); }
    public long imageMaxPixels() { return longValue(IMAGE_MAX_PIXELS); }
    /**
     * An image that decoded only in part (cut short, corrupt scan data): dead-letter (PARTIAL_IMAGE, the
     * default: nothing half-read is answered as if whole) or degraded (classified, answer flagged degraded).
     */
    public io.lfvit.app.image.PartialImages imagePartial() { return io.lfvit.app.image.PartialImages.of(string(IMAGE_PARTIAL)); }
    public int topicMaxMessageBytes() { return integer(TOPIC_MAX_MESSAGE_BYTES); }
    public long focusDeadlineMs() { return longValue(FOCUS_DEADLINE_MS); }
    public boolean degradeOnVersionMismatch() { return string(FOCUS_VERSION_MISMATCH).equals("degrade"); }
    public int topK() { return integer(TOP_K); }
    public int httpPort() { return integer(HTTP_PORT); }
    public double inferenceSlowdown() { return Double.parseDouble(string(INFERENCE_SLOWDOWN)); }

    /** Kafka client settings given with the {@code kafka.} prefix, prefix removed. */
    public Map<String, String> kafkaOverrides() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                out.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return out;
    }

    /** The settings a registry client and the Avro serdes read (they ignore what they do not know). */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (!k.startsWith(KAFKA_PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=')
                .append(k.contains("password") || k.contains("user.info") || k.contains("token") || k.contains("jaas")
                        || k.equals(REGISTRY_USERS) ? "***" : v)
                .append('\n'));
        return sb.toString();
    }
}
