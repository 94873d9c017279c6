package io.lfvit.app.demo;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the committed answers ({@code classifications}) and dead letters ({@code images-dlq}) from the start
 * (or only those written after it was made), on its own thread, as a downstream consumer would
 * (read_committed), and hands each to a {@link Listener} (the demo's and the bench's {@link Tally}, the fault
 * matrix's ledger).
 *
 * <p>It assigns itself every partition rather than joining a group: its position then lives in this process
 * only. A group member re-reads from its last (auto-)committed offset whenever the group is rebuilt, as after
 * a broker restart, and a count of answers would see those records twice.
 */
public final class OutputReader implements AutoCloseable {

    /** What is done with each output, on the reader's thread, with the wall-clock ms it was read at. */
    public interface Listener {
        void classification(Classification c, long receivedAtMs);

        void deadLetter(DeadLetter d, long receivedAtMs);
    }

    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /** Reads from the start of the topics. */
    public OutputReader(AppConfig config, Topics topics, Listener listener) {
        this(config, topics, listener, true);
    }

    /**
     * {@code fromStart} false: only what is committed after this constructor returns (a latency measurement
     * whose reader would otherwise spend its first moments on earlier runs' answers, and time the new ones late).
     */
    public OutputReader(AppConfig config, Topics topics, Listener listener, boolean fromStart) {
        Properties p = StreamsProps.client(config);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.topicMaxMessageBytes() + StreamsProps.DEAD_LETTER_HEADROOM);
        var classifications = topics.classifications().valueSerde().deserializer();
        var deadLetters = topics.deadLetters().valueSerde().deserializer();
        String cTopic = topics.classifications().name();
        String dTopic = topics.deadLetters().name();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(cTopic, dTopic)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(partitions);
        if (fromStart) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30))); // the end as of now, not at the first poll
        }
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        if (r.topic().equals(cTopic)) {
                            listener.classification(classifications.deserialize(cTopic, r.value()), now);
                        } else {
                            listener.deadLetter(deadLetters.deserialize(dTopic, r.value()), now);
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "lfvit-output-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Why the reader stopped reading, or null while it reads (a record it could not deserialize, a lost broker). */
    public RuntimeException failure() {
        return failure;
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
