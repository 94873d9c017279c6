package io.lfvit.app.demo;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the committed answers ({@code classifications}) and dead letters ({@code images-dlq}) into a
 * {@link Tally}, on its own thread, as a downstream consumer would (read_committed).
 */
public final class OutputReader implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * A consumer of the answers and the dead letters from the start, read_committed, in a group of its own
     * (named {@code groupPrefix} + a random id), as a downstream consumer reads them.
     */
    public static KafkaConsumer<String, byte[]> answersConsumer(AppConfig config, Topics topics, String groupPrefix) {
        Properties p = StreamsProps.client(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.topicMaxMessageBytes() + StreamsProps.DEAD_LETTER_HEADROOM);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.classifications().name(), topics.deadLetters().name()));
        return consumer;
    }

    public OutputReader(AppConfig config, Topics topics, Tally tally) {
        KafkaConsumer<String, byte[]> consumer = answersConsumer(config, topics, "lfvit-reader-");
        var classifications = topics.classifications().valueSerde().deserializer();
        var deadLetters = topics.deadLetters().valueSerde().deserializer();
        String cTopic = topics.classifications().name();
        String dTopic = topics.deadLetters().name();
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        if (r.topic().equals(cTopic)) {
                            Classification c = classifications.deserialize(cTopic, r.value());
                            tally.classification(c, now);
                        } else {
                            DeadLetter d = deadLetters.deserialize(dTopic, r.value());
                            tally.deadLetter(d, now);
                        }
                    }
                }
            }
        }, "lfvit-output-reader");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
