package io.lfvit.schemas.registry;

/** Subject (40401), version (40402) or schema id (40403) not found; {@link #errorCode()} says which. */
public class NotFoundException extends SchemaRegistryException {
    public NotFoundException(int errorCode, String message) {
        super(404, errorCode, message);
    }
}
