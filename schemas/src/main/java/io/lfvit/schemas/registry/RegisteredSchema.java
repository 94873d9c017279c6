package io.lfvit.schemas.registry;

import org.apache.avro.Schema;

/** One version of a subject: the registry's answer to lookups by subject and version. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
