package io.lfvit.schemas.registry;

/**
 * An error reported by a Schema Registry, with the HTTP status and the Confluent error code of the
 * {@code {"error_code": ..., "message": ...}} body. The embedded registry throws the same types, so
 * callers handle an in-process and a remote registry alike.
 */
public class SchemaRegistryException extends RuntimeException {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;
    public static final int OPERATION_TIMEOUT = 50002;
    /** Error code of failures that never reached the registry (connection refused, timeout). */
    public static final int NO_RESPONSE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    /** The typed exception for a registry's error response. */
    public static SchemaRegistryException of(int httpStatus, int errorCode, String message) {
        if (httpStatus == 404) {
            return new NotFoundException(errorCode, message);
        } else if (httpStatus == 409) {
            return new IncompatibleSchemaException(message);
        } else if (httpStatus == 422) {
            return new InvalidRequestException(errorCode, message);
        } else if (httpStatus == 401 || httpStatus == 403) {
            return new RegistryAuthenticationException(httpStatus, errorCode, message);
        } else if (httpStatus >= 500) {
            return new RegistryUnavailableException(httpStatus, errorCode, message, null);
        }
        return new SchemaRegistryException(httpStatus, errorCode, message);
    }

    /** HTTP status of the response, or {@link #NO_RESPONSE}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code (e.g. 40403), or {@link #NO_RESPONSE}. */
    public int errorCode() {
        return errorCode;
    }
}
