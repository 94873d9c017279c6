package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.RegistryPerTest;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP client and the embedded registry talking over real HTTP: Confluent's semantics end to end. */
class HttpClientAgainstEmbeddedRegistryTest {
    @RegisterExtension
    final RegistryPerTest registry = new RegistryPerTest();

    private HttpSchemaRegistryClient client;

    @BeforeEach
    void start() {
        client = new HttpSchemaRegistryClient(RegistryClientConfig.builder(registry.url()).build());
    }

    /** A record "R" with the given fields; "name:type" required, "name:type=default" with a default. */
    static Schema record(String fields) {
        SchemaBuilder.FieldAssembler<Schema> assembler = SchemaBuilder.record("R").namespace("test").fields();
        for (String field : fields.isBlank() ? new String[0] : fields.split(" ")) {
            String[] nameType = field.split("[:=]");
            SchemaBuilder.FieldTypeBuilder<Schema> type = assembler.name(nameType[0]).type();
            boolean hasDefault = field.contains("=");
            assembler = switch (nameType[1]) {
                case "int" -> hasDefault ? type.intType().intDefault(Integer.parseInt(nameType[2])) : type.intType().noDefault();
                case "string" -> hasDefault ? type.stringType().stringDefault(nameType[2]) : type.stringType().noDefault();
                default -> throw new IllegalArgumentException(field);
            };
        }
        return assembler.endRecord();
    }

    @Test
    void registeringIsIdempotentAndIdsAreGlobal() {
        int id = client.register("images-value", ImageEvent.getClassSchema());
        assertEquals(id, client.register("images-value", ImageEvent.getClassSchema()));
        assertEquals(id, client.register("other-value", ImageEvent.getClassSchema()), "same schema, same id, any subject");
        assertEquals(List.of(1), client.getVersions("images-value"));
        assertNotEquals(id, client.register("classifications-value", Classification.getClassSchema()));
        assertEquals(List.of("classifications-value", "images-value", "other-value"), client.getSubjects());
    }

    @Test
    void schemasAreFoundByIdSubjectVersionAndContent() {
        int v1 = client.register("s", record("x:int"));
        int v2 = client.register("s", record("x:int y:int=0"));

        assertEquals(record("x:int"), client.getById(v1));
        assertEquals(new RegisteredSchema("s", 2, v2, record("x:int y:int=0")), client.getLatest("s"));
        assertEquals(new RegisteredSchema("s", 1, v1, record("x:int")), client.getVersion("s", 1));
        assertEquals(new RegisteredSchema("s", 1, v1, record("x:int")), client.lookup("s", record("x:int")));
        assertEquals(List.of(1, 2), client.getVersions("s"));
    }

    @Test
    void missingThingsAreTypedNotFoundErrors() {
        client.register("s", record("x:int"));
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, assertThrows(NotFoundException.class, () -> client.getById(99)).errorCode());
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, assertThrows(NotFoundException.class, () -> client.getLatest("nope")).errorCode());
        assertEquals(SchemaRegistryException.VERSION_NOT_FOUND, assertThrows(NotFoundException.class, () -> client.getVersion("s", 5)).errorCode());
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, assertThrows(NotFoundException.class, () -> client.getVersions("nope")).errorCode());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND,
                assertThrows(NotFoundException.class, () -> client.lookup("s", record("y:int"))).errorCode());
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND,
                assertThrows(NotFoundException.class, () -> client.lookup("nope", record("x:int"))).errorCode());
    }

    @Test
    void incompatibleRegistrationIsRefusedWith409AndSaysWhy() {
        client.register("s", record("x:int"));

        IncompatibleSchemaException error = assertThrows(IncompatibleSchemaException.class,
                () -> client.register("s", record("x:int z:int")));

        assertEquals(409, error.httpStatus());
        assertEquals(409, error.errorCode());
        assertTrue(error.getMessage().contains("READER_FIELD_MISSING_DEFAULT_VALUE") && error.getMessage().contains("z"),
                error.getMessage());
        assertEquals(List.of(1), client.getVersions("s"), "nothing was registered");
    }

    @Test
    void compatibilityTestsMirrorRegistration() {
        assertTrue(client.testCompatibility("new-subject", record("x:int")).compatible());
        client.register("s", record("x:int"));
        assertTrue(client.testCompatibility("s", record("x:int y:int=0")).compatible());
        CompatibilityCheck refused = client.testCompatibility("s", record("x:string"));
        assertFalse(refused.compatible());
        assertFalse(refused.messages().isEmpty());
    }

    @Test
    void compatibilityLevelsAreGlobalOrPerSubject() {
        assertEquals(CompatibilityLevel.BACKWARD, client.getCompatibility());
        client.setCompatibility("s", CompatibilityLevel.FULL);
        assertEquals(CompatibilityLevel.FULL, client.getCompatibility("s"));
        assertEquals(CompatibilityLevel.BACKWARD, client.getCompatibility("t"), "falls back to the global level");

        client.register("t", record("x:int"));
        client.setCompatibility(CompatibilityLevel.NONE);
        assertEquals(CompatibilityLevel.NONE, client.getCompatibility());
        client.register("t", record("x:string"));
        assertEquals(List.of(1, 2), client.getVersions("t"));
    }

    @ParameterizedTest(name = "{0}: [{1}] then [{2}] accepted={3}")
    @CsvSource({
        "BACKWARD, x:int,     x:int z:int,   false",
        "BACKWARD, x:int w:int, x:int,       true",
        "FORWARD,  x:int,     x:int z:int,   true",
        "FORWARD,  x:int w:int, x:int,       false",
        "FULL,     x:int,     x:int y:int=0, true",
        "FULL,     x:int w:int, x:int,       false",
        "FULL,     x:int,     x:int z:int,   false",
        "NONE,     x:int,     z:string,      true",
    })
    void levelsFollowAvroReaderWriterRules(CompatibilityLevel level, String first, String second, boolean accepted) {
        client.setCompatibility("s", level);
        client.register("s", record(first));
        assertEquals(accepted, client.testCompatibility("s", record(second)).compatible());
        if (accepted) {
            client.register("s", record(second));
            assertEquals(2, client.getLatest("s").version());
        } else {
            assertThrows(IncompatibleSchemaException.class, () -> client.register("s", record(second)));
        }
    }

    @ParameterizedTest(name = "{0} accepts, {1} refuses")
    @CsvSource({
        // v3 reads v2 (f absent, defaulted) but not v1 (f was a string)
        "BACKWARD, BACKWARD_TRANSITIVE, f:string, '',        f:int=0",
        // v2 reads v3 (f defaulted) but v1 cannot (f required)
        "FORWARD,  FORWARD_TRANSITIVE,  f:int,    f:int=0,   ''",
    })
    void transitiveLevelsCheckEveryEarlierVersion(CompatibilityLevel latestOnly, CompatibilityLevel transitive,
            String v1, String v2, String v3) {
        for (CompatibilityLevel level : List.of(latestOnly, transitive)) {
            String subject = level.name();
            client.setCompatibility(subject, level);
            client.register(subject, record(v1));
            client.register(subject, record(v2));
            assertEquals(level == latestOnly, client.testCompatibility(subject, record(v3)).compatible(), level.name());
        }
    }

    @Test
    void subjectsWithSpecialCharactersSurviveTheUrl() {
        String subject = "team a/images+v2-value";
        int id = client.register(subject, record("x:int"));
        assertEquals(id, client.getLatest(subject).id());
        assertEquals(List.of(subject), client.getSubjects());
    }
}
