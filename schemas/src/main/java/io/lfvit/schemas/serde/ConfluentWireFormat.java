package io.lfvit.schemas.serde;

import io.lfvit.schemas.serde.SchemaSerdeException.Reason;
import java.io.ByteArrayOutputStream;

/**
 * Confluent's framing of a serialized record: magic byte 0, the writer schema's registry id as a
 * 4-byte big-endian int, then the Avro binary encoding of the record.
 */
public final class ConfluentWireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {}

    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** The schema id of a framed record; BAD_WIRE_FORMAT when the framing is wrong. */
    public static int schemaId(byte[] message, String topic) {
        if (message.length < HEADER_SIZE) {
            throw new SchemaSerdeException(Reason.BAD_WIRE_FORMAT, topic, SchemaSerdeException.NO_SCHEMA_ID,
                    message.length + " bytes, shorter than the " + HEADER_SIZE + "-byte header", null);
        }
        if (message[0] != MAGIC_BYTE) {
            throw new SchemaSerdeException(Reason.BAD_WIRE_FORMAT, topic, SchemaSerdeException.NO_SCHEMA_ID,
                    "unknown magic byte " + (message[0] & 0xff) + " (expected 0)", null);
        }
        return (message[1] & 0xff) << 24 | (message[2] & 0xff) << 16 | (message[3] & 0xff) << 8 | (message[4] & 0xff);
    }
}
