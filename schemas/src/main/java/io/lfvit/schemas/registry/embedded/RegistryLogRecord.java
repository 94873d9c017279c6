package io.lfvit.schemas.registry.embedded;

import io.lfvit.schemas.registry.CompatibilityLevel;

/** One change to the registry's state, as written to (and replayed from) its log. */
sealed interface RegistryLogRecord {

    /** A schema registered as one version of a subject; {@code deleted} versions keep their id readable. */
    record SchemaEntry(String subject, int version, int id, String schema, boolean deleted) implements RegistryLogRecord {}

    /** A compatibility level set for a subject, or globally when {@code subject} is null. */
    record ConfigEntry(String subject, CompatibilityLevel level) implements RegistryLogRecord {}
}
