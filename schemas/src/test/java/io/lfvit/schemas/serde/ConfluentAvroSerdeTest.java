package io.lfvit.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.SampleRecords;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.registry.embedded.RegistryPerTest;
import io.lfvit.schemas.serde.SchemaSerdeException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfluentAvroSerdeTest {
    @RegisterExtension
    final RegistryPerTest registry = new RegistryPerTest();

    static Stream<SpecificRecord> everyContract() {
        return Stream.of(SampleRecords.imageEvent(), SampleRecords.classification(), SampleRecords.focusTask(),
                SampleRecords.controlUpdate(), SampleRecords.deadLetter());
    }

    @ParameterizedTest
    @MethodSource("everyContract")
    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> void everyContractRoundTripsThroughTheRegistry(T record) {
        ConfluentAvroSerde<T> serde = serde((Class<T>) record.getClass(), Map.of(), false);
        byte[] bytes = serde.serialize("topic", record);
        assertEquals(record, serde.deserialize("topic", bytes));
        assertEquals(List.of("topic-value"), registry.client().getSubjects());
        assertEquals(RegistryForm.of(record.getSchema()), registry.client().getLatest("topic-value").schema());
    }

    @Test
    void preparedSerdesMeetTheirFirstRecordWithoutAskingTheRegistry() {
        List<String> calls = new ArrayList<>();
        SchemaRegistryClient counted = (SchemaRegistryClient) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(registry.client(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ConfluentAvroSerde<ImageEvent> reader = new ConfluentAvroSerde<>(ImageEvent.class, counted);
        reader.configure(Map.of(), false);
        assertTrue(reader.prepareToRead("images").orElseThrow().contains("images-value"), "nothing registered yet");

        ConfluentAvroSerde<ImageEvent> writer = new ConfluentAvroSerde<>(ImageEvent.class, counted);
        writer.configure(Map.of(), false);
        assertEquals(Optional.empty(), writer.prepareToWrite("images"));
        assertEquals(List.of("images-value"), registry.client().getSubjects(), "registered as the first record would");
        assertEquals(Optional.empty(), reader.prepareToRead("images"));

        calls.clear();
        byte[] bytes = writer.serialize("images", SampleRecords.imageEvent());
        assertEquals(SampleRecords.imageEvent(), reader.deserialize("images", bytes));
        assertEquals(List.of(), calls, "the first record written and read asked the registry nothing");
    }

    @Test
    void nullIsATombstoneBothWays() {
        ConfluentAvroSerde<ControlUpdate> serde = serde(ControlUpdate.class, Map.of(), false);
        assertNull(serde.serialize("control", null));
        assertNull(serde.deserialize("control", null));
    }

    @Test
    void subjectStrategiesNameSubjectsLikeConfluent() {
        serde(ImageEvent.class, Map.of(), true).serialize("images", SampleRecords.imageEvent());
        serde(ImageEvent.class, Map.of(), false).serialize("images", SampleRecords.imageEvent());
        serde(ImageEvent.class, Map.of("value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false).serialize("a", SampleRecords.imageEvent());
        serde(ImageEvent.class, Map.of("value.subject.name.strategy", TopicRecordNameStrategy.class), false)
                .serialize("b", SampleRecords.imageEvent());
        serde(ImageEvent.class, Map.of("key.subject.name.strategy", UpperCaseTopicStrategy.class.getName()), true)
                .serialize("c", SampleRecords.imageEvent());

        assertEquals(List.of("C", "b-io.lfvit.schemas.avro.ImageEvent", "images-key", "images-value",
                "io.lfvit.schemas.avro.ImageEvent"), registry.client().getSubjects().stream().sorted().toList());
    }

    /** A custom strategy, loaded by class name. */
    public static final class UpperCaseTopicStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic.toUpperCase();
        }
    }

    @Test
    void unknownStrategyClassIsAConfigError() {
        assertThrows(ConfigException.class,
                () -> serde(ImageEvent.class, Map.of("value.subject.name.strategy", "com.example.Missing"), false));
        assertThrows(ConfigException.class,
                () -> serde(ImageEvent.class, Map.of("value.subject.name.strategy", String.class.getName()), false));
    }

    @Test
    void withAutoRegisterOffTheRegisteredIdIsLookedUp() {
        int id = registry.client().register("images-value", RegistryForm.of(ImageEvent.getClassSchema()));
        byte[] bytes = serde(ImageEvent.class, Map.of("auto.register.schemas", false), false)
                .serialize("images", SampleRecords.imageEvent());
        assertEquals(id, ConfluentWireFormat.schemaId(bytes, "images"));
    }

    @Test
    void useLatestVersionWritesTheLatestSchemaWhenItCanRepresentTheRecord() throws Exception {
        Schema older = AvroFrames.withoutFields(ImageEvent.getClassSchema(), "label");
        int olderId = registry.client().register("images-value", older);
        ConfluentAvroSerde<ImageEvent> serde = serde(ImageEvent.class,
                Map.of("auto.register.schemas", "false", "use.latest.version", "true"), false);

        byte[] bytes = serde.serialize("images", SampleRecords.imageEvent());

        assertEquals(olderId, ConfluentWireFormat.schemaId(bytes, "images"));
        GenericRecord written = new GenericDatumReader<GenericRecord>(older, older, GenericData.get()).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertEquals(AvroFrames.asVersion(SampleRecords.imageEvent(), older), written);
        ImageEvent expected = SampleRecords.imageEvent();
        expected.setLabel(null);
        assertEquals(expected, serde.deserialize("images", bytes));
    }

    @Test
    void useLatestVersionRefusesALatestSchemaThatCannotRepresentTheRecord() {
        Schema stricter = AvroFrames.withField(ImageEvent.getClassSchema(),
                new Schema.Field("exposure_ms", Schema.create(Schema.Type.DOUBLE), "Required, no default."));
        registry.client().register("images-value", stricter);
        ConfluentAvroSerde<ImageEvent> serde = serde(ImageEvent.class, Map.of("use.latest.version", "true"), false);

        SchemaSerdeException error = assertThrows(SchemaSerdeException.class,
                () -> serde.serialize("images", SampleRecords.imageEvent()));
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, error.reason());
    }

    @Test
    void kafkaCanInstantiateTheSerdeByClassNameAndConfigureItOverHttp() {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", registry.url());
        config.put("specific.avro.value.type", ImageEvent.class.getName());
        try (ConfluentAvroSerde<ImageEvent> serde = new ConfluentAvroSerde<>()) {
            serde.configure(config, false);
            byte[] bytes = serde.serialize("images", SampleRecords.imageEvent());
            assertEquals(SampleRecords.imageEvent(), serde.deserialize("images", bytes));
        }
        assertEquals(List.of("images-value"), registry.client().getSubjects());
    }

    @Test
    void withoutATypeTheSerdeRefusesToConfigure() {
        assertThrows(ConfigException.class, () -> new ConfluentAvroSerde<ImageEvent>().configure(Map.of(), false));
    }

    @Test
    void serdesFromOneFactoryShareOneCachingClient() {
        try (AvroSerdes serdes = new AvroSerdes(registry.client(), Map.of())) {
            ConfluentAvroSerde<ImageEvent> writer = serdes.value(ImageEvent.class);
            Serde<ImageEvent> reader = serdes.value(ImageEvent.class);
            assertSame(serdes.client(), writer.client());
            byte[] bytes = writer.serializer().serialize("images", SampleRecords.imageEvent());
            assertEquals(SampleRecords.imageEvent(), reader.deserializer().deserialize("images", bytes));
            assertArrayEquals(bytes, serdes.key(ImageEvent.class).serialize("images", SampleRecords.imageEvent()),
                    "key and value subjects get the same global id for the same schema");
        }
    }

    private <T extends SpecificRecord> ConfluentAvroSerde<T> serde(Class<T> type, Map<String, ?> config, boolean isKey) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, registry.client());
        serde.configure(config, isKey);
        return serde;
    }
}
