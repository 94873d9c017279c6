package io.lfvit.app.view;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view's reader: one consumer, in a consumer group of its own (so it takes nothing from the apps or
 * from another view), {@code read_committed} (it sees only answers the apps committed, as a client does),
 * subscribed to the five topics. On assignment it starts at the end of the data topics (the view is live), a
 * few records before the end of the dead-letter topic (the latest dead letters at once), and at the beginning
 * of the compacted control topic (the eta in force). It never commits: a restarted view starts live again.
 *
 * <p>Records that do not decode are skipped here (the apps dead-letter them with the reason, which the view
 * then shows).
 */
final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    static final String GROUP_PREFIX = "lfvit-live-view-";
    private static final int DEAD_LETTERS_AT_START = 10;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final LiveState state;
    private final Thread thread;
    private final String group;
    private volatile boolean running = true;
    private final java.util.Set<TopicPartition> positioned = new java.util.HashSet<>();

    LiveFeed(AppConfig config, Topics topics, LiveState state) {
        this.topics = topics;
        this.state = state;
        this.group = GROUP_PREFIX + UUID.randomUUID();
        Properties p = StreamsProps.client(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lfvit-live-view");
        int maxRecord = config.topicMaxMessageBytes() + StreamsProps.DEAD_LETTER_HEADROOM;
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecord);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(maxRecord, 52_428_800));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "lfvit-live-view-feed");
        thread.setDaemon(true);
    }

    String group() {
        return group;
    }

    void start() {
        thread.start();
    }

    private void run() {
        var images = Topics.avro(topics.images()).deserializer();
        var answers = Topics.avro(topics.classifications()).deserializer();
        var tasks = Topics.avro(topics.focusTasks()).deserializer();
        var control = Topics.avro(topics.control()).deserializer();
        var dlq = Topics.avro(topics.deadLetters()).deserializer();
        try {
            consumer.subscribe(List.of(topics.images().name(), topics.classifications().name(), topics.focusTasks().name(),
                    topics.control().name(), topics.deadLetters().name()), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            startPositions(partitions);
                        }
                    });
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.currentTimeMillis();
                    String topic = r.topic();
                    try {
                        if (topic.equals(topics.classifications().name())) {
                            state.classification((Classification) answers.deserialize(topic, r.value()), now);
                        } else if (topic.equals(topics.images().name())) {
                            state.image((ImageEvent) images.deserialize(topic, r.value()), now);
                        } else if (topic.equals(topics.focusTasks().name())) {
                            state.focusTask((FocusTask) tasks.deserialize(topic, r.value()));
                        } else if (topic.equals(topics.control().name())) {
                            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                            if (key != null) {
                                state.control(key, r.value() == null ? null
                                        : (ControlUpdate) control.deserialize(topic, r.value()), now);
                            }
                        } else if (topic.equals(topics.deadLetters().name())) {
                            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                            state.deadLetter(key, (DeadLetter) dlq.deserialize(topic, r.value()), now);
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("live view: skipping {}-{}@{}: {}", topic, r.partition(), r.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.warn("live view: the feed stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void startPositions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        for (TopicPartition tp : partitions) {
            if (!positioned.add(tp)) {
                continue; // assigned again after a rebalance: go on from where the view was
            }
            if (tp.topic().equals(topics.control().name())) {
                consumer.seek(tp, begin.get(tp));
            } else if (tp.topic().equals(topics.deadLetters().name())) {
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - DEAD_LETTERS_AT_START));
            } else {
                consumer.seek(tp, end.get(tp));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
