package io.lfvit.schemas.serde;

import io.lfvit.schemas.registry.CachingSchemaRegistryClient;
import io.lfvit.schemas.registry.HttpSchemaRegistryClient;
import io.lfvit.schemas.registry.IncompatibleSchemaException;
import io.lfvit.schemas.registry.InvalidRequestException;
import io.lfvit.schemas.registry.NotFoundException;
import io.lfvit.schemas.registry.RegisteredSchema;
import io.lfvit.schemas.registry.RegistryClientConfig;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.registry.SchemaRegistryException;
import io.lfvit.schemas.serde.SchemaSerdeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer, deserializer and Serde for a generated Avro class in Confluent's wire format,
 * interchangeable with Confluent's {@code SpecificAvroSerde}.
 *
 * <p>Writing: the record's schema is registered under the subject its {@link SubjectNameStrategy}
 * names (or looked up when {@code auto.register.schemas=false}, or the subject's latest schema is
 * used with {@code use.latest.version=true}). Reading: the writer's schema comes from the registry
 * by id (cached) and is resolved to the generated class's schema, so records written by older or
 * newer compatible schemas read fine.
 *
 * <p>Failures are {@link SchemaSerdeException}s with a {@link Reason}: {@link #deserialize} throws
 * them (Kafka's contract), {@link #decode} returns them. Thread-safe once configured.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** A writer schema known by id, with the reader that resolves it to T. */
    private record WriterSchema<T>(Schema schema, SpecificDatumReader<T> reader) {}

    /** Everything {@link #configure} decides, published at once. */
    private record Setup<T>(
            Class<T> type,
            Schema readerSchema,
            SpecificData data,
            SchemaRegistryClient client,
            boolean ownsClient,
            SerdeConfig config,
            boolean isKey,
            SpecificDatumWriter<T> writer,
            Map<Integer, WriterSchema<T>> writerSchemas,
            Map<Schema, SchemaPairCompatibility> latestCanRead) {}

    private final Class<T> type;
    private final SchemaRegistryClient sharedClient;
    private volatile Setup<T> setup;

    /** For Kafka's instantiation by class name: the type comes from {@code specific.avro.(key|value).type}. */
    public ConfluentAvroSerde() {
        this(null, null);
    }

    /** Connects to the registry named by {@code schema.registry.url} when configured. */
    public ConfluentAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** Uses {@code client} (cached here if it is not already), and leaves closing it to the caller. */
    public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.type = type;
        this.sharedClient = client;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.fromMap(configs, isKey);
        Class<T> recordType = type != null ? type : (Class<T>) config.specificType().orElseThrow(() -> new ConfigException(
                "Set " + (isKey ? SerdeConfig.SPECIFIC_AVRO_KEY_TYPE : SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE)
                        + " to the generated Avro class, or construct the serde with it"));
        if (!SpecificRecord.class.isAssignableFrom(recordType)) {
            throw new ConfigException(recordType.getName() + " is not a generated Avro class (SpecificRecord)");
        }
        SchemaRegistryClient client;
        if (sharedClient == null) {
            client = new CachingSchemaRegistryClient(
                    new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(configs)), config.latestCacheTtl());
        } else {
            client = sharedClient instanceof CachingSchemaRegistryClient
                    ? sharedClient
                    : new CachingSchemaRegistryClient(sharedClient, config.latestCacheTtl());
        }
        SpecificData data = SpecificData.getForClass(recordType);
        Schema readerSchema = data.getSchema(recordType);
        Setup<T> previous = setup;
        setup = new Setup<>(recordType, readerSchema, data, client, sharedClient == null, config, isKey,
                new SpecificDatumWriter<>(readerSchema, data), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        if (previous != null && previous.ownsClient()) {
            previous.client().close();
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Setup<T> s = configured();
        Schema schema = record.getSchema();
        String subject = subject(s, topic, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            if (s.config().useLatestVersion()) {
                writeAsLatest(s, topic, subject, record, out);
            } else {
                ConfluentWireFormat.writeHeader(out, registeredId(s, topic, subject, schema));
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                s.writer().write(record, encoder);
                encoder.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SchemaSerdeException serdeError) {
                throw serdeError;
            }
            throw new SchemaSerdeException(Reason.SERIALIZATION_FAILED, topic, SchemaSerdeException.NO_SCHEMA_ID,
                    "cannot encode " + schema.getFullName() + ": " + e, e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Setup<T> s = configured();
        int schemaId = ConfluentWireFormat.schemaId(bytes, topic);
        WriterSchema<T> writer = writerSchema(s, topic, schemaId);
        try {
            checkPayloadFits(writer.schema(), bytes);
            return writer.reader().read(null, payloadDecoder(bytes));
        } catch (IOException | RuntimeException e) {
            throw new SchemaSerdeException(Reason.CORRUPT_PAYLOAD, topic, schemaId,
                    "cannot decode " + (bytes.length - ConfluentWireFormat.HEADER_SIZE) + " payload bytes as "
                            + writer.schema().getFullName() + ": " + e, e);
        }
    }

    /** Like {@link #deserialize} but returns the failure instead of throwing it. */
    public DecodeResult<T> decode(String topic, byte[] bytes) {
        try {
            return new DecodeResult.Success<>(deserialize(topic, bytes));
        } catch (SchemaSerdeException e) {
            return new DecodeResult.Failure<>(e);
        }
    }

    /**
     * Asks the registry now what the first record read from {@code topic} would otherwise wait for: the
     * subject's latest schema, resolved against this serde's type. A service restarted on a backlog then
     * starts on its first record at once instead of after a registry round trip (and, on the first call, the
     * HTTP client's start). Records written with another schema id are looked up when they come, as before.
     *
     * @return empty when prepared, else why not (the subject has no schema yet, the registry is down, the
     *     latest schema cannot be read as this type): the first record then asks, and fails or succeeds, as it
     *     always did
     */
    public Optional<String> prepareToRead(String topic) {
        Setup<T> s = configured();
        String subject = subject(s, topic, s.readerSchema());
        try {
            writerSchema(s, topic, s.client().getLatest(subject).id());
            return Optional.empty();
        } catch (SchemaRegistryException | SchemaSerdeException e) {
            return Optional.of("subject " + subject + ": " + e.getMessage());
        }
    }

    /**
     * Registers (or, with {@code auto.register.schemas=false}, looks up) this type's schema for {@code topic}
     * now, as the first record written would: a service restarted on a backlog then writes its first answers
     * without a registry round trip.
     *
     * @return empty when prepared, else why not: the first record then asks, as it always did
     */
    public Optional<String> prepareToWrite(String topic) {
        Setup<T> s = configured();
        String subject = subject(s, topic, s.readerSchema());
        try {
            if (s.config().useLatestVersion()) {
                s.client().getLatest(subject);
            } else {
                registeredId(s, topic, subject, s.readerSchema());
            }
            return Optional.empty();
        } catch (SchemaRegistryException | SchemaSerdeException e) {
            return Optional.of("subject " + subject + ": " + e.getMessage());
        }
    }

    private static String subject(Setup<?> s, String topic, Schema schema) {
        return s.config().subjectNameStrategy().subjectName(topic, s.isKey(), schema);
    }

    /** The registry client in use (shared or created from the configuration). */
    public SchemaRegistryClient client() {
        return configured().client();
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void close() {
        Setup<T> s = setup;
        if (s != null && s.ownsClient()) {
            s.client().close();
        }
    }

    private Setup<T> configured() {
        Setup<T> s = setup;
        if (s == null) {
            throw new IllegalStateException("ConfluentAvroSerde used before configure()");
        }
        return s;
    }

    private int registeredId(Setup<T> s, String topic, String subject, Schema schema) {
        try {
            Schema registered = RegistryForm.of(schema);
            return s.config().autoRegisterSchemas()
                    ? s.client().register(subject, registered)
                    : s.client().lookup(subject, registered).id();
        } catch (SchemaRegistryException e) {
            throw registryFailure(topic, SchemaSerdeException.NO_SCHEMA_ID, "subject " + subject, e);
        }
    }

    /**
     * Writes with the subject's latest schema. When it differs from the record's own, the record is
     * re-encoded through Avro schema resolution, which is exact when the latest schema can read it.
     */
    private void writeAsLatest(Setup<T> s, String topic, String subject, T record, ByteArrayOutputStream out)
            throws IOException {
        RegisteredSchema latest;
        try {
            latest = s.client().getLatest(subject);
        } catch (SchemaRegistryException e) {
            throw registryFailure(topic, SchemaSerdeException.NO_SCHEMA_ID, "latest version of subject " + subject, e);
        }
        ConfluentWireFormat.writeHeader(out, latest.id());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        if (latest.schema().equals(RegistryForm.of(record.getSchema()))) {
            s.writer().write(record, encoder);
        } else {
            SchemaPairCompatibility check = s.latestCanRead().computeIfAbsent(latest.schema(),
                    latestSchema -> SchemaCompatibility.checkReaderWriterCompatibility(latestSchema, s.readerSchema()));
            if (check.getType() != SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaSerdeException(Reason.INCOMPATIBLE_SCHEMA, topic, latest.id(), "the latest schema of subject "
                        + subject + " cannot represent " + s.type().getName() + ": " + check.getDescription(), null);
            }
            ByteArrayOutputStream own = new ByteArrayOutputStream(256);
            BinaryEncoder ownEncoder = EncoderFactory.get().binaryEncoder(own, null);
            s.writer().write(record, ownEncoder);
            ownEncoder.flush();
            Object resolved = new GenericDatumReader<>(s.readerSchema(), latest.schema(), GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
            new GenericDatumWriter<>(latest.schema(), GenericData.get()).write(resolved, encoder);
        }
        encoder.flush();
    }

    private WriterSchema<T> writerSchema(Setup<T> s, String topic, int schemaId) {
        WriterSchema<T> known = s.writerSchemas().get(schemaId);
        if (known != null) {
            return known;
        }
        Schema writer;
        try {
            writer = s.client().getById(schemaId);
        } catch (SchemaRegistryException e) {
            throw registryFailure(topic, schemaId, "schema id " + schemaId, e);
        }
        SchemaPairCompatibility check = SchemaCompatibility.checkReaderWriterCompatibility(s.readerSchema(), writer);
        if (check.getType() != SchemaCompatibilityType.COMPATIBLE) {
            throw new SchemaSerdeException(Reason.INCOMPATIBLE_SCHEMA, topic, schemaId, "records written with "
                    + writer.getFullName() + " cannot be read as " + s.type().getName() + ": " + check.getDescription(), null);
        }
        WriterSchema<T> resolved = new WriterSchema<>(writer, new SpecificDatumReader<>(writer, s.readerSchema(), s.data()));
        s.writerSchemas().put(schemaId, resolved);
        return resolved;
    }

    /**
     * Walks the payload without materializing it. Avro allocates a declared string, bytes or array
     * length before reading it, so a corrupt length could demand gigabytes; skipping allocates
     * nothing and proves every length fits the input. Also refuses trailing bytes.
     */
    private static void checkPayloadFits(Schema writer, byte[] bytes) throws IOException {
        BinaryDecoder decoder = payloadDecoder(bytes);
        GenericDatumReader.skip(writer, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("trailing bytes after the record");
        }
    }

    private static BinaryDecoder payloadDecoder(byte[] bytes) {
        return DecoderFactory.get().binaryDecoder(bytes, ConfluentWireFormat.HEADER_SIZE,
                bytes.length - ConfluentWireFormat.HEADER_SIZE, null);
    }

    private static SchemaSerdeException registryFailure(String topic, int schemaId, String what, SchemaRegistryException e) {
        Reason reason;
        if (e instanceof NotFoundException) {
            reason = Reason.UNKNOWN_SCHEMA;
        } else if (e instanceof IncompatibleSchemaException) {
            reason = Reason.INCOMPATIBLE_SCHEMA;
        } else if (e instanceof InvalidRequestException) {
            reason = Reason.SERIALIZATION_FAILED;
        } else {
            reason = Reason.REGISTRY_UNAVAILABLE;
        }
        return new SchemaSerdeException(reason, topic, schemaId, what + ": " + e.getMessage(), e);
    }
}
