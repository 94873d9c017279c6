package io.lfvit.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lfvit.schemas.SampleRecords;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.RegistryPerTest;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writers on other schema versions, read by the generated classes through the registry. */
class EvolutionTest {
    @RegisterExtension
    final RegistryPerTest registry = new RegistryPerTest();

    @Test
    void oldImageEventWithoutLabelReadsWithNullLabel() {
        Schema v1 = AvroFrames.withoutFields(ImageEvent.getClassSchema(), "label");
        int v1Id = registry.client().register("images-value", v1);
        byte[] oldBytes = AvroFrames.frame(v1Id, v1, AvroFrames.asVersion(SampleRecords.imageEvent(), v1));

        ImageEvent read = serde(ImageEvent.class).deserialize("images", oldBytes);

        ImageEvent expected = SampleRecords.imageEvent();
        expected.setLabel(null);
        assertEquals(expected, read);
    }

    @Test
    void oldClassificationWithoutDegradedFlagReadsAsNotDegraded() {
        Schema v1 = AvroFrames.withoutFields(Classification.getClassSchema(), "degraded", "degraded_reason");
        int v1Id = registry.client().register("classifications-value", v1);
        byte[] oldBytes = AvroFrames.frame(v1Id, v1, AvroFrames.asVersion(SampleRecords.classification(), v1));

        Classification read = serde(Classification.class).deserialize("classifications", oldBytes);

        assertFalse(read.getDegraded());
        assertNull(read.getDegradedReason());
        assertEquals(SampleRecords.classification(), read);
    }

    @Test
    void registryAcceptsTheCurrentSchemaAfterTheOldOneUnderBackwardCompatibility() {
        Schema v1 = AvroFrames.withoutFields(ImageEvent.getClassSchema(), "label");
        int v1Id = registry.client().register("images-value", v1);

        byte[] newBytes = serde(ImageEvent.class).serialize("images", SampleRecords.imageEvent());

        int newId = ConfluentWireFormat.schemaId(newBytes, "images");
        assertNotEquals(v1Id, newId);
        assertEquals(newId, registry.client().getLatest("images-value").id());
        assertEquals(2, registry.client().getLatest("images-value").version());
    }

    @Test
    void newerWriterWithAnExtraFieldReadsWithoutIt() {
        Schema v3 = AvroFrames.withField(ImageEvent.getClassSchema(),
                new Schema.Field("exposure_ms", Schema.create(Schema.Type.DOUBLE), "Exposure time.", 0.0));
        int v3Id = registry.client().register("images-value", v3);
        GenericRecord newer = AvroFrames.asVersion(SampleRecords.imageEvent(), v3);
        newer.put("exposure_ms", 8.5);

        ImageEvent read = serde(ImageEvent.class).deserialize("images", AvroFrames.frame(v3Id, v3, newer));

        assertEquals(SampleRecords.imageEvent(), read);
    }

    @Test
    void deadLetterWithAReasonCodeThisReaderDoesNotKnowReadsAsOther() {
        java.util.List<String> known = DeadLetterReason.getClassSchema().getEnumSymbols();
        String last = "\"" + known.get(known.size() - 1) + "\"]";
        Schema newer = new Schema.Parser().parse(DeadLetter.getClassSchema().toString()
                .replace(last, last.replace("]", ",\"GPU_ON_FIRE\"]")));
        int newerId = registry.client().register("dead-letters-value", newer);
        GenericRecord letter = AvroFrames.asVersion(SampleRecords.deadLetter(), newer);
        letter.put("reason_code", new GenericData.EnumSymbol(newer.getField("reason_code").schema(), "GPU_ON_FIRE"));

        DeadLetter read = serde(DeadLetter.class).deserialize("dead-letters", AvroFrames.frame(newerId, newer, letter));

        assertEquals(DeadLetterReason.OTHER, read.getReasonCode());
        assertEquals(SampleRecords.deadLetter().getReason(), read.getReason());
    }

    private <T extends org.apache.avro.specific.SpecificRecord> ConfluentAvroSerde<T> serde(Class<T> type) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, registry.client());
        serde.configure(Map.of(), false);
        return serde;
    }
}
