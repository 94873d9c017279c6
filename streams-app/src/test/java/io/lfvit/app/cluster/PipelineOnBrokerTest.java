package io.lfvit.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.apps.Apps;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.support.AnswerLog;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.RunningApps;
import io.lfvit.app.support.TestCluster;
import io.lfvit.app.support.TestModels;
import io.lfvit.app.topics.Topics;
import io.lfvit.model.ModelConfig;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import io.lfvit.schemas.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two applications on a real broker (one per class, Kafka's test kit) with a real (tiny,
 * untrained) LF-ViT bundle and the schema registry over HTTP: every event answered exactly once
 * with two localizers and two focus workers; eta changed at runtime.
 */
class PipelineOnBrokerTest {
    @TempDir
    static Path shared;

    private static TestCluster cluster;
    private static Path modelDir;
    private static ModelConfig modelConfig;
    private static InferenceExecutor model;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster();
        modelDir = shared.resolve("model");
        modelConfig = TestModels.tinyBundle(modelDir);
        model = InferenceExecutor.load(modelDir, "cpu");
    }

    @AfterAll
    static void stop() throws Exception {
        model.close();
        cluster.close();
    }

    @Test
    void twoLocalizersAndTwoFocusWorkersAnswerEveryEventExactlyOnce(@TempDir Path tmp) throws Exception {
        AppConfig config = cluster.config("multi", tmp, modelDir);
        List<StreamsService> apps = new ArrayList<>();
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig())) {
            Topics topics = new Topics(config, serdes);
            ControlClient control = new ControlClient(config, topics.control());
            control.set(0.0, "cam-exit", null, "test");   // everything exits
            control.set(1.0, "cam-focus", null, "test");  // nothing exits
            for (int i = 0; i < 2; i++) {
                apps.add(Apps.localizer(config.with(AppConfig.STATE_DIR, tmp.resolve("l" + i)), topics, model, Metrics.inMemory()));
                apps.add(Apps.focusWorker(config.with(AppConfig.STATE_DIR, tmp.resolve("f" + i)), topics, model, Metrics.inMemory()));
            }
            apps.parallelStream().forEach(a -> a.start(Apps.START_TIMEOUT));
            try (AnswerLog answers = new AnswerLog(config, topics); ImageProducer producer = new ImageProducer(config, topics.images())) {
                List<ImageEvent> events = new ArrayList<>();
                for (String source : List.of("cam-exit", "cam-focus", "cam-a", "cam-b", "cam-c", "cam-d")) {
                    events.addAll(Events.randomImages(source, 40, source.hashCode()));
                }
                Events.send(producer, events);
                AnswerLog.await(() -> answers.total() >= events.size(), Duration.ofSeconds(90), "every event answered");
                Thread.sleep(500); // a duplicate would be committed with or right after the last answer

                Set<UUID> produced = events.stream().map(ImageEvent::getEventId).collect(Collectors.toSet());
                assertEquals(produced, answers.perEvent.keySet(), "every event id answered");
                assertTrue(answers.perEvent.values().stream().allMatch(n -> n == 1), "no event answered twice");
                assertEquals(events.size(), answers.classifications.size());
                assertEquals(List.of(), answers.deadLetters);
                for (Classification c : answers.classifications) {
                    assertEquals(modelConfig.version(), c.getModelVersion());
                    if (c.getSourceId().equals("cam-exit")) {
                        assertEquals(Stage.LOCALIZATION, c.getStage());
                    } else {
                        assertEquals(Stage.FOCUS, c.getStage(), "untrained confidence ~0.1 < eta; cam-focus eta 1");
                        assertTrue(c.getRegion() != null && c.getTimings().getFocusMs() != null);
                    }
                    assertFalse(c.getDegraded());
                }
                // frames of one source are answered in frame order by each stage
                for (String source : List.of("cam-exit", "cam-focus")) {
                    List<Long> seqs = answers.classifications.stream().filter(c -> c.getSourceId().equals(source))
                            .map(Classification::getFrameSeq).toList();
                    assertEquals(seqs.stream().sorted().toList(), seqs, source + " in order");
                }
                Set<String> localizerTasks = new HashSet<>();
                for (int i = 0; i < 4; i += 2) {
                    Set<String> tasks = apps.get(i).activeTasks();
                    assertFalse(tasks.isEmpty(), "localizer " + i / 2 + " has partitions");
                    tasks.forEach(t -> assertTrue(localizerTasks.add(t), "task " + t + " owned twice"));
                    assertFalse(apps.get(i + 1).activeTasks().isEmpty(), "focus worker " + i / 2 + " has partitions");
                }
                assertEquals(4, localizerTasks.size(), "4 partitions shared by the 2 localizers");
            }
        } finally {
            apps.parallelStream().forEach(StreamsService::close);
        }
    }

    @Test
    void etaChangedAtRuntimeAppliesWithinOneSecondWithoutRestartOrRebalance(@TempDir Path tmp) throws Exception {
        AppConfig config = cluster.config("eta", tmp, modelDir);
        try (RunningApps apps = new RunningApps(config, tmp, model).start()) {
            Topics topics = apps.topics;
            StreamsService localizer = apps.localizer;
            int rebalances = localizer.rebalances();
            try (AnswerLog answers = new AnswerLog(config, topics); ImageProducer producer = new ImageProducer(config, topics.images())) {
                List<ImageEvent> before = Events.randomImages("cam-1", 20, 1);
                Events.send(producer, before);
                AnswerLog.await(() -> answers.total() >= 20, Duration.ofSeconds(60), "first 20");
                assertTrue(answers.classifications.stream().allMatch(c -> c.getStage() == Stage.FOCUS && c.getEta() == modelConfig.eta()),
                        "the model's eta " + modelConfig.eta() + " sends the untrained model's answers to focus");

                new ControlClient(config, topics.control()).set(0.05, null, null, "test");
                Thread.sleep(1000);
                List<ImageEvent> after = Events.randomImages("cam-1", 20, 2);
                Events.send(producer, after);
                AnswerLog.await(() -> answers.total() >= 40, Duration.ofSeconds(60), "next 20");
                Set<UUID> afterIds = after.stream().map(ImageEvent::getEventId).collect(Collectors.toSet());
                List<Classification> late = answers.classifications.stream().filter(c -> afterIds.contains(c.getEventId())).toList();
                assertEquals(20, late.size());
                assertTrue(late.stream().allMatch(c -> c.getStage() == Stage.LOCALIZATION && c.getEta() == 0.05),
                        "1 s after the update every image exits at eta 0.05");
            }
            assertEquals(rebalances, localizer.rebalances(), "no rebalance");
            assertEquals(org.apache.kafka.streams.KafkaStreams.State.RUNNING, localizer.state());
            // Each application keeps its persistent batch buffer (RocksDB) in the state directory it was given,
            // under its application id, not in the shared default ($TMPDIR/lfvit-streams) where runs would mix.
            assertFalse(rocksDbStores(tmp.resolve("l").resolve("eta-localizer")).isEmpty(), "localizer buffer under " + tmp);
            assertFalse(rocksDbStores(tmp.resolve("f").resolve("eta-focus")).isEmpty(), "focus buffer under " + tmp);
            Path defaultStateDir = Path.of(AppConfig.defaults().string(AppConfig.STATE_DIR));
            assertFalse(Files.exists(defaultStateDir.resolve("eta-localizer")), "nothing in " + defaultStateDir);
            assertFalse(Files.exists(defaultStateDir.resolve("eta-focus")), "nothing in " + defaultStateDir);
        }
    }

    /** The RocksDB store directories ({@code <task>/rocksdb/<store>}) under an application's state directory. */
    private static List<Path> rocksDbStores(Path appStateDir) throws java.io.IOException {
        if (!Files.isDirectory(appStateDir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(appStateDir, 3)) {
            return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("rocksdb")
                    && Files.isDirectory(p)).toList();
        }
    }
}
