package io.lfvit.app.dlq;

import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.serde.ConfluentWireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The event id of a record that is refused before it is decoded (an oversize image), so that its dead
 * letter names the event. Reads the Confluent header and, with the writer schema from the registry
 * client (cached after the first record of a schema id), walks the Avro fields up to {@code event_id}:
 * the fields before it are skipped, not read (in our ImageEvent it is the first field), and the image
 * bytes are never touched. Anything unexpected gives null: the dead letter then has no id, as before.
 */
public final class EventIdPeek {
    /** A UUID's text form is 36 characters: a longer declared length is not an event id. */
    private static final int MAX_ID_BYTES = 64;

    private final SchemaRegistryClient registry;

    public EventIdPeek(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    public UUID eventId(byte[] value) {
        if (value == null || value.length <= ConfluentWireFormat.HEADER_SIZE || value[0] != ConfluentWireFormat.MAGIC_BYTE) {
            return null;
        }
        try {
            Schema writer = registry.getById(ByteBuffer.wrap(value, 1, 4).getInt());
            if (writer.getType() != Schema.Type.RECORD) {
                return null;
            }
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, ConfluentWireFormat.HEADER_SIZE,
                    value.length - ConfluentWireFormat.HEADER_SIZE, null);
            for (Schema.Field field : writer.getFields()) {
                if (field.name().equals("event_id")) {
                    if (field.schema().getType() != Schema.Type.STRING) {
                        return null;
                    }
                    long length = in.readLong();
                    if (length < 0 || length > MAX_ID_BYTES) {
                        return null;
                    }
                    byte[] id = new byte[(int) length];
                    in.readFixed(id);
                    return UUID.fromString(new String(id, StandardCharsets.UTF_8));
                }
                GenericDatumReader.skip(field.schema(), in); // lengths only: nothing is allocated
            }
        } catch (IOException | RuntimeException unreadable) {
            // no registry, an unknown schema id, a corrupt header: the dead letter goes without the id
        }
        return null;
    }
}
