package io.lfvit.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's two lives: a temporary directory deleted on close, or a kept one that a restart reuses. */
class EmbeddedKafkaTest {
    private static final int MAX = 2 * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void keptDirectorySurvivesARestartWithItsClusterIdTopicsAndRecords() throws Exception {
        Path dir = tmp.resolve("kafka");
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, MAX)) {
            clusterId = EmbeddedKafka.clusterIdOf(dir.resolve("logs")).orElseThrow();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertEquals(clusterId, admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before the restart")).get(30, TimeUnit.SECONDS);
            }
        }
        assertTrue(Files.exists(dir.resolve("logs").resolve("meta.properties")), "kept on close");

        // A new start formats nothing (a new cluster id would be refused by the formatter) and finds everything again.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, MAX)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertEquals(clusterId, admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("kept"));
            }
            assertEquals(List.of("before the restart"), readAll(kafka.bootstrapServers(), "kept"));
        }
    }

    @Test
    void temporaryDirectoryIsDeletedOnClose() throws Exception {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, MAX)) {
            dir = kafka.directory();
            assertTrue(EmbeddedKafka.clusterIdOf(dir.resolve("logs")).isPresent(), "formatted " + dir);
        }
        assertFalse(Files.exists(dir), "deleted: " + dir);
    }

    /** Each new segment's index files are preallocated at 1 MiB, not Kafka's 10 MiB (see INDEX_MAX_BYTES). */
    @Test
    void newSegmentsPreallocateSmallIndexes() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, MAX)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("indexed", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 3; i++) { // batches over index.interval.bytes (4 KiB): each adds an index entry
                    producer.send(new ProducerRecord<>("indexed", "k", "x".repeat(5000))).get(30, TimeUnit.SECONDS);
                }
            }
            Path partition = kafka.directory().resolve("logs").resolve("indexed-0");
            long offsetIndex = Files.size(partition.resolve("00000000000000000000.index"));
            long timeIndex = Files.size(partition.resolve("00000000000000000000.timeindex"));
            assertEquals(EmbeddedKafka.INDEX_MAX_BYTES, offsetIndex, "offset index: 8-byte entries");
            assertEquals(EmbeddedKafka.INDEX_MAX_BYTES / 12 * 12, timeIndex, "time index: 12-byte entries");
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }
}
