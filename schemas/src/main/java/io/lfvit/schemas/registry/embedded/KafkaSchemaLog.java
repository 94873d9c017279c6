package io.lfvit.schemas.registry.embedded;

import io.lfvit.schemas.registry.RegistryUnavailableException;
import io.lfvit.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's history in a single-partition compacted Kafka topic, like Confluent's
 * "kafkastore": an append is acknowledged only after the record has been written with acks=all
 * and consumed back, so what a client was told is exactly what a restart replays.
 *
 * <p>One registry instance writes to a topic (there is no leader election between instances).
 */
final class KafkaSchemaLog implements SchemaLog {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final TopicPartition partition;
    private final short replicationFactor;
    private final Map<String, Object> clientConfig;
    private final Duration timeout;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Consumer<RegistryLogRecord> applier;

    /**
     * @param clientConfig bootstrap.servers plus any security settings, shared by the admin, producer and consumer
     * @param timeout bound on each Kafka operation; exceeding it fails the registry request with a 5xx
     */
    KafkaSchemaLog(String topic, short replicationFactor, Map<String, Object> clientConfig, Duration timeout) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.replicationFactor = replicationFactor;
        this.clientConfig = Map.copyOf(clientConfig);
        this.timeout = timeout;
    }

    @Override
    public synchronized void open(Consumer<RegistryLogRecord> applier) {
        this.applier = applier;
        try {
            ensureTopic();
            producer = new KafkaProducer<>(producerConfig());
            consumer = new KafkaConsumer<>(consumerConfig());
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            readUntil(end);
            LOG.info("Schema registry store {} replayed up to offset {}", topic, end);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void append(RegistryLogRecord record) {
        long offset;
        try {
            offset = producer.send(new ProducerRecord<>(topic, 0, KafkaStoreFormat.key(record), KafkaStoreFormat.value(record)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException | KafkaException e) {
            throw storeError("Cannot write to the schemas topic " + topic, e);
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException(500, SchemaRegistryException.OPERATION_TIMEOUT,
                    "Write to the schemas topic " + topic + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("Interrupted while writing to the schemas topic " + topic, e);
        }
        readUntil(offset + 1);
    }

    /** Applies records until the consumer's position reaches {@code endOffset}. */
    private void readUntil(long endOffset) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (consumer.position(partition, timeout) < endOffset) {
                if (System.nanoTime() - deadline > 0) {
                    throw new RegistryUnavailableException(500, SchemaRegistryException.OPERATION_TIMEOUT,
                            "Reading back the schemas topic " + topic + " up to offset " + endOffset + " timed out", null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
            }
        } catch (KafkaException e) {
            throw storeError("Cannot read the schemas topic " + topic, e);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            KafkaStoreFormat.decode(record.key(), record.value()).ifPresent(applier);
        } catch (IOException | RuntimeException e) {
            // One unreadable record (say, left by another registry) must not keep the registry from starting.
            LOG.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), topic, e.toString());
        }
    }

    /** Creates the topic (one partition, compacted), or checks that an existing one is fit. */
    private void ensureTopic() {
        Admin admin = Admin.create(adminConfig());
        try {
            try {
                NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created schemas topic {} (compacted, replication factor {})", topic, replicationFactor);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                checkExistingTopic(admin);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw storeError("Cannot create or inspect the schemas topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("Interrupted while preparing the schemas topic " + topic, e);
        } finally {
            // Without a bound, close() waits for a pending call to an unreachable broker for a minute.
            admin.close(timeout);
        }
    }

    private void checkExistingTopic(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        if (description.partitions().size() != 1) {
            throw new IllegalStateException("The schemas topic " + topic + " must have exactly one partition (it keeps "
                    + "the order of registrations), but has " + description.partitions().size());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) || policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
            throw new IllegalStateException("The schemas topic " + topic + " must have cleanup.policy=compact, "
                    + "or retention would delete registered schemas; it has " + policy);
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "schema-registry-store-writer");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "schema-registry-store-reader");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    private static RegistryUnavailableException storeError(String message, Exception cause) {
        Throwable root = cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
        return new RegistryUnavailableException(500, SchemaRegistryException.STORE_ERROR,
                "Error in the backend data store: " + message + ": " + root, root);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
