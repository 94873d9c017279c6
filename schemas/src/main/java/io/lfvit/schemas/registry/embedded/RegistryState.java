package io.lfvit.schemas.registry.embedded;

import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.RegisteredSchema;
import io.lfvit.schemas.registry.embedded.RegistryLogRecord.ConfigEntry;
import io.lfvit.schemas.registry.embedded.RegistryLogRecord.SchemaEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's current state, derived only from its log: whatever is applied here was durably
 * written (or, for the in-memory log, accepted). Schemas are identified by their normalized JSON
 * ({@link Schema#toString()}), as Confluent's registry does, so a changed doc is a new schema.
 */
final class RegistryState {
    private final Map<String, TreeMap<Integer, RegisteredSchema>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    RegistryState(CompatibilityLevel defaultLevel) {
        this.globalLevel = defaultLevel;
    }

    synchronized void apply(RegistryLogRecord record) {
        if (record instanceof SchemaEntry entry) {
            Schema schema = new Schema.Parser().parse(entry.schema());
            schemasById.put(entry.id(), schema);
            idsBySchemaText.putIfAbsent(schema.toString(), entry.id());
            maxId = Math.max(maxId, entry.id());
            TreeMap<Integer, RegisteredSchema> versions = versionsBySubject.computeIfAbsent(entry.subject(), s -> new TreeMap<>());
            if (entry.deleted()) {
                versions.remove(entry.version());
            } else {
                versions.put(entry.version(), new RegisteredSchema(entry.subject(), entry.version(), entry.id(), schema));
            }
        } else if (record instanceof ConfigEntry entry) {
            if (entry.subject() == null) {
                globalLevel = entry.level();
            } else {
                subjectLevels.put(entry.subject(), entry.level());
            }
        }
    }

    synchronized Optional<Schema> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The id already given to this exact schema under any subject. */
    synchronized OptionalInt idOf(Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    synchronized int maxId() {
        return maxId;
    }

    /** The subject's live versions, oldest first; empty when the subject is unknown. */
    synchronized List<RegisteredSchema> versions(String subject) {
        TreeMap<Integer, RegisteredSchema> versions = versionsBySubject.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** Every live (subject, version) holding the schema with this id, by subject then version. */
    synchronized List<RegisteredSchema> usages(int id) {
        List<RegisteredSchema> usages = new ArrayList<>();
        versionsBySubject.values().forEach(versions -> versions.values().stream()
                .filter(registered -> registered.id() == id)
                .forEach(usages::add));
        return usages;
    }

    synchronized List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        versionsBySubject.forEach((subject, versions) -> {
            if (!versions.isEmpty()) {
                subjects.add(subject);
            }
        });
        return subjects;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }
}
