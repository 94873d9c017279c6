package io.lfvit.schemas.serde;

import io.lfvit.schemas.registry.CachingSchemaRegistryClient;
import io.lfvit.schemas.registry.HttpSchemaRegistryClient;
import io.lfvit.schemas.registry.RegistryClientConfig;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Makes configured serdes for generated Avro classes that share one (cached) registry client, so a
 * topology with many topics asks the registry once per schema, not once per serde.
 *
 * <pre>{@code
 * try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", url))) {
 *     Serde<ImageEvent> images = serdes.value(ImageEvent.class);
 * }
 * }</pre>
 */
public final class AvroSerdes implements AutoCloseable {
    private final SchemaRegistryClient client;
    private final Map<String, ?> config;
    private final boolean ownsClient;

    /** Connects to the registry named by {@code schema.registry.url} in {@code config}. */
    public AvroSerdes(Map<String, ?> config) {
        this(new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(config)),
                SerdeConfig.fromMap(config, false).latestCacheTtl()), config, true);
    }

    /** Uses an existing client (e.g. an embedded registry's), which the caller closes. */
    public AvroSerdes(SchemaRegistryClient client, Map<String, ?> config) {
        this(client, config, false);
    }

    private AvroSerdes(SchemaRegistryClient client, Map<String, ?> config, boolean ownsClient) {
        this.client = client instanceof CachingSchemaRegistryClient
                ? client
                : new CachingSchemaRegistryClient(client, SerdeConfig.fromMap(config, false).latestCacheTtl());
        this.config = Map.copyOf(config);
        this.ownsClient = ownsClient;
    }

    /** A one-off serde with its own registry client, closed with the serde. */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forClass(Class<T> type, Map<String, ?> config, boolean isKey) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type);
        serde.configure(config, isKey);
        return serde;
    }

    public <T extends SpecificRecord> ConfluentAvroSerde<T> value(Class<T> type) {
        return serde(type, false);
    }

    public <T extends SpecificRecord> ConfluentAvroSerde<T> key(Class<T> type) {
        return serde(type, true);
    }

    public SchemaRegistryClient client() {
        return client;
    }

    private <T extends SpecificRecord> ConfluentAvroSerde<T> serde(Class<T> type, boolean isKey) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, client);
        serde.configure(config, isKey);
        return serde;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
