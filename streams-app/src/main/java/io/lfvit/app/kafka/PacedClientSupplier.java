package io.lfvit.app.kafka;

import io.lfvit.app.batch.StreamThreadPace;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka's own clients, with polls that wait as long as there is nothing to do ({@code default.client.supplier},
 * set by {@link StreamsProps}). The apps poll every 5 ms ({@code poll.ms}) so that a finished batch's answers go
 * out at once; an application with nothing in progress then spent ~0.1 core turning Kafka Streams' loops:
 * <ul>
 *   <li>the stream thread's consumer waits as {@link StreamThreadPace} says (records, a batch's end, a linger's
 *       end, the next commit), never less than Kafka Streams asked;</li>
 *   <li>its producer tells the pace when the open transaction holds writes and when it commits;</li>
 *   <li>the global thread's consumer (the control table) waits for records up to {@link StreamThreadPace#IDLE_WAIT_MS}:
 *       a control update ends its poll when it arrives.</li>
 * </ul>
 * The restore consumer and the admin client are Kafka's, unchanged.
 */
public final class PacedClientSupplier implements KafkaClientSupplier, Configurable {
    private long commitIntervalMs = 100;

    @Override
    public void configure(Map<String, ?> configs) {
        Object interval = configs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (interval != null) {
            commitIntervalMs = Long.parseLong(interval.toString());
        }
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new PacedProducer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new PacedConsumer(config, commitIntervalMs);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new GlobalConsumer(config);
    }

    /** A stream thread's consumer: a poll that is not asked to return at once waits as the thread's pace allows. */
    static final class PacedConsumer extends KafkaConsumer<byte[], byte[]> {
        private final long commitIntervalMs;

        PacedConsumer(Map<String, Object> config, long commitIntervalMs) {
            super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.commitIntervalMs = commitIntervalMs;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            if (timeout.isZero()) {
                return super.poll(timeout); // rebalancing or shutting down: Kafka Streams wants it back at once
            }
            return StreamThreadPace.ofThisThread().poll(timeout.toMillis(), commitIntervalMs,
                    ms -> super.poll(Duration.ofMillis(ms)), ConsumerRecords::isEmpty);
        }
    }

    /** A stream thread's producer (one per thread under exactly_once_v2), called on that thread. */
    static final class PacedProducer extends KafkaProducer<byte[], byte[]> {
        PacedProducer(Map<String, Object> config) {
            super(config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            StreamThreadPace.ofThisThread().sent();
            return super.send(record, callback);
        }

        @Override
        public void commitTransaction() {
            super.commitTransaction();
            StreamThreadPace.ofThisThread().committed();
        }

        @Override
        public void abortTransaction() {
            StreamThreadPace.ofThisThread().aborted();
            super.abortTransaction();
        }
    }

    /** The global thread's consumer: nothing but records needs it, and records end its poll when they arrive. */
    static final class GlobalConsumer extends KafkaConsumer<byte[], byte[]> {
        private static final Duration IDLE = Duration.ofMillis(StreamThreadPace.IDLE_WAIT_MS);

        GlobalConsumer(Map<String, Object> config) {
            super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            if (timeout.isZero()) {
                return super.poll(timeout);
            }
            return super.poll(timeout.compareTo(IDLE) < 0 ? IDLE : timeout);
        }
    }
}
