package io.lfvit.app.tagger;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import io.lfvit.schemas.serde.DecodeResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of the tagger = the frame's capture time, read from the Classification itself (the record's
 * own timestamp is when some stage wrote it). A record that does not decode keeps the partition's
 * current stream time, so it neither advances nor closes any window; the gate then dead-letters it.
 */
final class CaptureTimeExtractor implements TimestampExtractor {
    private final ConfluentAvroSerde<Classification> serde;

    CaptureTimeExtractor(ConfluentAvroSerde<Classification> serde) {
        this.serde = serde;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof byte[] bytes
                && serde.decode(record.topic(), bytes) instanceof DecodeResult.Success<Classification> ok
                && ok.value() != null && ok.value().getCaptureTime().toEpochMilli() >= 0) {
            return ok.value().getCaptureTime().toEpochMilli();
        }
        return Math.max(0, partitionTime);
    }
}
