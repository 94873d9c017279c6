package io.lfvit.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * New topics on a real broker, written at once by an idempotent producer with several requests in flight,
 * as the bench and {@code lfvit produce} do. Before {@link TopicSetup#awaitServed} a first batch that reached
 * a partition before its leader had opened the log was refused for good once a later batch had been
 * appended (KAFKA-15591): about one new topic in ten lost a batch here (6 of 60, 2026-11-28), so 30 topics
 * catch it with ~95% odds; with the wait, 0 of 80.
 */
class TopicSetupOnBrokerTest {
    private static final int TOPICS = 30;
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 2000;

    @Test
    void recordsSentRightAfterTheTopicIsCreatedAreAllWritten() throws Exception {
        Random random = new Random(7);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, 2 * 1024 * 1024);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<String> failures = new ArrayList<>();
            for (int t = 0; t < TOPICS; t++) {
                NewTopic topic = new NewTopic("fresh-" + t, PARTITIONS, (short) 1);
                admin.createTopics(List.of(topic)).all().get();
                TopicSetup.awaitServed(admin, List.of(topic), Duration.ofSeconds(30));
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(kafka.bootstrapServers()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    List<Future<?>> sent = new ArrayList<>();
                    for (int i = 0; i < RECORDS; i++) {
                        byte[] value = new byte[3000 + random.nextInt(4000)];
                        random.nextBytes(value);
                        sent.add(producer.send(new ProducerRecord<>(topic.name(), ("cam-" + i % PARTITIONS).getBytes(), value)));
                    }
                    producer.flush();
                    for (Future<?> f : sent) {
                        try {
                            f.get();
                        } catch (ExecutionException e) {
                            failures.add(topic.name() + ": " + e.getCause());
                            break;
                        }
                    }
                }
            }
            assertEquals(List.of(), failures);
        }
    }

    /** As ImageProducer's (idempotent, acks=all, 512 KB batches), with a short delivery timeout so a lost batch fails fast. */
    private static Map<String, Object> producerProps(String bootstrap) {
        return Map.of("bootstrap.servers", bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000);
    }
}
