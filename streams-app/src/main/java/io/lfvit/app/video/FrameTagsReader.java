package io.lfvit.app.video;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.FrameTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the committed FrameTags records (read_committed), as a downstream consumer would, on its own thread. */
public final class FrameTagsReader implements AutoCloseable {
    private final List<FrameTags> windows = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public FrameTagsReader(AppConfig config, Topics topics) {
        Properties p = StreamsProps.client(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "lfvit-tags-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var serde = topics.frameTags().valueSerde().deserializer();
        String topic = topics.frameTags().name();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        FrameTags t = serde.deserialize(topic, r.value());
                        synchronized (windows) {
                            windows.add(t);
                        }
                    }
                }
            }
        }, "lfvit-frame-tags-reader");
        thread.setDaemon(true);
        thread.start();
    }

    public List<FrameTags> windows() {
        synchronized (windows) {
            return List.copyOf(windows);
        }
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
