package io.lfvit.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.FrameTags;
import io.lfvit.schemas.avro.ImageEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules every contract keeps, so that it can be read by others and evolve without breaking them. */
class SchemaContractTest {

    static Stream<Schema> contracts() {
        return Stream.of(ImageEvent.getClassSchema(), Classification.getClassSchema(), FocusTask.getClassSchema(),
                ControlUpdate.getClassSchema(), DeadLetter.getClassSchema(),
                FrameTags.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void everyRecordFieldAndEnumIsDocumented(Schema contract) {
        for (Schema named : namedTypes(contract)) {
            assertNotNull(named.getDoc(), named.getFullName() + " has no doc");
            if (named.getType() == Schema.Type.RECORD) {
                for (Schema.Field field : named.getFields()) {
                    assertNotNull(field.doc(), named.getName() + "." + field.name() + " has no doc");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void optionalFieldsDefaultToNull(Schema contract) {
        for (Schema named : namedTypes(contract)) {
            if (named.getType() != Schema.Type.RECORD) {
                continue;
            }
            for (Schema.Field field : named.getFields()) {
                if (field.schema().isNullable()) {
                    assertEquals(Schema.Type.NULL, field.schema().getTypes().get(0).getType(),
                            named.getName() + "." + field.name() + ": null must come first for a null default");
                    assertEquals(JsonProperties.NULL_VALUE, field.defaultVal(), named.getName() + "." + field.name());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void everyContractCarriesItsEventIdAsAUuidAndTimesAsTimestamps(Schema contract) {
        if (contract.getField("event_id") != null) {
            Schema id = contract.getField("event_id").schema();
            Schema nonNull = id.isNullable() ? id.getTypes().get(1) : id;
            assertEquals(LogicalTypes.uuid(), nonNull.getLogicalType());
        }
        for (Schema.Field field : contract.getFields()) {
            if (field.name().endsWith("_time") || field.name().endsWith("_at")) {
                assertEquals(LogicalTypes.timestampMillis(), field.schema().getLogicalType(), field.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void enumsWithoutADefaultAreOnlyTheClosedSets(Schema contract) {
        Set<String> closed = Set.of("io.lfvit.schemas.avro.ImageEncoding", "io.lfvit.schemas.avro.Stage");
        for (Schema named : namedTypes(contract)) {
            if (named.getType() == Schema.Type.ENUM && named.getEnumDefault() == null) {
                assertTrue(closed.contains(named.getFullName()), named.getFullName() + " needs a default symbol");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void sharedTypesAreTheSameEverywhere() {
        Schema region = Classification.getClassSchema().getField("region").schema().getTypes().get(1);
        assertEquals(region, FocusTask.getClassSchema().getField("region").schema());
        Schema topK = Classification.getClassSchema().getField("top_k").schema().getElementType();
        assertEquals(topK, FocusTask.getClassSchema().getField("localization").schema().getField("top_k").schema().getElementType());
        assertEquals("OTHER", DeadLetter.getClassSchema().getField("reason_code").schema().getEnumDefault());
        assertFalse(ControlUpdate.getClassSchema().getField("settings").schema().isNullable());
    }

    private static List<Schema> namedTypes(Schema root) {
        List<Schema> found = new ArrayList<>();
        collect(root, new HashSet<>(), found);
        return found;
    }

    private static void collect(Schema schema, Set<String> seen, List<Schema> found) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema);
                    schema.getFields().forEach(field -> collect(field.schema(), seen, found));
                }
            }
            case ENUM, FIXED -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema);
                }
            }
            case UNION -> schema.getTypes().forEach(type -> collect(type, seen, found));
            case ARRAY -> collect(schema.getElementType(), seen, found);
            case MAP -> collect(schema.getValueType(), seen, found);
            default -> { }
        }
    }
}
