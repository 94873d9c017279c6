package io.lfvit.app.kafka;

import io.lfvit.app.batch.InputRefetcher;
import io.lfvit.app.config.AppConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads records at given offsets with a short-lived consumer of its own (no group, read_committed). */
public final class KafkaInputRefetcher implements InputRefetcher {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final AppConfig config;

    public KafkaInputRefetcher(AppConfig config) {
        this.config = config;
    }

    @Override
    public Map<Long, byte[]> values(String topic, int partition, Collection<Long> offsets) {
        Map<Long, byte[]> found = new HashMap<>();
        if (offsets.isEmpty()) {
            return found;
        }
        TreeSet<Long> wanted = new TreeSet<>(offsets);
        Properties p = StreamsProps.client(config);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.topicMaxMessageBytes() + StreamsProps.DEAD_LETTER_HEADROOM);
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            long start = Math.max(wanted.first(), consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp));
            consumer.seek(tp, start);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(tp) <= wanted.last() && consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.contains(r.offset())) {
                        found.put(r.offset(), r.value());
                    }
                }
            }
        }
        return found;
    }
}
