package io.lfvit.schemas.registry.embedded;

import io.lfvit.schemas.registry.CompatibilityCheck;
import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.IncompatibleSchemaException;
import io.lfvit.schemas.registry.NotFoundException;
import io.lfvit.schemas.registry.RegisteredSchema;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.registry.SchemaRegistryException;
import io.lfvit.schemas.registry.embedded.RegistryLogRecord.ConfigEntry;
import io.lfvit.schemas.registry.embedded.RegistryLogRecord.SchemaEntry;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The registry's rules, with Confluent's semantics: registering a schema the subject already holds
 * returns its id; a schema known under another subject keeps its global id; otherwise the subject's
 * compatibility level decides, and a new version is appended to the log. Writes are serialized
 * (ids and versions are "max + 1"); reads go straight to the state.
 */
final class RegistryService implements SchemaRegistryClient {
    private final RegistryState state;
    private final SchemaLog log;

    RegistryService(RegistryState state, SchemaLog log) {
        this.state = state;
        this.log = log;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<RegisteredSchema> history = state.versions(subject);
        for (RegisteredSchema existing : history) {
            if (existing.schema().toString().equals(schema.toString())) {
                return existing.id();
            }
        }
        List<String> problems = CompatibilityChecker.problems(getCompatibility(subject), schema, history);
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\", details: " + problems);
        }
        int id = state.idOf(schema).orElse(state.maxId() + 1);
        int version = history.isEmpty() ? 1 : history.get(history.size() - 1).version() + 1;
        log.append(new SchemaEntry(subject, version, id, schema.toString(), false));
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return existingVersions(subject).stream()
                .filter(version -> version.schema().toString().equals(schema.toString()))
                .findFirst()
                .orElseThrow(() -> new NotFoundException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
    }

    @Override
    public Schema getById(int id) {
        return state.schema(id)
                .orElseThrow(() -> new NotFoundException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
    }

    /** The live (subject, version) pairs holding schema {@code id} (40403 when the id is unknown). */
    List<RegisteredSchema> usagesOf(int id) {
        getById(id);
        return state.usages(id);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        List<RegisteredSchema> versions = existingVersions(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return existingVersions(subject).stream()
                .filter(registered -> registered.version() == version)
                .findFirst()
                .orElseThrow(() -> new NotFoundException(SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found."));
    }

    @Override
    public List<String> getSubjects() {
        return state.subjects();
    }

    @Override
    public List<Integer> getVersions(String subject) {
        return existingVersions(subject).stream().map(RegisteredSchema::version).toList();
    }

    /** As a registration would judge it: a subject without versions accepts anything. */
    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
        List<String> problems = CompatibilityChecker.problems(getCompatibility(subject), schema, state.versions(subject));
        return new CompatibilityCheck(problems.isEmpty(), problems);
    }

    /** Against one given version only, in the direction(s) of the subject's level. */
    CompatibilityCheck testCompatibility(String subject, Schema schema, int version) {
        RegisteredSchema against = getVersion(subject, version);
        CompatibilityLevel level = getCompatibility(subject);
        CompatibilityLevel oneVersion = CompatibilityLevel.valueOf(level.name().replace("_TRANSITIVE", ""));
        List<String> problems = CompatibilityChecker.problems(oneVersion, schema, List.of(against));
        return new CompatibilityCheck(problems.isEmpty(), problems);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return state.globalLevel();
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        return state.subjectLevel(subject).orElseGet(state::globalLevel);
    }

    /** The subject's own setting; 40408 when it has none (Confluent's answer without defaultToGlobal). */
    CompatibilityLevel getSubjectCompatibility(String subject) {
        return state.subjectLevel(subject).orElseThrow(() -> new NotFoundException(
                SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured"));
    }

    @Override
    public synchronized void setCompatibility(CompatibilityLevel level) {
        log.append(new ConfigEntry(null, level));
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        log.append(new ConfigEntry(subject, level));
    }

    private List<RegisteredSchema> existingVersions(String subject) {
        List<RegisteredSchema> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw new NotFoundException(SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }
}
