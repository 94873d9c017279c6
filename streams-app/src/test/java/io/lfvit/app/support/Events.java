package io.lfvit.app.support;

import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Image events and control updates for tests. */
public final class Events {
    private Events() {}

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
