package io.lfvit.app.support;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A read_committed consumer of the classifications and dead-letter topics, collecting in the background. */
public final class AnswerLog implements AutoCloseable {
    public final List<Classification> classifications = new CopyOnWriteArrayList<>();
    public final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    public final Map<UUID, Integer> perEvent = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public AnswerLog(AppConfig config, Topics topics) {
        Properties p = io.lfvit.app.kafka.StreamsProps.client(config); // bootstrap and the kafka.* (security) settings
        p.put("group.id", "answers-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        var cDeser = topics.classifications().valueSerde().deserializer();
        var dDeser = topics.deadLetters().valueSerde().deserializer();
        String cTopic = topics.classifications().name();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(cTopic, topics.deadLetters().name()));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        if (r.topic().equals(cTopic)) {
                            Classification c = cDeser.deserialize(cTopic, r.value());
                            classifications.add(c);
                            perEvent.merge(c.getEventId(), 1, Integer::sum);
                        } else {
                            DeadLetter d = dDeser.deserialize(r.topic(), r.value());
                            deadLetters.add(d);
                            if (d.getEventId() != null) {
                                perEvent.merge(d.getEventId(), 1, Integer::sum);
                            }
                        }
                    }
                }
            }
        }, "test-answers");
        thread.setDaemon(true);
        thread.start();
    }

    public int total() {
        return classifications.size() + deadLetters.size();
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
