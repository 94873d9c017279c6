package io.lfvit.app.support;

import io.lfvit.app.produce.Frame;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Image events and control updates for tests. */
public final class Events {
    private Events() {}

    /** {@code n} raw 112 x 112 grey frames of random pixels from {@code source}, numbered 0.., labels i % 10. */
    public static List<ImageEvent> randomImages(String source, int n, long seed) {
        Random random = new Random(seed);
        List<ImageEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] pixels = new byte[112 * 112];
            random.nextBytes(pixels);
            out.add(ImageProducer.event(source, i, new Frame(pixels, ImageEncoding.RAW, 112, 112, 1, i % 10)));
        }
        return out;
    }

    /** Sends every event and waits until the broker has them. */
    public static void send(ImageProducer producer, List<ImageEvent> events) {
        events.forEach(e -> producer.send(e, null));
        producer.flush();
    }

    public static ImageEvent raw(String source, long seq, byte[] pixels, int size, Integer label) {
        return ImageEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setSourceId(source)
                .setFrameSeq(seq)
                .setCaptureTime(Instant.now())
                .setEncoding(ImageEncoding.RAW)
                .setWidth(size)
                .setHeight(size)
                .setChannels(1)
                .setImage(ByteBuffer.wrap(pixels))
                .setLabel(label)
                .build();
    }

    /** An event the ScriptedClassifier localizes with {@code confidence} as class {@code cls}. */
    public static ImageEvent scripted(String source, long seq, double confidence, int cls) {
        return raw(source, seq, ScriptedClassifier.image(confidence, cls), 112, cls);
    }

    public static ControlUpdate eta(double eta) {
        return ControlUpdate.newBuilder().setEta(eta).setUpdatedAt(Instant.now()).setUpdatedBy("test").build();
    }

    public static ControlUpdate etaAndDeadline(double eta, long deadlineMs) {
        return ControlUpdate.newBuilder().setEta(eta).setSettings(Map.of("deadline.ms", String.valueOf(deadlineMs)))
                .setUpdatedAt(Instant.now()).setUpdatedBy("test").build();
    }
}
