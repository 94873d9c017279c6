package io.lfvit.app.support;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import io.lfvit.schemas.serde.AvroSerdes;
import java.util.Map;

/** An in-memory schema registry and the topic registry on it. */
public final class TestRegistry implements AutoCloseable {
    public final EmbeddedSchemaRegistry registry;
    public final AvroSerdes serdes;

    public TestRegistry() {
        registry = EmbeddedSchemaRegistry.builder().build();
        registry.start(0);
        serdes = new AvroSerdes(registry.client(), Map.of());
    }

    public Topics topics(AppConfig config) {
        return new Topics(config, serdes);
    }

    @Override
    public void close() {
        serdes.close();
        registry.close();
    }
}
