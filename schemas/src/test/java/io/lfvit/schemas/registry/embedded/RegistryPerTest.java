package io.lfvit.schemas.registry.embedded;

import io.lfvit.schemas.registry.SchemaRegistryClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An empty in-memory registry on a free port for each test, closed after it:
 * {@code @RegisterExtension final RegistryPerTest registry = new RegistryPerTest();}.
 */
public final class RegistryPerTest implements BeforeEachCallback, AfterEachCallback {
    private EmbeddedSchemaRegistry registry;

    @Override
    public void beforeEach(ExtensionContext context) {
        registry = EmbeddedSchemaRegistry.builder().build();
        registry.start(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        registry.close();
    }

    /** A client that calls the registry in-process. */
    public SchemaRegistryClient client() {
        return registry.client();
    }

    /** The base URL of its REST API. */
    public String url() {
        return registry.url();
    }
}
