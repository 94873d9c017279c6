package io.lfvit.schemas;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.LocalizationResult;
import io.lfvit.schemas.avro.PixelBox;
import io.lfvit.schemas.avro.Region;
import io.lfvit.schemas.avro.Stage;
import io.lfvit.schemas.avro.StageTimings;
import io.lfvit.schemas.avro.TopKEntry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One realistic record of each contract, sized like the shipped model's (G = 7, D = 192, m = 5, K = 22). */
public final class SampleRecords {
    public static final UUID EVENT_ID = UUID.fromString("3f2b8c1e-9d4a-4e6f-8a7b-0c1d2e3f4a5b");
    public static final Instant CAPTURED = Instant.ofEpochMilli(1_760_000_000_123L);

    private SampleRecords() {}

    public static ImageEvent imageEvent() {
        return ImageEvent.newBuilder()
                .setEventId(EVENT_ID)
                .setSourceId("camera-7")
                .setFrameSeq(42L)
                .setCaptureTime(CAPTURED)
                .setEncoding(ImageEncoding.RAW)
                .setWidth(112).setHeight(112).setChannels(1)
                .setImage(ByteBuffer.wrap(bytes(112 * 112)))
                .setLabel(3)
                .build();
    }

    public static Region region() {
        return Region.newBuilder().setRow(1).setCol(2).setSize(5)
                .setPixelBox(PixelBox.newBuilder().setX(32).setY(16).setWidth(80).setHeight(80).build())
                .build();
    }

    public static List<TopKEntry> topK() {
        return List.of(
                TopKEntry.newBuilder().setClassIndex(3).setClassName("dress").setProbability(0.61f).build(),
                TopKEntry.newBuilder().setClassIndex(0).setClassName(null).setProbability(0.22f).build());
    }

    public static Classification classification() {
        return Classification.newBuilder()
                .setEventId(EVENT_ID).setSourceId("camera-7").setFrameSeq(42L)
                .setClassIndex(3).setClassName("dress").setConfidence(0.61f).setTopK(topK())
                .setStage(Stage.FOCUS).setEta(0.8).setModelVersion("lfvit-fmnist-1")
                .setRegion(region())
                .setTimings(StageTimings.newBuilder().setLocalizationMs(1.5).setFocusMs(4.25).setEndToEndMs(18.0).build())
                .setCaptureTime(CAPTURED).setClassifiedAt(CAPTURED.plusMillis(18))
                .setDegraded(false)
                .setLabel(3)
                .build();
    }

    public static FocusTask focusTask() {
        return FocusTask.newBuilder()
                .setEventId(EVENT_ID).setSourceId("camera-7").setFrameSeq(42L)
                .setModelVersion("lfvit-fmnist-1").setEta(0.8)
                .setRegion(region())
                .setLocalization(LocalizationResult.newBuilder().setClassIndex(3).setConfidence(0.55f).setTopK(topK()).build())
                .setTokens(ByteBuffer.wrap(bytes(49 * 192 * 2)))
                .setTokenShape(List.of(49, 192))
                .setSplitCells(List.of(8, 9, 15, 16, 22))
                .setCoarseCells(List.of(0, 1, 2))
                .setPixels(ByteBuffer.wrap(bytes(22 * 16 * 16)))
                .setPixelShape(List.of(22, 1, 16, 16))
                .setCaptureTime(CAPTURED).setLocalizedAt(CAPTURED.plusMillis(3))
                .setLocalizationMs(1.5)
                .setDeadline(CAPTURED.plusMillis(500))
                .build();
    }

    public static ControlUpdate controlUpdate() {
        return ControlUpdate.newBuilder()
                .setEta(0.75).setM(5).setAlpha(0.88)
                .setSettings(Map.of("batch.max", "64"))
                .setUpdatedAt(CAPTURED).setUpdatedBy("ops")
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReasonCode(DeadLetterReason.BAD_WIRE_FORMAT)
                .setReason("unknown magic byte 7").setStage("decode")
                .setTopic("images").setPartition(2).setOffset(1234L)
                .setTimestamp(CAPTURED).setFailedAt(CAPTURED.plusSeconds(1))
                .setKey(ByteBuffer.wrap("camera-7".getBytes()))
                .setValue(ByteBuffer.wrap(new byte[] {7, 1, 2}))
                .setExceptionClass("io.lfvit.schemas.serde.SchemaSerdeException")
                .build();
    }

    /** Deterministic non-trivial bytes. */
    public static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
