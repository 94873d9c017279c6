package io.lfvit.schemas.serde;

import io.lfvit.schemas.avro.DeadLetterReason;
import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Why a record could not be serialized or deserialized, typed so that the application can route it
 * to the dead-letter topic with {@link #deadLetterReason()}. As a Kafka
 * {@link SerializationException} it also reaches Kafka Streams' deserialization exception handler.
 */
public class SchemaSerdeException extends SerializationException {

    /** What went wrong; each name is also a {@link DeadLetterReason} symbol. */
    public enum Reason {
        /** Not the Confluent framing: shorter than 5 bytes or the first byte is not 0. */
        BAD_WIRE_FORMAT,
        /** The schema id is unknown to the registry, or a schema is not registered and may not be. */
        UNKNOWN_SCHEMA,
        /** The writer's schema cannot be read as the expected type, or the registry refused a schema. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro payload is truncated, has trailing bytes or does not decode. */
        CORRUPT_PAYLOAD,
        /** The registry did not answer (down, timing out, refusing our credentials). */
        REGISTRY_UNAVAILABLE,
        /** The record could not be encoded (e.g. a required field is null). */
        SERIALIZATION_FAILED;

        public DeadLetterReason deadLetterReason() {
            return DeadLetterReason.valueOf(name());
        }
    }

    /** Marks "no schema id known" (the bytes failed before one could be read). */
    static final int NO_SCHEMA_ID = -1;

    private final Reason reason;
    private final String topic;
    private final int schemaId;

    public SchemaSerdeException(Reason reason, String topic, int schemaId, String message, Throwable cause) {
        super("[" + reason + "] topic " + topic + (schemaId == NO_SCHEMA_ID ? "" : ", schema id " + schemaId) + ": " + message, cause);
        this.reason = reason;
        this.topic = topic;
        this.schemaId = schemaId;
    }

    public Reason reason() {
        return reason;
    }

    public DeadLetterReason deadLetterReason() {
        return reason.deadLetterReason();
    }

    public String topic() {
        return topic;
    }

    /** The schema id of the record, when its header could be read. */
    public OptionalInt schemaId() {
        return schemaId == NO_SCHEMA_ID ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
