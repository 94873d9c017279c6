package io.lfvit.app.kafka;

import io.lfvit.app.batch.MicroBatchProcessor;
import io.lfvit.app.config.AppConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties of one application, from the AppConfig. */
public final class StreamsProps {
    private StreamsProps() {}

    /** Headroom for the Avro envelope of a dead letter around the largest message the images topic takes. */
    public static final int DEAD_LETTER_HEADROOM = 1024 * 1024;

    /** Producer batch size of the apps (Kafka's default, 16 KB, holds less than one focus task). */
    static final int BATCH_BYTES = 512 * 1024;

    public static Properties forApp(AppConfig config, String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.string(AppConfig.STATE_DIR));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.integer(AppConfig.STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.longValue(AppConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.integer(AppConfig.TOPIC_REPLICATION));
        // The stream thread must wake up for the batches' punctuation even when no record arrives: a finished
        // batch's answers are forwarded (and a lingering partial batch submitted) at the next punctuation, which
        // a poll blocked for the linger (20 ms) used to delay by up to that much at each stage under light load.
        p.put(StreamsConfig.POLL_MS_CONFIG, MicroBatchProcessor.MAX_PUNCTUATION_MS);
        // ... but only while a batch or a commit is due: with nothing in progress the polls wait for records
        p.put(StreamsConfig.DEFAULT_CLIENT_SUPPLIER_CONFIG, PacedClientSupplier.class);
        // Task idling orders records across a task's input partitions (joins, merges). Every task here reads one
        // partition of one topic (the control table is a global store), so it orders nothing; but while enabled,
        // each poll loop of an idle stream thread formatted a "waiting for new data" message per task, eagerly
        // (String.format in PartitionGroup.readyToProcess, 4.3.1): ~14% of an idle localizer's stream thread (perf).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        int large = config.topicMaxMessageBytes() + DEAD_LETTER_HEADROOM;
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                config.integer(AppConfig.TRANSACTION_TIMEOUT_MS));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), large);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), config.compressionType());
        // A stream thread's first commit finds the group coordinator, and the producer then waited this backoff
        // (100 ms by default) before sending the offsets: 100 ms of a restarted app on a backlog with the stream
        // thread blocked. Backoffs still grow exponentially to retry.backoff.max.ms (1 s) under real failures.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        // a batch of answers or focus tasks (25 KB each) in one produce request rather than one request each:
        // fewer requests and log appends for the broker, which shares the machine with the model
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), BATCH_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                config.integer(AppConfig.MAX_POLL_INTERVAL_MS));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), large);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), Math.max(large, 52428800));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), Math.max(config.batchMax() * 4, 100));
        p.putAll(config.kafkaOverrides());
        return p;
    }

    /** Plain client settings (producer, consumer, admin) with the {@code kafka.} overrides. */
    public static Properties client(AppConfig config) {
        Properties p = new Properties();
        p.put("bootstrap.servers", config.bootstrapServers());
        config.kafkaOverrides().forEach((k, v) -> {
            if (!k.startsWith("producer.") && !k.startsWith("consumer.") && !k.startsWith("main.consumer.")) {
                p.put(k, v);
            }
        });
        return p;
    }
}
