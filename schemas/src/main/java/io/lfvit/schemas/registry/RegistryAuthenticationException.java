package io.lfvit.schemas.registry;

/** The registry refused our credentials (HTTP 401) or their rights (403). Never retried. */
public class RegistryAuthenticationException extends SchemaRegistryException {
    public RegistryAuthenticationException(int httpStatus, int errorCode, String message) {
        super(httpStatus, errorCode, message);
    }
}
