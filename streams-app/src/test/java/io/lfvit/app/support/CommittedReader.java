package io.lfvit.app.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer of every partition of some topics, from the beginning, with no group:
 * {@link #catchUp} returns what was committed since the last call, up to the last stable offset of
 * each partition at the time of the call. After a producer was killed its open transaction holds the
 * last stable offset still, so a catch-up then returns exactly what that producer had committed.
 */
public final class CommittedReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    public CommittedReader(String bootstrapServers, List<String> topics) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.partition.fetch.bytes", String.valueOf(32 * 1024 * 1024));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Committed records not returned before, up to the current last stable offsets. */
    public List<ConsumerRecord<byte[], byte[]>> catchUp(Duration timeout) {
        Map<TopicPartition, Long> stable = consumer.endOffsets(partitions, timeout); // read_committed: the LSO
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < stable.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read_committed catch-up to " + stable + " not done within " + timeout);
            }
            consumer.poll(Duration.ofMillis(50)).forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
