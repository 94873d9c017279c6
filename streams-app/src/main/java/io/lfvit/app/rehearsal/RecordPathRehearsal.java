package io.lfvit.app.rehearsal;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.focus.FocusTopology;
import io.lfvit.app.files.Directories;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.localizer.LocalizerTopology;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.records.Answers;
import io.lfvit.app.topics.Topics;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import io.lfvit.schemas.serde.AvroSerdes;
import io.lfvit.schemas.serde.SerdeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an application's record path on made-up records before its first real one, as the model is warmed
 * up before it: the same topology (Kafka Streams' processing, the changelogged buffer store, Avro, the
 * stage, the batches, the sinks' serializers) on Kafka's {@link TopologyTestDriver}, with a schema registry
 * of its own in memory and metrics that go nowhere, then thrown away. Nothing reaches the broker or the
 * real registry.
 *
 * <p>Why: the JVM compiles a method only once it has run often, so an app restarted on a backlog used to
 * interpret and compile its record path while it answered the backlog. Measured on the bench's eta-0.46 row
 * (docs/pipeline-efficiency.md, eleventh session), the two apps' compiler threads took 4-5% of the two cores
 * after the first record, and their stream threads ran interpreted code meanwhile. What the rehearsal cannot
 * reach is the Kafka clients' network path (it needs a broker): that part still compiles on the first
 * records.
 *
 * <p>A rehearsal that fails is logged and skipped: it only warms code, so serving never depends on it.
 */
public final class RecordPathRehearsal {
    private static final Logger LOG = LoggerFactory.getLogger(RecordPathRehearsal.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a rehearsal did: records sent in, outputs that came out (in all, and by topic), its wall time. */
    public record Outcome(int records, int outputs, Map<String, Integer> outputsByTopic, long millis) {}

    private RecordPathRehearsal() {}

    /** The localizer's record path on {@code rehearsal.records} synthetic images; null when off or failed. */
    public static Outcome localizer(AppConfig config, InferenceExecutor model) {
        return rehearse("localizer", config, model, (cfg, own, metrics) -> {
            Topology topology = LocalizerTopology.build(cfg, own, model, metrics);
            List<SyntheticInputs.Route> routes = SyntheticInputs.routes();
            List<Map.Entry<String, Object>> records = new ArrayList<>();
            for (ImageEvent e : SyntheticInputs.images(model.config(), config.rehearsalRecords(), routes)) {
                records.add(Map.entry(e.getSourceId(), e));
            }
            return new Plan(topology, records, own.images().name(), own.images().valueSerde().serializer(), routes,
                    List.of(own.classifications().name(), own.focusTasks().name(), own.deadLetters().name()));
        });
    }

    /**
     * The focus worker's record path on focus tasks made by localizing synthetic images with this model
     * (eta 1: none exits); null when the model has no focus stage, or when off or failed.
     */
    public static Outcome focusWorker(AppConfig config, InferenceExecutor model) {
        if (!model.isTwoStage()) {
            return null;
        }
        return rehearse("focus-worker", config, model, (cfg, own, metrics) -> {
            Topology topology = FocusTopology.build(cfg, own, model, metrics);
            List<Map.Entry<String, Object>> records = new ArrayList<>();
            for (FocusTask t : focusTasks(cfg, model, config.rehearsalRecords())) {
                records.add(Map.entry(t.getSourceId(), t));
            }
            return new Plan(topology, records, own.focusTasks().name(),
                    own.focusTasks().valueSerde().serializer(), List.of(),
                    List.of(own.classifications().name(), own.deadLetters().name()));
        });
    }

    /** The records a rehearsal sends, the topic they go to, and the topics whose records count as its outputs. */
    private record Plan(Topology topology, List<Map.Entry<String, Object>> records, String inputTopic,
            org.apache.kafka.common.serialization.Serializer<?> valueSerializer, List<SyntheticInputs.Route> routes,
            List<String> outputTopics) {}

    private interface Planner {
        Plan plan(AppConfig config, Topics topics, Metrics metrics) throws Exception;
    }

    private static Outcome rehearse(String app, AppConfig config, InferenceExecutor model, Planner planner) {
        int n = config.rehearsalRecords();
        if (n <= 0) {
            return null;
        }
        long t0 = System.nanoTime();
        Metrics scratch = Metrics.inMemory();
        model.recordTimes(scratch); // the app points it at its own metrics after this
        Path state = null;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().build()) {
            registry.start(0);
            state = Files.createTempDirectory(Files.createDirectories(Path.of(config.string(AppConfig.STATE_DIR))),
                    "rehearsal-");
            AppConfig own = config.with(AppConfig.STATE_DIR, state.toString());
            try (AvroSerdes serdes = new AvroSerdes(registry.client(), rehearsalSerdeConfig(config))) {
                Topics topics = new Topics(own, serdes);
                Plan plan = planner.plan(own, topics, scratch);
                Map<String, Integer> byTopic = run(plan, topics, StreamsProps.forApp(own, app + "-rehearsal"));
                int outputs = byTopic.values().stream().mapToInt(Integer::intValue).sum();
                Outcome outcome = new Outcome(plan.records().size(), outputs, byTopic, (System.nanoTime() - t0) / 1_000_000);
                LOG.info("{}: record path rehearsed on {} made-up records (outputs {}) in {} ms", app, outcome.records(),
                        byTopic, outcome.millis());
                return outcome;
            }
        } catch (Exception | LinkageError e) {
            LOG.warn("{}: record path rehearsal skipped ({}); the first records will compile it", app, e.toString());
            return null;
        } finally {
            if (state != null && !Directories.deleteRecursively(state)) {
                LOG.warn("{}: cannot delete the rehearsal's state in {}", app, state);
            }
        }
    }

    /** Registers what it writes in its own registry, whatever the app's setting: nothing is registered for it. */
    private static Map<String, Object> rehearsalSerdeConfig(AppConfig config) {
        Map<String, Object> out = new TreeMap<>(config.serdeConfig());
        out.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        out.put(SerdeConfig.USE_LATEST_VERSION, false);
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Integer> run(Plan plan, Topics topics, java.util.Properties props) throws InterruptedException {
        try (TopologyTestDriver driver = new TopologyTestDriver(plan.topology(), props)) {
            TestInputTopic<String, Object> control = driver.createInputTopic(topics.control().name(), new StringSerializer(),
                    (org.apache.kafka.common.serialization.Serializer) topics.control().valueSerde().serializer());
            for (SyntheticInputs.Route route : plan.routes()) {
                control.pipeInput(route.controlKey(), route.update());
            }
            TestInputTopic<String, Object> input = driver.createInputTopic(plan.inputTopic(), new StringSerializer(),
                    (org.apache.kafka.common.serialization.Serializer) plan.valueSerializer());
            Map<String, TestOutputTopic<byte[], byte[]>> outputs = new TreeMap<>();
            for (String topic : plan.outputTopics()) {
                outputs.put(topic, driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
            Map<String, Integer> byTopic = new TreeMap<>();
            for (Map.Entry<String, Object> record : plan.records()) {
                input.pipeInput(record.getKey(), record.getValue());
            }
            // batches that have not filled wait for their linger (wall-clock punctuations); those in flight on a
            // runner are answered at a later punctuation
            int answered = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (answered < plan.records().size() && System.nanoTime() < deadline) {
                driver.advanceWallClockTime(Duration.ofMillis(5));
                for (Map.Entry<String, TestOutputTopic<byte[], byte[]>> out : outputs.entrySet()) {
                    int n = out.getValue().readRecordsToList().size();
                    answered += n;
                    byTopic.merge(out.getKey(), n, Integer::sum);
                }
                if (answered < plan.records().size()) {
                    Thread.sleep(1);
                }
            }
            if (answered < plan.records().size()) {
                throw new IllegalStateException("only " + answered + " of " + plan.records().size() + " answered in "
                        + TIMEOUT.toSeconds() + " s");
            }
            return byTopic;
        }
    }

    /** Focus tasks as the localizer would send them: synthetic images localized by {@code model} at eta 1. */
    private static List<FocusTask> focusTasks(AppConfig config, InferenceExecutor model, int n) {
        List<ImageEvent> events = SyntheticInputs.rawImages(model.config(), n, List.of("rehearsal"));
        SyntheticInputs.Pixels decode = new SyntheticInputs.Pixels(config, model.config());
        int batch = Math.max(1, config.batchMax());
        List<FocusTask> tasks = new ArrayList<>(n);
        for (int from = 0; from < n; from += batch) {
            List<ImageEvent> part = events.subList(from, Math.min(n, from + batch));
            List<byte[]> pixels = new ArrayList<>(part.size());
            part.forEach(e -> pixels.add(decode.of(e)));
            double[] etas = new double[part.size()];
            java.util.Arrays.fill(etas, 1.0);
            List<LocalizationResult> results = model.localize(pixels, etas);
            long now = System.currentTimeMillis();
            for (int i = 0; i < part.size(); i++) {
                LocalizationResult r = results.get(i);
                if (r.payload() != null) {
                    tasks.add(Answers.focusTask(part.get(i), r, 1.0, model.config(), config.topK(), 1.0,
                            config.focusDeadlineMs(), now));
                }
            }
        }
        return tasks;
    }
}
