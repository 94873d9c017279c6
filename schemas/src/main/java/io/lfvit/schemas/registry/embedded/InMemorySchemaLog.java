package io.lfvit.schemas.registry.embedded;

import java.util.function.Consumer;

/** A log that forgets everything on close: for unit tests and throw-away registries. */
final class InMemorySchemaLog implements SchemaLog {
    private Consumer<RegistryLogRecord> applier;

    @Override
    public void open(Consumer<RegistryLogRecord> applier) {
        this.applier = applier;
    }

    @Override
    public synchronized void append(RegistryLogRecord record) {
        applier.accept(record);
    }

    @Override
    public void close() {}
}
