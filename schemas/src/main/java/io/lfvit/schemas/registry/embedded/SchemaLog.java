package io.lfvit.schemas.registry.embedded;

import java.util.function.Consumer;

/** The registry's durable history: every state change is appended here and replayed on start. */
interface SchemaLog extends AutoCloseable {

    /** Replays the existing records into {@code applier}, which then also receives every appended record. */
    void open(Consumer<RegistryLogRecord> applier);

    /** Appends the record and returns once it has been read back and applied. */
    void append(RegistryLogRecord record);

    @Override
    void close();
}
