package io.lfvit.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that the serdes and tools need. Implemented over
 * HTTP ({@link HttpSchemaRegistryClient}), in process by the embedded registry, and as a cache
 * around either ({@link CachingSchemaRegistryClient}).
 *
 * <p>Failures are {@link SchemaRegistryException}s: {@link NotFoundException},
 * {@link IncompatibleSchemaException}, {@link InvalidRequestException},
 * {@link RegistryAuthenticationException}, {@link RegistryUnavailableException}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (a no-op when already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The version of the subject holding exactly this schema (40401 / 40403 when absent). */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The schema with this global id (40403 when unknown). */
    Schema getById(int id);

    /** The subject's newest version. */
    RegisteredSchema getLatest(String subject);

    /** One version of the subject (40401 / 40402 when absent). */
    RegisteredSchema getVersion(String subject, int version);

    List<String> getSubjects();

    /** The subject's version numbers, oldest first. */
    List<Integer> getVersions(String subject);

    /** Whether the subject would accept the schema under its compatibility level. */
    CompatibilityCheck testCompatibility(String subject, Schema schema);

    /** The registry-wide default level. */
    CompatibilityLevel getCompatibility();

    /** The level in force for the subject: its own setting, else the global one. */
    CompatibilityLevel getCompatibility(String subject);

    void setCompatibility(CompatibilityLevel level);

    void setCompatibility(String subject, CompatibilityLevel level);

    /** Releases connections; a no-op for clients without any. */
    @Override
    default void close() {}
}
