package io.lfvit.app.control;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topic;
import io.lfvit.schemas.avro.ControlUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes and reads runtime settings on the compacted control topic ({@code ./lfvit eta set|show|clear}).
 * Both applications read the topic as a global store: a new value applies to the next batch, without
 * a restart or a rebalance.
 */
public final class ControlClient {
    private final AppConfig config;
    private final Topic<String, ControlUpdate> topic;

    public ControlClient(AppConfig config, Topic<String, ControlUpdate> topic) {
        this.config = config;
        this.topic = topic;
    }

    /** Sets eta (and optionally the focus deadline) globally ({@code sourceId} null) or for one source. */
    public void set(double eta, String sourceId, Long deadlineMs, String by) throws Exception {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must lie in [0, 1], got " + eta);
        }
        Map<String, String> settings = new HashMap<>();
        if (deadlineMs != null) {
            settings.put(ControlKeys.DEADLINE_MS, String.valueOf(deadlineMs));
        }
        ControlUpdate update = ControlUpdate.newBuilder().setEta(eta).setSettings(settings)
                .setUpdatedAt(Instant.now()).setUpdatedBy(by).build();
        send(ControlKeys.forSourceOrGlobal(sourceId), update);
    }

    /** Removes a source's override (a tombstone), or the global value. */
    public void clear(String sourceId) throws Exception {
        send(ControlKeys.forSourceOrGlobal(sourceId), null);
    }

    /** Writes a whole update under {@code key} (the eta controller keeps the key's other settings itself). */
    public void put(String key, ControlUpdate value) throws Exception {
        send(key, value);
    }

    private void send(String key, ControlUpdate value) throws Exception {
        Properties p = StreamsProps.client(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // A missing topic or an unreachable broker fails the send in seconds, not after the default 60 s.
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, ControlUpdate> producer = new KafkaProducer<>(p, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The current settings: key to the latest update (tombstoned keys removed), read to the end of the topic. */
    public Map<String, ControlUpdate> show() {
        Properties p = StreamsProps.client(config);
        p.put("isolation.level", "read_committed");
        Map<String, ControlUpdate> out = new TreeMap<>();
        try (KafkaConsumer<String, ControlUpdate> consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end in 30 s");
                }
                for (ConsumerRecord<String, ControlUpdate> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        out.remove(r.key());
                    } else {
                        out.put(r.key(), r.value());
                    }
                }
            }
        }
        return out;
    }
}
