package io.lfvit.schemas.registry;

/**
 * The registry could not answer: connection refused, timeout, or a server error (5xx) that
 * persisted through the retries. Worth retrying later, unlike the other registry errors.
 */
public class RegistryUnavailableException extends SchemaRegistryException {
    public RegistryUnavailableException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(httpStatus, errorCode, message, cause);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        this(NO_RESPONSE, NO_RESPONSE, message, cause);
    }
}
