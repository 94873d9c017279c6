package io.lfvit.app.stack;

import io.lfvit.app.apps.Apps;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.demo.UntrainedBundle;
import io.lfvit.app.files.Directories;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.EmbeddedKafka;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.metrics.HttpEndpoints;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.tagger.TaggerApp;
import io.lfvit.app.tagger.TaggerMetrics;
import io.lfvit.app.topics.Topics;
import io.lfvit.app.view.LiveView;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.FrameTags;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import io.lfvit.schemas.serde.AvroSerdes;
import io.lfvit.schemas.serde.RegistryForm;
import io.lfvit.schemas.serde.TopicNameStrategy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process, as {@code lfvit demo} and {@code lfvit dev} run it: a single-node
 * KRaft broker, the embedded schema registry (stored in that broker's {@code _schemas} topic), the
 * product's topics with their value schemas registered, a localizer and a focus worker (two Kafka
 * Streams applications sharing the model replicas), the frame tagger (a third, without a model),
 * and metrics and health over HTTP.
 *
 * <p>Its data (broker logs, Kafka Streams state, an untrained bundle) lives under one directory: a
 * temporary one deleted on {@link #close()}, or {@link Options#dataDir()}, kept and reused by the next
 * start (the broker keeps its cluster id, topics, offsets and registered schemas).
 *
 * <p>{@link #close()} stops in dependency order: the applications (they read and write the broker and
 * the registry), the HTTP endpoints, the model, the registry (its store is a topic of the broker),
 * the broker, then the temporary directory. It is idempotent; a shutdown hook calls it when the JVM
 * exits with the stack still open (Ctrl-C in the demo, a hang-up), so no temporary data is left behind.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /**
     * What to start.
     *
     * @param brokerPort   Kafka listener port; 0 picks a free one
     * @param registryPort schema registry HTTP port; 0 picks a free one
     * @param httpPort     metrics and health port; 0 picks a free one, negative serves none
     * @param dataDir      kept data directory; null for a temporary one, deleted on close
     * @param model        model bundle directory (ignored with {@code untrained})
     * @param untrained    use a tiny untrained LF-ViT, made in the data directory (and reused there)
     * @param eta          eta published on the control topic at start; null keeps the model's (or the stored one)
     * @param base         every other setting (partitions, batching, device, ...); the stack sets the addresses,
     *                     the model and the state directory
     * @param apps         start the localizer and the focus worker; false: the broker and the registry only,
     *                     for applications run as their own processes ({@code lfvit dev --no-apps}, {@code lfvit bench})
     */
    public record Options(int brokerPort, int registryPort, int httpPort, Path dataDir, Path model, boolean untrained,
            Double eta, AppConfig base, boolean apps) {}

    /** The value schema of every topic, by the topic's configuration key, in the order a reader meets them. */
    public static final Map<String, Schema> VALUE_SCHEMAS = valueSchemas();

    private final Options options;
    private Path root;
    private boolean temporary;
    private Path modelDir;
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private String registryUrl;
    private AppConfig config;
    private AvroSerdes serdes;
    private Topics topics;
    private final Map<String, Integer> schemaIds = new LinkedHashMap<>();
    private InferenceExecutor model;
    private PrometheusMeterRegistry prometheus;
    private Metrics metrics;
    private StreamsService localizer;
    private StreamsService focus;
    private StreamsService tagger;
    private TaggerMetrics taggerMetrics;
    private HttpEndpoints http;
    private LiveView view;
    private Thread hook;
    private boolean closed;

    private LocalStack(Options options) {
        this.options = options;
    }

    /** Starts everything; returns once both applications are RUNNING. A failed start closes what it had started. */
    public static LocalStack start(Options options) throws Exception {
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            stack.hook = new Thread(stack::close, "lfvit-stack-shutdown");
            Runtime.getRuntime().addShutdownHook(stack.hook);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Null when {@code bundle} holds a model bundle, else what to do about it (for {@code command}). */
    public static String missingModel(String command, Path bundle) {
        if (Files.exists(bundle.resolve(ModelBundle.CONFIG))) {
            return null;
        }
        String train = Files.exists(bundle.resolve("checkpoint"))
                ? "It holds a training checkpoint only: finish the training with './lfvit train --family lfvit --out " + bundle + "'"
                : "Train the shipped model with './lfvit train --family lfvit --out " + bundle + "'";
        return "lfvit " + command + ": no model bundle at " + bundle + " (no " + ModelBundle.CONFIG + "). " + train
                + ", pass --model DIR, or try the pipeline with --untrained (a tiny untrained LF-ViT: chance-level answers).";
    }

    private void startAll() throws Exception {
        temporary = options.dataDir() == null;
        root = temporary ? Files.createTempDirectory("lfvit-stack-") : Files.createDirectories(options.dataDir());
        modelDir = !options.apps() ? options.model()
                : options.untrained() ? untrainedBundle(root.resolve("untrained-model")) : options.model();

        AppConfig base = options.base();
        int maxMessage = base.topicMaxMessageBytes() + 2 * StreamsProps.DEAD_LETTER_HEADROOM;
        kafka = EmbeddedKafka.start(root.resolve("kafka"), options.brokerPort(), maxMessage);
        registry = EmbeddedSchemaRegistry.builder().kafkaStore(kafka.bootstrapServers())
                .basicAuth(base.string(AppConfig.REGISTRY_USERS)).build(); // none by default: open, on 127.0.0.1
        registryUrl = registry.start(options.registryPort());
        config = base.withAll(Map.of(
                AppConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                AppConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AppConfig.MODEL_DIR, modelDir.toString(),
                AppConfig.STATE_DIR, Files.createDirectories(root.resolve("streams")).toString()));
        TopicSetup.ensure(config);
        serdes = new AvroSerdes(config.serdeConfig());
        topics = new Topics(config, serdes);
        registerSchemas();
        if (options.eta() != null) {
            control().set(options.eta(), null, null, "lfvit local stack");
        }
        if (!options.apps()) {
            return;
        }

        model = InferenceExecutor.load(config);
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new Metrics(prometheus);
        localizer = Apps.localizer(config, topics, model, metrics);
        focus = Apps.focusWorker(config, topics, model, metrics);
        taggerMetrics = new TaggerMetrics(prometheus);
        tagger = TaggerApp.create(config, topics, taggerMetrics);
        localizer.start(Apps.START_TIMEOUT);
        focus.start(Apps.START_TIMEOUT);
        tagger.start(Apps.START_TIMEOUT);
        if (options.httpPort() >= 0) {
            http = HttpEndpoints.start(options.httpPort(), prometheus, () -> new HttpEndpoints.Health(
                    localizer.healthy() && focus.healthy() && tagger.healthy(), "localizer " + localizer.state()
                            + ", focus-worker " + focus.state() + ", tagger " + tagger.state()));
            view = LiveView.start(config, topics, http);
        }
    }

    /** Every topic's value schema under its TopicNameStrategy subject, so clients can look them up before writing. */
    private void registerSchemas() {
        TopicNameStrategy subjects = new TopicNameStrategy();
        VALUE_SCHEMAS.forEach((topicKey, schema) -> {
            String subject = subjects.subjectName(config.string(topicKey), false, schema);
            schemaIds.put(subject, registry.client().register(subject, RegistryForm.of(schema)));
        });
    }

    private static Path untrainedBundle(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(ModelBundle.CONFIG))) {
            UntrainedBundle.create(dir, ModelFamily.LFVIT, "untrained");
        }
        return dir;
    }

    private static Map<String, Schema> valueSchemas() {
        Map<String, Schema> m = new LinkedHashMap<>();
        m.put(AppConfig.TOPIC_IMAGES, ImageEvent.getClassSchema());
        m.put(AppConfig.TOPIC_CLASSIFICATIONS, Classification.getClassSchema());
        m.put(AppConfig.TOPIC_FOCUS_TASKS, FocusTask.getClassSchema());
        m.put(AppConfig.TOPIC_CONTROL, ControlUpdate.getClassSchema());
        m.put(AppConfig.TOPIC_DLQ, DeadLetter.getClassSchema());
        m.put(AppConfig.TOPIC_FRAME_TAGS, FrameTags.getClassSchema());
        return Collections.unmodifiableMap(m);
    }

    public String bootstrapServers() { return kafka.bootstrapServers(); }
    public String registryUrl() { return registryUrl; }
    /** The configuration the applications run with (addresses, model, state directory filled in). */
    public AppConfig config() { return config; }
    public Topics topics() { return topics; }
    public Metrics metrics() { return metrics; }
    /** The tagger's meters (late frames, windows); null without the applications. */
    public TaggerMetrics taggerMetrics() { return taggerMetrics; }
    /** The metrics registry of the stack's applications; null without them. */
    public PrometheusMeterRegistry prometheus() { return prometheus; }
    /** The inference thread; null without the applications. */
    public InferenceExecutor model() { return model; }
    /** Whether the localizer and the focus worker run in this stack. */
    public boolean hasApps() { return options.apps(); }
    public Path modelDir() { return modelDir; }
    /** The directory holding all the stack's data. */
    public Path dataDir() { return root; }
    /** True when {@link #dataDir()} is deleted on close. */
    public boolean temporary() { return temporary; }
    /** Subjects registered at start, with their schema ids. */
    public Map<String, Integer> schemaIds() { return Map.copyOf(schemaIds); }
    /** The metrics and health port; -1 when not served. */
    public int httpPort() { return http == null ? -1 : http.port(); }

    public ControlClient control() {
        return new ControlClient(config, topics.control());
    }

    /** Stops everything (see the class comment for the order); safe to call more than once, and from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs (or ran) close() too; it returns at once
            }
        }
        // one instance of each app: leave the groups, so a restart on a kept data dir runs at once
        quietly("localizer", localizer == null ? null : localizer::closeAndLeaveGroup);
        quietly("focus worker", focus == null ? null : focus::closeAndLeaveGroup);
        quietly("tagger", tagger == null ? null : tagger::closeAndLeaveGroup);
        quietly("live view", view);
        quietly("metrics endpoints", http);
        quietly("model", model);
        quietly("serdes", serdes);
        quietly("schema registry", registry);
        quietly("broker", kafka);
        if (temporary && root != null) {
            deleteRecursively(root);
        }
    }

    private static void quietly(String what, AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing the {} failed: {}", what, e.toString());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Directories.deleteRecursively(dir)) {
            LOG.warn("cannot delete {} completely", dir);
        }
    }
}
