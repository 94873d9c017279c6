package io.lfvit.schemas.serde;

import io.lfvit.schemas.registry.CompatibilityCheck;
import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.NotFoundException;
import io.lfvit.schemas.registry.RegisteredSchema;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import io.lfvit.schemas.registry.SchemaRegistryException;
import java.util.List;
import org.apache.avro.Schema;

/** A registry holding one schema under a chosen id, so that wire-format vectors can use any id. */
final class FixedIdRegistry implements SchemaRegistryClient {
    private final int id;
    private final Schema schema;

    FixedIdRegistry(int id, Schema schema) {
        this.id = id;
        this.schema = schema;
    }

    @Override
    public int register(String subject, Schema candidate) {
        if (!RegistryForm.of(candidate).equals(RegistryForm.of(schema))) {
            throw new UnsupportedOperationException("only " + schema.getFullName());
        }
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema candidate) {
        return new RegisteredSchema(subject, 1, register(subject, candidate), schema);
    }

    @Override
    public Schema getById(int requested) {
        if (requested != id) {
            throw new NotFoundException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + requested + " not found");
        }
        return schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return new RegisteredSchema(subject, 1, id, schema);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> getSubjects() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> getVersions(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema candidate) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        throw new UnsupportedOperationException();
    }
}
