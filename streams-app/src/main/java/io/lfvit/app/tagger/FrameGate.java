package io.lfvit.app.tagger;

import io.lfvit.app.batch.InputRecord;
import io.lfvit.app.dlq.DeadLetters;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import io.lfvit.schemas.serde.DecodeResult;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * In front of the windowed aggregation: decodes each answer (dead-letters what does not decode, or has no
 * source key), and decides, with the same rule as Kafka Streams' window aggregation (a window takes a
 * record while {@code end + grace > stream time}), whether its window is still open. A record past that is
 * counted in {@code lfvit_tagger_late_dropped} and not forwarded, so no frame disappears uncounted inside
 * Kafka Streams; one whose window has ended but is within grace is forwarded flagged late.
 *
 * <p>Stream time is the task's (the largest capture time seen on the partition), which is never behind
 * the aggregation's own, so whatever passes here the aggregation takes.
 */
final class FrameGate implements FixedKeyProcessor<String, byte[], GateResult> {
    static final String STAGE = "tagger";

    private final ConfluentAvroSerde<Classification> serde;
    private final long windowMs;
    private final long graceMs;
    private final TaggerMetrics metrics;
    private FixedKeyProcessorContext<String, GateResult> context;

    FrameGate(ConfluentAvroSerde<Classification> serde, long windowMs, long graceMs, TaggerMetrics metrics) {
        this.serde = serde;
        this.windowMs = windowMs;
        this.graceMs = graceMs;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, GateResult> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        long now = System.currentTimeMillis();
        if (record.value() == null) {
            dead(record, DeadLetterReason.CORRUPT_PAYLOAD, "null value (tombstone) on the classifications topic", null, now);
            return;
        }
        DecodeResult<Classification> decoded = serde.decode(topic(), record.value());
        if (decoded instanceof DecodeResult.Failure<Classification> failure) {
            dead(record, failure.error().deadLetterReason(), failure.error().getMessage(), failure.error(), now);
            return;
        }
        Classification answer = ((DecodeResult.Success<Classification>) decoded).value();
        if (record.key() == null || record.key().isEmpty()) {
            dead(record, DeadLetterReason.OTHER, "classification without a source key (event " + answer.getEventId() + ")",
                    null, now);
            return;
        }
        long windowEnd = windowStart(record.timestamp(), windowMs) + windowMs;
        long streamTime = context.currentStreamTimeMs();
        if (windowEnd + graceMs <= streamTime) {
            metrics.lateDropped(record.key());
            return;
        }
        boolean late = windowEnd <= streamTime;
        if (late) {
            metrics.lateAccepted(record.key());
        }
        metrics.frame();
        context.forward(record.withValue(GateResult.answer(answer, late)));
    }

    /** Start of the tumbling window holding {@code timestampMs} (as Kafka Streams' TimeWindows computes it). */
    static long windowStart(long timestampMs, long windowMs) {
        return timestampMs - Math.floorMod(timestampMs, windowMs);
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("classifications");
    }

    private void dead(FixedKeyRecord<String, byte[]> record, DeadLetterReason reason, String detail, Throwable cause,
            long now) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        InputRecord in = new InputRecord(meta == null ? "classifications" : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.timestamp(),
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(), now);
        metrics.deadLetter();
        context.forward(record.withValue(GateResult.dead(DeadLetters.of(in, reason, detail, STAGE, null, cause, now))));
    }
}
