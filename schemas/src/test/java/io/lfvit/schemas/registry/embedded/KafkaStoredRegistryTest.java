package io.lfvit.schemas.registry.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.SampleRecords;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.HttpSchemaRegistryClient;
import io.lfvit.schemas.registry.IncompatibleSchemaException;
import io.lfvit.schemas.registry.RegisteredSchema;
import io.lfvit.schemas.registry.RegistryClientConfig;
import io.lfvit.schemas.registry.RegistryUnavailableException;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.serde.AvroSerdes;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import io.lfvit.schemas.serde.DecodeResult;
import io.lfvit.schemas.serde.SchemaSerdeException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry's durable mode on a real (in-process) broker: one broker for the whole class. */
class KafkaStoredRegistryTest {
    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startKafka() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "test"))
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.cleaner.dedupe.buffer.size", "2097152")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        cluster.close();
    }

    private static EmbeddedSchemaRegistry registryOn(String topic) {
        return EmbeddedSchemaRegistry.builder().kafkaStore(cluster.bootstrapServers()).topic(topic).build();
    }

    private static Schema record(String... intFields) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("R").namespace("test").fields();
        for (String field : intFields) {
            fields = fields.name(field).type().intType().intDefault(0);
        }
        return fields.endRecord();
    }

    @Test
    void restartOnTheSameTopicKeepsSchemasIdsVersionsAndConfig() {
        int v1;
        int v2;
        int image;
        try (EmbeddedSchemaRegistry first = registryOn("_schemas_restart")) {
            SchemaRegistryClient client = http(first.start(0));
            v1 = client.register("s", record("a"));
            v2 = client.register("s", record("a", "b"));
            image = client.register("images-value", ImageEvent.getClassSchema());
            client.setCompatibility("s", CompatibilityLevel.FULL);
            client.setCompatibility(CompatibilityLevel.FORWARD);
        }

        try (EmbeddedSchemaRegistry second = registryOn("_schemas_restart")) {
            SchemaRegistryClient client = http(second.start(0));
            assertEquals(record("a"), client.getById(v1));
            assertEquals(ImageEvent.getClassSchema(), client.getById(image));
            assertEquals(List.of(1, 2), client.getVersions("s"));
            assertEquals(new RegisteredSchema("s", 2, v2, record("a", "b")), client.getLatest("s"));
            assertEquals(List.of("images-value", "s"), client.getSubjects());
            assertEquals(CompatibilityLevel.FULL, client.getCompatibility("s"));
            assertEquals(CompatibilityLevel.FORWARD, client.getCompatibility());
            assertEquals(v2, client.register("s", record("a", "b")), "known schema, known id");
            int next = client.register("classifications-value", Classification.getClassSchema());
            assertEquals(Math.max(Math.max(v1, v2), image) + 1, next, "ids are never reused");
        }
    }

    @Test
    void compatibilityIsEnforcedByTheDurableRegistryToo() {
        try (EmbeddedSchemaRegistry registry = registryOn("_schemas_compat")) {
            SchemaRegistryClient client = http(registry.start(0));
            client.register("s", record("a"));
            Schema requiredNewField = SchemaBuilder.record("R").namespace("test").fields()
                    .name("a").type().intType().intDefault(0).name("z").type().intType().noDefault().endRecord();
            assertThrows(IncompatibleSchemaException.class, () -> client.register("s", requiredNewField));
        }
        try (EmbeddedSchemaRegistry again = registryOn("_schemas_compat")) {
            again.start(0);
            assertEquals(List.of(1), again.client().getVersions("s"), "the refused schema was never written");
        }
    }

    @Test
    void theTopicIsCompactedWithOnePartitionAndConfluentKeys() throws Exception {
        try (EmbeddedSchemaRegistry registry = registryOn("_schemas_format")) {
            registry.start(0);
            registry.client().register("s", record("a"));
            registry.client().setCompatibility(CompatibilityLevel.FULL);
        }
        try (Admin admin = cluster.admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas_format");
            assertEquals("compact", admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value());
            assertEquals(1, admin.describeTopics(List.of("_schemas_format")).allTopicNames().get().get("_schemas_format").partitions().size());
        }
        List<ConsumerRecord<String, String>> records = readAll("_schemas_format", 2);
        assertEquals("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}", records.get(0).key());
        assertEquals("{\"subject\":\"s\",\"version\":1,\"id\":1,\"schema\":" + quoted(record("a").toString()) + ",\"deleted\":false}",
                records.get(0).value());
        assertEquals("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", records.get(1).key());
        assertEquals("{\"compatibilityLevel\":\"FULL\"}", records.get(1).value());
    }

    @Test
    void aTopicThatWouldDeleteSchemasIsRefused() throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("_schemas_retained", 1, (short) 1))).all().get();
        }
        try (EmbeddedSchemaRegistry registry = registryOn("_schemas_retained")) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> registry.start(0));
            assertTrue(error.getMessage().contains("cleanup.policy=compact"), error.getMessage());
        }
    }

    @Test
    void anUnreachableBrokerFailsTheStartWithinTheStoreTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .kafkaStore("127.0.0.1:" + closedPort).storeTimeout(Duration.ofSeconds(2)).build()) {
            assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> assertThrows(RegistryUnavailableException.class, () -> registry.start(0)));
        }
    }

    @Test
    void serdesCarryRecordsThroughKafkaAndBadRecordsComeOutTyped() throws Exception {
        try (EmbeddedSchemaRegistry registry = registryOn("_schemas_serde");
                AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", registry.start(0)))) {
            ConfluentAvroSerde<ImageEvent> images = serdes.value(ImageEvent.class);
            try (KafkaProducer<String, ImageEvent> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), new StringSerializer(), images);
                    KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                            new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("images", "camera-7", SampleRecords.imageEvent())).get();
                raw.send(new ProducerRecord<>("images", "camera-7".getBytes(), "not avro".getBytes())).get();
            }

            List<DecodeResult<ImageEvent>> decoded = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
                consumer.assign(List.of(new TopicPartition("images", 0)));
                consumer.seekToBeginning(List.of(new TopicPartition("images", 0)));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (decoded.size() < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> decoded.add(images.decode(record.topic(), record.value())));
                }
            }
            assertEquals(new DecodeResult.Success<>(SampleRecords.imageEvent()), decoded.get(0));
            SchemaSerdeException error = assertInstanceOf(DecodeResult.Failure.class, decoded.get(1)).error();
            assertEquals(SchemaSerdeException.Reason.BAD_WIRE_FORMAT, error.reason());
        }
    }

    private static SchemaRegistryClient http(String url) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.builder(url).build());
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
