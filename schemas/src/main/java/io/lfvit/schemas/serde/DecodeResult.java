package io.lfvit.schemas.serde;

/**
 * The outcome of {@link ConfluentAvroSerde#decode}: the record, or the typed reason it could not
 * be read, for processors that route failures themselves instead of catching exceptions.
 */
public sealed interface DecodeResult<T> {

    /** Decoded; {@code value} is null for a null input (a tombstone). */
    record Success<T>(T value) implements DecodeResult<T> {}

    record Failure<T>(SchemaSerdeException error) implements DecodeResult<T> {}

    default boolean isSuccess() {
        return this instanceof Success<T>;
    }
}
