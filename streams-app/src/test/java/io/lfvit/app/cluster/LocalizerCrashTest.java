package io.lfvit.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.batch.InputRecord;
import io.lfvit.app.batch.InputRecordSerde;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.localizer.LocalizerTopology;
import io.lfvit.app.produce.Frame;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.support.ChildJvm;
import io.lfvit.app.support.CommittedReader;
import io.lfvit.app.support.TestCluster;
import io.lfvit.app.support.TestModels;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exactly-once of the localizer across a crash, on a real broker: the localizer runs as a child JVM
 * ({@code lfvit localizer --config FILE}) with a large batch and a long linger, so that records wait in
 * the changelogged buffer store; it is killed with SIGKILL mid-stream while the buffer store holds
 * committed records, and a new process with the same application id takes over, with its state
 * directory kept or wiped. Half the sources exit at eta 0 (classifications), the others go to focus-tasks
 * (no focus worker runs here). Every event id then appears exactly once across classifications,
 * focus-tasks and the dead-letter topic (read_committed), and at the kill the committed state was
 * consistent: per input partition, committed input offset = committed answers + committed buffer
 * entries.
 */
class LocalizerCrashTest {
    static final int EVENTS = 480;
    static final double EVENTS_PER_SECOND = 60;
    static final int SOURCES = 8;
    static final int PARTITIONS = 4;
    static final int BATCH_MAX = 64;
    static final long LINGER_MS = 2000;

    @TempDir
    static Path shared;

    private static TestCluster cluster;
    private static Path modelDir;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster();
        modelDir = shared.resolve("model");
        TestModels.tinyBundle(modelDir);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    enum Restart { SAME_STATE_DIR, WIPED_STATE_DIR }

    @ParameterizedTest(name = "restart with {0}")
    @EnumSource(Restart.class)
    void localizerKilledMidStreamAndRestartedAnswersEveryEventExactlyOnce(Restart restart, @TempDir Path tmp)
            throws Throwable {
        // Step 1: topics, and a configuration that keeps records in the buffer store for a while
        Path stateDir = tmp.resolve("state");
        AppConfig config = cluster.config("crash-" + restart.ordinal(), stateDir, modelDir).withAll(Map.of(
                AppConfig.BATCH_MAX, BATCH_MAX,
                AppConfig.BATCH_LINGER_MS, LINGER_MS,
                AppConfig.COMMIT_INTERVAL_MS, 100,
                AppConfig.TRANSACTION_TIMEOUT_MS, 5000,
                // a killed member leaves the group after 6 s (the broker's minimum), not the default 45 s
                "kafka.consumer.session.timeout.ms", 6000,
                "kafka.consumer.heartbeat.interval.ms", 1000));
        Path props = tmp.resolve("localizer.properties");
        writeProperties(config, props);
        String appId = config.string(AppConfig.LOCALIZER_APPLICATION_ID);
        String changelog = appId + "-" + LocalizerTopology.BUFFER_STORE + "-changelog";
        String imagesTopic = config.string(AppConfig.TOPIC_IMAGES);

        List<ChildJvm> children = new ArrayList<>();
        ExecutorService background = Executors.newSingleThreadExecutor();
        long started = System.nanoTime();
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig());
                Admin admin = Admin.create(StreamsProps.client(config))) {
            Topics topics = new Topics(config, serdes);
            ControlClient control = new ControlClient(config, topics.control());
            for (int i = 0; i < SOURCES / 2; i++) {
                control.set(0.0, "cam-" + i, null, "test"); // these exit (classifications), the rest go to focus-tasks
            }

            // Step 2: the first localizer process, then events at a steady rate in the background
            ChildJvm first = localizer("localizer-1", tmp, props);
            children.add(first);
            first.awaitLog("lfvit localizer: RUNNING", Duration.ofSeconds(90));
            Set<UUID> produced = ConcurrentHashMap.newKeySet();
            try (ImageProducer producer = new ImageProducer(config, topics.images());
                    CommittedReader outputs = new CommittedReader(config.bootstrapServers(), List.of(
                            topics.classifications().name(), topics.focusTasks().name(), topics.deadLetters().name()));
                    CommittedReader buffer = new CommittedReader(config.bootstrapServers(), List.of(changelog))) {
                Ledger ledger = new Ledger(outputs, buffer);
                CompletableFuture<Long> sending = CompletableFuture.supplyAsync(() -> producer.sendAll(frames(EVENTS),
                        i -> "cam-" + i % SOURCES, EVENTS_PER_SECOND, e -> produced.add(e.getEventId()), null), background);

                // Step 3: SIGKILL once a fifth is answered, while the buffer store holds committed records whose
                // linger has at least half its time to run (so no flush can empty the buffer before the kill lands)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ledger.answers.size() < EVENTS / 5 || ledger.oldestBufferedAgeMs() > LINGER_MS / 2) {
                    assertTrue(ledger.answers.size() < EVENTS * 3 / 5, "no moment to kill with fresh records in the buffer");
                    assertTrue(System.nanoTime() < deadline, "first localizer answered " + ledger.answers.size() + " in 60 s");
                    Thread.sleep(10);
                    ledger.catchUp();
                }
                first.kill();
                long killedAt = System.nanoTime();
                KillPoint kill = stableKillPoint(ledger, admin, appId, imagesTopic);
                Set<UUID> answeredBeforeKill = Ledger.eventIds(topics, ledger.answers).keySet();
                Set<UUID> bufferedAtKill = ledger.bufferedEventIds(topics);
                assertTrue(kill.answered() > 0 && kill.answered() < EVENTS, "killed mid-stream: " + kill);
                assertTrue(kill.buffered() > 0, "the buffer store held committed records at the kill: " + kill);
                for (int p = 0; p < PARTITIONS; p++) {
                    assertEquals(kill.offsets().get(p), (long) kill.answersPerPartition().get(p) + kill.bufferedPerPartition().get(p),
                            "partition " + p + ": committed input offset = committed answers + committed buffer entries: " + kill);
                }
                assertEquals(kill.answered(), answeredBeforeKill.size(), "no duplicate before the kill");

                // Step 4: a new process with the same application id (and state directory, unless wiped)
                if (restart == Restart.WIPED_STATE_DIR) {
                    deleteRecursively(stateDir);
                }
                ChildJvm second = localizer("localizer-2", tmp, props);
                children.add(second);
                second.awaitLog("lfvit localizer: RUNNING", Duration.ofSeconds(90));
                double restartSeconds = (System.nanoTime() - killedAt) / 1e9;
                assertEquals(EVENTS, sending.get(60, TimeUnit.SECONDS));
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ledger.answers.size() < EVENTS || !ledger.buffered.isEmpty()
                        || sum(committedOffsets(admin, appId, imagesTopic)) < EVENTS) {
                    assertTrue(System.nanoTime() < deadline, "after the restart: " + ledger.answers.size() + " answered, "
                            + ledger.buffered.size() + " buffered");
                    Thread.sleep(50);
                    ledger.catchUp();
                }
                second.stop();
                ledger.catchUp();

                // Step 5: every event id exactly once across classifications + focus-tasks + dead letters
                Map<UUID, Integer> perEvent = Ledger.eventIds(topics, ledger.answers);
                Set<UUID> missing = new HashSet<>(produced);
                missing.removeAll(perEvent.keySet());
                Set<UUID> unknown = new HashSet<>(perEvent.keySet());
                unknown.removeAll(produced);
                Map<UUID, Integer> duplicates = new HashMap<>(perEvent);
                duplicates.values().removeIf(n -> n == 1);
                Set<UUID> restoredButAnsweredBeforeKill = new HashSet<>(bufferedAtKill);
                restoredButAnsweredBeforeKill.retainAll(answeredBeforeKill);
                Map<String, Integer> perTopic = new TreeMap<>();
                ledger.answers.forEach(r -> perTopic.merge(r.topic(), 1, Integer::sum));
                System.out.printf("LocalizerCrashTest[%s]: %d events; at the SIGKILL %d answered, %d consumed, %d in the "
                                + "buffer store (committed); after the restart %d answered (the %d restored ones among them); "
                                + "%d missing, %d duplicated; answers by topic %s; SIGKILL to RUNNING again %.1f s; %.1f s%n",
                        restart, EVENTS, kill.answered(), sum(kill.offsets()), kill.buffered(),
                        ledger.answers.size() - kill.answered(), bufferedAtKill.size(), missing.size(), duplicates.size(),
                        perTopic, restartSeconds, (System.nanoTime() - started) / 1e9);
                assertEquals(EVENTS, produced.size());
                assertEquals(Set.of(), missing, "no event lost");
                assertEquals(Map.of(), duplicates, "no event answered twice");
                assertEquals(Set.of(), unknown, "no answer for an event that was not produced");
                assertEquals(EVENTS, ledger.answers.size(), "one answer record per event");
                assertEquals(kill.buffered(), bufferedAtKill.size());
                assertEquals(Set.of(), restoredButAnsweredBeforeKill, "what the buffer held at the kill was answered after it");
                assertEquals(null, perTopic.get(topics.deadLetters().name()), "valid images, no dead letter");
                assertEquals(EVENTS / 2, perTopic.get(topics.classifications().name()), "half the sources exit at eta 0");
            }
        } catch (Throwable t) {
            children.forEach(c -> System.err.println(c.tail(80)));
            throw t;
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
            background.shutdownNow();
        }
    }

    /**
     * What the read_committed readers have seen, undecoded (the kill must not wait for Avro): answer
     * records in arrival order, and the buffer store's live entries by changelog key "partition:offset".
     */
    static final class Ledger {
        final CommittedReader outputs;
        final CommittedReader changelog;
        final List<ConsumerRecord<byte[], byte[]>> answers = new ArrayList<>();
        final int[] answersPerPartition = new int[PARTITIONS];
        final Map<String, InputRecord> buffered = new HashMap<>();

        Ledger(CommittedReader outputs, CommittedReader changelog) {
            this.outputs = outputs;
            this.changelog = changelog;
        }

        void catchUp() {
            Duration timeout = Duration.ofSeconds(30);
            for (ConsumerRecord<byte[], byte[]> r : outputs.catchUp(timeout)) {
                answers.add(r);
                answersPerPartition[r.partition()]++;
            }
            for (ConsumerRecord<byte[], byte[]> r : changelog.catchUp(timeout)) {
                String key = r.partition() + ":" + ByteBuffer.wrap(r.key()).getLong();
                if (r.value() == null) {
                    buffered.remove(key);
                } else {
                    buffered.put(key, new InputRecordSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }

        /** How long the oldest buffered record has waited (the child's clock is this machine's); MAX when empty. */
        long oldestBufferedAgeMs() {
            return buffered.values().stream().mapToLong(r -> System.currentTimeMillis() - r.enqueuedAtMs()).max()
                    .orElse(Long.MAX_VALUE);
        }

        List<Integer> bufferedPerPartition() {
            int[] n = new int[PARTITIONS];
            buffered.keySet().forEach(k -> n[Integer.parseInt(k.substring(0, k.indexOf(':')))]++);
            return IntStream.of(n).boxed().toList();
        }

        Set<UUID> bufferedEventIds(Topics topics) {
            Set<UUID> out = new HashSet<>();
            buffered.values().forEach(in ->
                    out.add(topics.images().valueSerde().deserializer().deserialize(in.topic(), in.value()).getEventId()));
            return out;
        }

        /** Answers per event id, decoded from classifications, focus tasks and dead letters. */
        static Map<UUID, Integer> eventIds(Topics topics, List<ConsumerRecord<byte[], byte[]>> answers) {
            Map<UUID, Integer> out = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : answers) {
                UUID id;
                if (r.topic().equals(topics.classifications().name())) {
                    id = topics.classifications().valueSerde().deserializer().deserialize(r.topic(), r.value()).getEventId();
                } else if (r.topic().equals(topics.focusTasks().name())) {
                    id = topics.focusTasks().valueSerde().deserializer().deserialize(r.topic(), r.value()).getEventId();
                } else {
                    DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    id = d.getEventId() != null ? d.getEventId() : new UUID(0, r.offset());
                }
                out.merge(id, 1, Integer::sum);
            }
            return out;
        }
    }

    /** The committed state right after the kill: answers, buffer entries and input offsets, per partition. */
    record KillPoint(int answered, int buffered, List<Integer> answersPerPartition, List<Integer> bufferedPerPartition,
            List<Long> offsets) {}

    /**
     * Reads the committed state until two reads 300 ms apart agree: a commit the killed process had
     * already asked for may still be completing (transaction markers are written after its EndTxn).
     */
    static KillPoint stableKillPoint(Ledger ledger, Admin admin, String appId, String imagesTopic) throws Exception {
        KillPoint previous = null;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(300);
            ledger.catchUp();
            KillPoint now = new KillPoint(ledger.answers.size(), ledger.buffered.size(),
                    IntStream.of(ledger.answersPerPartition).boxed().toList(), ledger.bufferedPerPartition(),
                    committedOffsets(admin, appId, imagesTopic));
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        throw new AssertionError("the committed state kept changing after the kill: " + previous);
    }

    static List<Long> committedOffsets(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        List<Long> out = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
            out.add(o == null ? 0L : o.offset());
        }
        return out;
    }

    static long sum(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    static ChildJvm localizer(String name, Path dir, Path props) throws IOException {
        return ChildJvm.lfvit(name, dir.resolve(name + ".log"), List.of("localizer", "--config", props.toString()));
    }

    static void writeProperties(AppConfig config, Path file) throws IOException {
        Properties p = new Properties();
        p.putAll(config.asMap());
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "LocalizerCrashTest");
        }
    }

    /** Random 112x112 grayscale frames, made as they are sent. */
    static Iterator<Frame> frames(int n) {
        Random random = new Random(42);
        return Stream.generate(() -> {
            byte[] pixels = new byte[112 * 112];
            random.nextBytes(pixels);
            return new Frame(pixels, ImageEncoding.RAW, 112, 112, 1, null);
        }).limit(n).iterator();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
