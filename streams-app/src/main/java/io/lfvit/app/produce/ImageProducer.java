package io.lfvit.app.produce;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.topics.Topic;
import io.lfvit.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Iterator;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends frames as ImageEvents keyed by source id (idempotent, acks=all), at a given rate
 * (0 = as fast as the producer goes). {@code onSent} sees every event after the broker acknowledged it.
 */
public final class ImageProducer implements AutoCloseable {
    private final KafkaProducer<String, ImageEvent> producer;
    private final Topic<String, ImageEvent> topic;

    public ImageProducer(AppConfig config, Topic<String, ImageEvent> topic) {
        Properties p = StreamsProps.client(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.topicMaxMessageBytes());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compressionType());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        this.producer = new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic;
    }

    /**
     * Fetches the topic's metadata now, so that the first paced send is not held back (and the next ones bunched
     * after it) while the producer learns where the partitions live.
     */
    public ImageProducer connect() {
        producer.partitionsFor(topic.name());
        return this;
    }

    public static ImageEvent event(String source, long seq, Frame f) {
        return event(source, seq, f, Instant.now());
    }

    /** An event with a given capture time (a video frame: the video's start plus its timestamp). */
    public static ImageEvent event(String source, long seq, Frame f, Instant captureTime) {
        return ImageEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setSourceId(source)
                .setFrameSeq(seq)
                .setCaptureTime(captureTime)
                .setEncoding(f.encoding())
                .setWidth(f.width())
                .setHeight(f.height())
                .setChannels(f.channels())
                .setImage(ByteBuffer.wrap(f.image()))
                .setLabel(f.label())
                .build();
    }

    /** Sends one event; {@code onSent} runs once the broker has it (an error is rethrown by {@link #flush}). */
    public void send(ImageEvent e, Consumer<ImageEvent> onSent) {
        producer.send(new ProducerRecord<>(topic.name(), e.getSourceId(), e), (meta, error) -> {
            if (error != null) {
                failure = error;
            } else if (onSent != null) {
                onSent.accept(e);
            }
        });
    }

    private volatile Exception failure;

    /** Sends every frame of {@code frames}; {@code sourceOf(i)} names the source of the i-th. */
    public long sendAll(Iterator<Frame> frames, java.util.function.IntFunction<String> sourceOf, double ratePerSecond,
            Consumer<ImageEvent> beforeSend, Consumer<ImageEvent> onSent) {
        long start = System.nanoTime();
        long n = 0;
        java.util.Map<String, Long> seq = new java.util.HashMap<>();
        while (frames.hasNext()) {
            if (ratePerSecond > 0) {
                long due = start + (long) (n * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            String source = sourceOf.apply((int) n);
            long s = seq.merge(source, 1L, Long::sum) - 1;
            ImageEvent e = event(source, s, frames.next());
            if (beforeSend != null) {
                beforeSend.accept(e);
            }
            send(e, onSent);
            n++;
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        flush();
        return n;
    }

    public void flush() {
        producer.flush();
        if (failure != null) {
            throw new IllegalStateException("sending images failed: " + failure, failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
