package io.lfvit.schemas.registry;

/** The subject's compatibility level refuses the schema (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {
    public IncompatibleSchemaException(String message) {
        super(409, INCOMPATIBLE_SCHEMA, message);
    }
}
