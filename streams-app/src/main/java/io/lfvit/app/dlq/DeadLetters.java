package io.lfvit.app.dlq;

import io.lfvit.app.batch.InputRecord;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;

/** Builds dead letters (bakdata's convention: the reason, the step, and the original record untouched). */
public final class DeadLetters {
    private DeadLetters() {}

    public static DeadLetter of(InputRecord in, DeadLetterReason reason, String detail, String stage, UUID eventId,
            Throwable cause, long nowMs) {
        return DeadLetter.newBuilder()
                .setReasonCode(reason)
                .setReason(detail == null ? reason.name() : detail)
                .setStage(stage)
                .setTopic(in.topic())
                .setPartition(in.partition())
                .setOffset(in.offset())
                .setTimestamp(in.timestamp() >= 0 ? Instant.ofEpochMilli(in.timestamp()) : null)
                .setFailedAt(Instant.ofEpochMilli(nowMs))
                .setKey(in.key() == null ? null : ByteBuffer.wrap(in.key()))
                .setValue(in.value() == null ? null : ByteBuffer.wrap(in.value()))
                .setEventId(eventId)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .build();
    }
}
