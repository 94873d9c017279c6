package io.lfvit.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.SampleRecords;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** What a client in another language registers from our .avsc is what our serde registers: one id. */
class RegistryFormTest {

    @Test
    void theGeneratedSchemaLosesOnlyItsJavaStringProperty() {
        Schema generated = Classification.getClassSchema();
        assertTrue(generated.toString().contains(RegistryForm.JAVA_STRING), "precondition: the generator adds it");
        Schema registered = RegistryForm.of(generated);
        assertFalse(registered.toString().contains(RegistryForm.JAVA_STRING));
        assertEquals(generated.getFields().size(), registered.getFields().size());
        assertEquals(SchemaNormalization.parsingFingerprint64(generated), SchemaNormalization.parsingFingerprint64(registered),
                "the same schema for Avro (parsing canonical form)");
    }

    @Test
    void aRecordSerializedByUsCarriesTheIdAnotherClientGetsForTheAvscFile() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().build()) {
            registry.start(0);
            ConfluentAvroSerde<ImageEvent> serde = new ConfluentAvroSerde<>(ImageEvent.class, registry.client());
            serde.configure(Map.of(), false);
            ImageEvent event = SampleRecords.imageEvent();
            byte[] bytes = serde.serialize("images", event);

            Schema fromFile = new Schema.Parser().parse(Path.of("src/main/avro/ImageEvent.avsc").toFile());
            int idForFile = registry.client().lookup("images-value", fromFile).id();
            assertEquals(idForFile, ByteBuffer.wrap(bytes, 1, 4).getInt(), "one schema id for both");
            assertEquals(event, serde.deserialize("images", bytes));
        }
    }
}
