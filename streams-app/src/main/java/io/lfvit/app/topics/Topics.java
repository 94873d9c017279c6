package io.lfvit.app.topics;

import io.lfvit.app.config.AppConfig;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.FrameTags;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.serde.AvroSerdes;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic registry (after kafka-streams-examples' {@code Schemas.Topics}): every topic of the
 * product with its serdes. Keys are the source id (camera/stream) as UTF-8, so the frames of one
 * source stay in order; {@code lfvit-control} is keyed {@code global} or {@code source:<id>}.
 *
 * <p>The applications read their inputs as raw bytes ({@link #imagesRaw()}, {@link #focusTasksRaw()},
 * {@link #controlRaw()}) and decode them in a processor, so that a record that does not decode reaches
 * the dead-letter topic with its original bytes instead of stopping the stream thread.
 */
public final class Topics {
    private final Topic<String, ImageEvent> images;
    private final Topic<byte[], byte[]> imagesRaw;
    private final Topic<String, Classification> classifications;
    private final Topic<String, FocusTask> focusTasks;
    private final Topic<byte[], byte[]> focusTasksRaw;
    private final Topic<String, ControlUpdate> control;
    private final Topic<String, byte[]> controlRaw;
    private final Topic<String, DeadLetter> deadLetters;
    private final Topic<String, FrameTags> frameTags;
    private final Topic<byte[], byte[]> classificationsRaw;

    public Topics(AppConfig config, AvroSerdes serdes) {
        Serde<String> key = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        images = new Topic<>(config.string(AppConfig.TOPIC_IMAGES), key, serdes.value(ImageEvent.class));
        imagesRaw = new Topic<>(images.name(), bytes, bytes);
        classifications = new Topic<>(config.string(AppConfig.TOPIC_CLASSIFICATIONS), key,
                serdes.value(Classification.class));
        focusTasks = new Topic<>(config.string(AppConfig.TOPIC_FOCUS_TASKS), key, serdes.value(FocusTask.class));
        focusTasksRaw = new Topic<>(focusTasks.name(), bytes, bytes);
        control = new Topic<>(config.string(AppConfig.TOPIC_CONTROL), key, serdes.value(ControlUpdate.class));
        controlRaw = new Topic<>(control.name(), key, bytes);
        deadLetters = new Topic<>(config.string(AppConfig.TOPIC_DLQ), key, serdes.value(DeadLetter.class));
        frameTags = new Topic<>(config.string(AppConfig.TOPIC_FRAME_TAGS), key, serdes.value(FrameTags.class));
        classificationsRaw = new Topic<>(classifications.name(), bytes, bytes);
    }

    public Topic<String, ImageEvent> images() { return images; }
    public Topic<byte[], byte[]> imagesRaw() { return imagesRaw; }
    public Topic<String, Classification> classifications() { return classifications; }
    public Topic<String, FocusTask> focusTasks() { return focusTasks; }
    public Topic<byte[], byte[]> focusTasksRaw() { return focusTasksRaw; }
    public Topic<String, ControlUpdate> control() { return control; }
    public Topic<String, byte[]> controlRaw() { return controlRaw; }
    public Topic<String, DeadLetter> deadLetters() { return deadLetters; }
    /** The tagger's output: one FrameTags per source and closed event-time window. */
    public Topic<String, FrameTags> frameTags() { return frameTags; }
    /** The answers as raw bytes, for the tagger (it dead-letters what does not decode). */
    public Topic<byte[], byte[]> classificationsRaw() { return classificationsRaw; }

    /** The Avro serde of a topic, for processors that decode raw bytes themselves. */
    @SuppressWarnings("unchecked")
    public static <V extends org.apache.avro.specific.SpecificRecord> ConfluentAvroSerde<V> avro(Topic<?, V> topic) {
        return (ConfluentAvroSerde<V>) topic.valueSerde();
    }
}
