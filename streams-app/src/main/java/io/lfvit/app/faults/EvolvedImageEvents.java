package io.lfvit.app.faults;

import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.serde.ConfluentWireFormat;
import io.lfvit.schemas.serde.RegistryForm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A producer's newer version of ImageEvent: the shipped schema plus optional fields it adds (a
 * backward-compatible change), registered as a new version of the images subject. Its records carry the
 * new schema id, which the localizer has never seen and must fetch from the registry.
 */
final class EvolvedImageEvents {
    private final Schema schema;
    private final int id;

    /** Registers ImageEvent plus {@code extraFields} (optional strings) under {@code subject}. */
    EvolvedImageEvents(SchemaRegistryClient registry, String subject, String... extraFields) {
        Schema base = ImageEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        Schema optionalString = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        for (String name : extraFields) {
            fields.add(new Schema.Field(name, optionalString, "added by a newer producer", JsonProperties.NULL_VALUE));
        }
        this.schema = RegistryForm.of(Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields));
        this.id = registry.register(subject, schema);
    }

    int id() {
        return id;
    }

    /** {@code event} in Confluent's wire format under the new schema, the added fields set to {@code value}. */
    byte[] encode(ImageEvent event, String value) {
        try {
            ByteArrayOutputStream own = new ByteArrayOutputStream();
            BinaryEncoder ownEncoder = EncoderFactory.get().binaryEncoder(own, null);
            new SpecificDatumWriter<ImageEvent>(ImageEvent.getClassSchema()).write(event, ownEncoder);
            ownEncoder.flush();
            GenericRecord evolved = new GenericDatumReader<GenericRecord>(RegistryForm.of(ImageEvent.getClassSchema()), schema)
                    .read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
            for (Schema.Field f : schema.getFields()) {
                if (ImageEvent.getClassSchema().getField(f.name()) == null) {
                    evolved.put(f.name(), value);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ConfluentWireFormat.writeHeader(out, id);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(evolved, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
