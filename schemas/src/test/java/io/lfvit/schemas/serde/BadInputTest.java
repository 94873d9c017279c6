package io.lfvit.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.SampleRecords;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.LocalizationResult;
import io.lfvit.schemas.avro.TopKEntry;
import io.lfvit.schemas.registry.embedded.RegistryPerTest;
import io.lfvit.schemas.serde.SchemaSerdeException.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad input ends in a typed SchemaSerdeException, never in another exception or a silent null. */
class BadInputTest {
    private static final HexFormat HEX = HexFormat.of();

    @RegisterExtension
    final RegistryPerTest registry = new RegistryPerTest();

    private ConfluentAvroSerde<ImageEvent> images;

    @BeforeEach
    void createSerde() {
        images = serde(ImageEvent.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "00000001", "0100000001060000", "ff0000000106"})
    void wrongFramingIsBadWireFormat(String hex) {
        SchemaSerdeException error = failure(images, HEX.parseHex(hex));
        assertEquals(Reason.BAD_WIRE_FORMAT, error.reason());
        assertEquals(OptionalInt.empty(), error.schemaId());
    }

    @Test
    void unknownSchemaIdIsUnknownSchema() {
        SchemaSerdeException error = failure(images, HEX.parseHex("00000003e7" + "0600"));
        assertEquals(Reason.UNKNOWN_SCHEMA, error.reason());
        assertEquals(OptionalInt.of(999), error.schemaId());
    }

    @Test
    void truncatedPayloadIsCorrupt() {
        byte[] valid = images.serialize("images", SampleRecords.imageEvent());
        for (int cut : new int[] {1, 10, valid.length / 2, valid.length - 6}) {
            assertEquals(Reason.CORRUPT_PAYLOAD, failure(images, Arrays.copyOf(valid, valid.length - cut)).reason(), "cut " + cut);
        }
    }

    @Test
    void trailingBytesAreCorrupt() {
        byte[] valid = images.serialize("images", SampleRecords.imageEvent());
        assertEquals(Reason.CORRUPT_PAYLOAD, failure(images, Arrays.copyOf(valid, valid.length + 1)).reason());
    }

    @Test
    void hugeDeclaredLengthsFailFastWithoutAllocating() {
        int topKId = registry.client().register("t-value", TopKEntry.getClassSchema());
        int localizationId = registry.client().register("l-value", LocalizationResult.getClassSchema());
        // class_name: union branch 1, then a string "of" 1,000,000,000 bytes (zig-zag varint 80a8d6b907)
        byte[] hugeString = HEX.parseHex(header(topKId) + "06" + "02" + "80a8d6b907" + "0000003f");
        // top_k: an array "of" 2,147,483,639 entries (Avro's own limit), whose Object[] alone would not fit the heap
        byte[] hugeArray = HEX.parseHex(header(localizationId) + "06" + "0000003f" + "eeffffff0f");

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(Reason.CORRUPT_PAYLOAD, failure(serde(TopKEntry.class), hugeString).reason());
            assertEquals(Reason.CORRUPT_PAYLOAD, failure(serde(LocalizationResult.class), hugeArray).reason());
        });
    }

    @Test
    void outOfRangeUnionBranchAndEnumSymbolAreCorrupt() {
        int topKId = registry.client().register("t-value", TopKEntry.getClassSchema());
        assertEquals(Reason.CORRUPT_PAYLOAD,
                failure(serde(TopKEntry.class), HEX.parseHex(header(topKId) + "06" + "0a" + "0000003f")).reason());

        byte[] valid = images.serialize("images", SampleRecords.imageEvent());
        // encoding is the first byte after event_id (36-char string), source_id ("camera-7"), frame_seq and capture_time
        int encodingAt = 5 + 1 + 36 + 1 + 8 + 1 + 6;
        assertEquals(4, valid[encodingAt], "RAW is symbol 2, zig-zag 4");
        valid[encodingAt] = 14;
        assertEquals(Reason.CORRUPT_PAYLOAD, failure(images, valid).reason());
    }

    @Test
    void eventIdThatIsNotAUuidIsCorrupt() {
        int id = registry.client().register("images-value", ImageEvent.getClassSchema());
        GenericRecord event = AvroFrames.asVersion(SampleRecords.imageEvent(), ImageEvent.getClassSchema());
        event.put("event_id", "not-a-uuid");
        assertEquals(Reason.CORRUPT_PAYLOAD, failure(images, AvroFrames.frame(id, ImageEvent.getClassSchema(), event)).reason());
    }

    @Test
    void recordOfAnotherTypeIsIncompatibleSchema() {
        byte[] image = images.serialize("images", SampleRecords.imageEvent());
        SchemaSerdeException error = failure(serde(Classification.class), image);
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, error.reason());
        assertTrue(error.getMessage().contains("ImageEvent"), error.getMessage());
    }

    @Test
    void registryDownIsRegistryUnavailableOnReadAndWrite() throws IOException {
        byte[] valid = images.serialize("images", SampleRecords.imageEvent());
        ConfluentAvroSerde<ImageEvent> offline = AvroSerdes.forClass(ImageEvent.class, Map.of(
                "schema.registry.url", "http://127.0.0.1:" + closedPort(),
                "max.retries", "1", "retries.wait.ms", "10"), false);

        assertEquals(Reason.REGISTRY_UNAVAILABLE, failure(offline, valid).reason());
        SchemaSerdeException writeError = assertThrows(SchemaSerdeException.class,
                () -> offline.serialize("images", SampleRecords.imageEvent()));
        assertEquals(Reason.REGISTRY_UNAVAILABLE, writeError.reason());
        offline.close();
    }

    @Test
    void recordMissingARequiredFieldFailsToSerialize() {
        ImageEvent event = SampleRecords.imageEvent();
        event.setSourceId(null);
        SchemaSerdeException error = assertThrows(SchemaSerdeException.class, () -> images.serialize("images", event));
        assertEquals(Reason.SERIALIZATION_FAILED, error.reason());
    }

    @Test
    void notRegisteredWithAutoRegisterOffIsUnknownSchema() {
        ConfluentAvroSerde<ImageEvent> strict = new ConfluentAvroSerde<>(ImageEvent.class, registry.client());
        strict.configure(Map.of("auto.register.schemas", "false"), false);
        SchemaSerdeException error = assertThrows(SchemaSerdeException.class,
                () -> strict.serialize("images", SampleRecords.imageEvent()));
        assertEquals(Reason.UNKNOWN_SCHEMA, error.reason());
    }

    @Test
    void decodeReturnsFailuresInsteadOfThrowing() {
        byte[] valid = images.serialize("images", SampleRecords.imageEvent());
        assertEquals(new DecodeResult.Success<>(SampleRecords.imageEvent()), images.decode("images", valid));
        assertEquals(new DecodeResult.Success<ImageEvent>(null), images.decode("images", null));
        DecodeResult<ImageEvent> bad = images.decode("images", new byte[] {1, 2, 3, 4, 5, 6});
        assertEquals(Reason.BAD_WIRE_FORMAT, assertInstanceOf(DecodeResult.Failure.class, bad).error().reason());
        assertNull(images.deserialize("images", null));
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonIsADeadLetterReasonAndAKafkaSerializationException(Reason reason) {
        SchemaSerdeException error = new SchemaSerdeException(reason, "images", 7, "detail", null);
        assertEquals(DeadLetterReason.valueOf(reason.name()), error.deadLetterReason());
        assertInstanceOf(SerializationException.class, error);
        assertTrue(error.getMessage().contains("images") && error.getMessage().contains("schema id 7"), error.getMessage());
    }

    private static SchemaSerdeException failure(ConfluentAvroSerde<?> serde, byte[] bytes) {
        SchemaSerdeException thrown = assertThrows(SchemaSerdeException.class, () -> serde.deserialize("images", bytes));
        DecodeResult<?> result = serde.decode("images", bytes);
        assertEquals(thrown.reason(), assertInstanceOf(DecodeResult.Failure.class, result).error().reason());
        return thrown;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> ConfluentAvroSerde<T> serde(Class<T> type) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, registry.client());
        serde.configure(Map.of(), false);
        return serde;
    }

    private static String header(int schemaId) {
        return String.format("00%08x", schemaId);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
