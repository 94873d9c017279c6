package io.lfvit.app.controller;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.Stage;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import io.lfvit.schemas.serde.DecodeResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How late the focus stage is, measured from Kafka itself (no access to the apps' memory):
 *
 * <ul>
 *   <li><b>answer latency</b>: the p99 of capture-to-answer time ({@code classified_at - capture_time}) of the
 *       answers the focus stage wrote in the last {@code controller.window.ms} (FOCUS answers and the
 *       degraded ones it gave instead), read from {@code classifications} (read_committed);</li>
 *   <li><b>pending age</b>: the age of the oldest focus task the focus group has not yet committed past
 *       (the group's committed offset on {@code focus-tasks}, that task's capture time): a stalled
 *       focus stage writes no answers, so their latency alone would never show it.</li>
 * </ul>
 *
 * The signal is the larger of the two: the lateness the next focus answers will have at least.
 */
public final class FocusLatencyProbe implements AutoCloseable {

    /** One measurement. {@code p99Ms} is NaN when no focus answer arrived in the window. */
    public record Reading(double p99Ms, double pendingAgeMs, long pendingTasks, int answersInWindow) {
        public double signalMs() {
            return Math.max(Double.isNaN(p99Ms) ? 0 : p99Ms, pendingAgeMs);
        }
    }

    private final String sourceFilter;
    private final long windowMs;
    private final String focusGroup;
    private final String tasksTopic;
    private final ConfluentAvroSerde<Classification> answers;
    private final ConfluentAvroSerde<FocusTask> tasks;
    private final KafkaConsumer<String, byte[]> answerConsumer;
    private final KafkaConsumer<String, byte[]> taskConsumer;
    private final Admin admin;
    private final String answersTopic;
    private final Deque<long[]> samples = new ArrayDeque<>(); // {arrivalMs, latencyMs}

    /** @param sourceFilter only this source's answers count; null: all sources */
    public FocusLatencyProbe(AppConfig config, Topics topics, String sourceFilter) {
        this.sourceFilter = sourceFilter;
        this.windowMs = config.longValue(AppConfig.CONTROLLER_WINDOW_MS);
        this.focusGroup = config.string(AppConfig.FOCUS_APPLICATION_ID);
        this.tasksTopic = topics.focusTasks().name();
        this.answersTopic = topics.classifications().name();
        this.answers = Topics.avro(topics.classifications());
        this.tasks = Topics.avro(topics.focusTasks());
        Properties p = StreamsProps.client(config);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lfvit-controller-" + UUID.randomUUID());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.topicMaxMessageBytes() + StreamsProps.DEAD_LETTER_HEADROOM);
        this.answerConsumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        Properties one = new Properties();
        one.putAll(p);
        one.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.taskConsumer = new KafkaConsumer<>(one, new StringDeserializer(), new ByteArrayDeserializer());
        this.admin = Admin.create(StreamsProps.client(config));
        List<TopicPartition> parts = answerConsumer.partitionsFor(answersTopic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        answerConsumer.assign(parts);
        answerConsumer.seekToEnd(parts); // answers from before the controller started say nothing about now
        parts.forEach(answerConsumer::position);
    }

    /** Reads what arrived since the last call and measures. */
    public Reading read(long nowMs) {
        for (ConsumerRecord<String, byte[]> r : answerConsumer.poll(Duration.ofMillis(50))) {
            if (r.value() == null || (sourceFilter != null && !sourceFilter.equals(r.key()))) {
                continue;
            }
            if (answers.decode(answersTopic, r.value()) instanceof DecodeResult.Success<Classification> ok && ok.value() != null) {
                Classification c = ok.value();
                if (c.getStage() == Stage.FOCUS || c.getDegraded()) {
                    samples.addLast(new long[] {nowMs,
                            c.getClassifiedAt().toEpochMilli() - c.getCaptureTime().toEpochMilli()});
                }
            }
        }
        while (!samples.isEmpty() && samples.peekFirst()[0] < nowMs - windowMs) {
            samples.removeFirst();
        }
        double p99 = Double.NaN;
        if (!samples.isEmpty()) {
            p99 = percentile(samples.stream().mapToLong(s -> s[1]).sorted().toArray(), 0.99);
        }
        long[] pending = pending(nowMs);
        return new Reading(p99, pending[0], pending[1], samples.size());
    }

    /** {age of the oldest uncommitted focus task (ms), tasks not yet committed past}. */
    private long[] pending(long nowMs) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Map.of(focusGroup,
                    new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(focusGroup).get(5, TimeUnit.SECONDS);
            List<TopicPartition> parts = taskConsumer.partitionsFor(tasksTopic, Duration.ofSeconds(5)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<TopicPartition, Long> end = taskConsumer.endOffsets(parts, Duration.ofSeconds(5));
            long oldestAge = 0;
            long lag = 0;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                long from = c == null ? beginning(tp) : c.offset();
                long behind = end.get(tp) - from;
                if (behind <= 0) {
                    continue;
                }
                lag += behind;
                taskConsumer.assign(List.of(tp));
                taskConsumer.seek(tp, from);
                for (ConsumerRecord<String, byte[]> r : taskConsumer.poll(Duration.ofMillis(500))) {
                    if (tasks.decode(tasksTopic, r.value()) instanceof DecodeResult.Success<FocusTask> ok && ok.value() != null) {
                        oldestAge = Math.max(oldestAge, nowMs - ok.value().getCaptureTime().toEpochMilli());
                    }
                }
            }
            return new long[] {oldestAge, lag};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {0, 0};
        } catch (Exception e) {
            throw new IllegalStateException("controller: cannot read the focus group's offsets: " + e.getMessage(), e);
        }
    }

    private long beginning(TopicPartition tp) {
        return taskConsumer.beginningOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    @Override
    public void close() {
        answerConsumer.close(Duration.ofSeconds(2));
        taskConsumer.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
    }
}
