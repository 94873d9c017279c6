package io.lfvit.schemas.registry;

/** Invalid schema (42201), version (42202) or compatibility level (42203): HTTP 422. */
public class InvalidRequestException extends SchemaRegistryException {
    public InvalidRequestException(int errorCode, String message) {
        super(422, errorCode, message);
    }
}
