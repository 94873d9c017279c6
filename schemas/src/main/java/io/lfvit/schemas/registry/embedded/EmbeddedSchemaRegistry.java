package io.lfvit.schemas.registry.embedded;

import com.sun.net.httpserver.HttpServer;
import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A Confluent-compatible Schema Registry in this JVM, for the local default and for tests: the
 * REST subset the serdes use, on the JDK's HTTP server, storing schemas either durably in a
 * compacted Kafka topic (replayed on start, like Confluent's own) or in memory.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().kafkaStore("localhost:9092").build()) {
 *     String url = registry.start(0);   // e.g. http://127.0.0.1:41234, for schema.registry.url
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    public static final String DEFAULT_TOPIC = "_schemas";

    /** The builder's choices, frozen. */
    private record Settings(String bootstrapServers, String topic, short replicationFactor, Map<String, Object> kafkaClientConfig,
            Duration storeTimeout, CompatibilityLevel defaultCompatibility, String host, int httpThreads) {}

    private final Settings settings;
    private RegistryService service;
    private SchemaLog log;
    private HttpServer server;
    private ExecutorService executor;
    private String url;

    private EmbeddedSchemaRegistry(Settings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replays the store, then serves HTTP on {@code port} (0 picks a free one).
     *
     * @return the base URL, e.g. {@code http://127.0.0.1:8081}
     */
    public synchronized String start(int port) {
        if (server != null) {
            throw new IllegalStateException("Already started at " + url);
        }
        RegistryState state = new RegistryState(settings.defaultCompatibility());
        log = settings.bootstrapServers() == null
                ? new InMemorySchemaLog()
                : new KafkaSchemaLog(settings.topic(), settings.replicationFactor(), kafkaClientConfig(), settings.storeTimeout());
        log.open(state::apply);
        service = new RegistryService(state, log);
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), port), 0);
        } catch (IOException e) {
            log.close();
            throw new UncheckedIOException("Cannot listen on " + settings.host() + ":" + port, e);
        }
        executor = Executors.newFixedThreadPool(settings.httpThreads(), daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", new RegistryHttpHandler(service));
        server.start();
        String host = settings.host().equals("0.0.0.0") ? "localhost" : settings.host();
        url = "http://" + host + ":" + server.getAddress().getPort();
        return url;
    }

    /** Base URL for {@code schema.registry.url}; null before {@link #start}. */
    public synchronized String url() {
        return url;
    }

    /** The registry as an in-process client (no HTTP): same rules, same exceptions. */
    public synchronized SchemaRegistryClient client() {
        if (service == null) {
            throw new IllegalStateException("Start the registry first");
        }
        return service;
    }

    /** Stops serving and closes the store's Kafka clients; registered schemas stay in the topic. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
        service = null;
    }

    private Map<String, Object> kafkaClientConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafkaClientConfig());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Defaults: in-memory store, BACKWARD, 127.0.0.1, topic {@value #DEFAULT_TOPIC}, replication factor 1. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = DEFAULT_TOPIC;
        private short replicationFactor = 1;
        private Map<String, Object> kafkaClientConfig = Map.of();
        private Duration storeTimeout = Duration.ofSeconds(30);
        private CompatibilityLevel defaultCompatibility = CompatibilityLevel.BACKWARD;
        private String host = "127.0.0.1";
        private int httpThreads = 4;

        private Builder() {}

        /** Stores schemas durably in a compacted topic of this cluster instead of in memory. */
        public Builder kafkaStore(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Used only when the topic does not exist yet. */
        public Builder replicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
            return this;
        }

        /** Extra settings for the store's Kafka clients, e.g. security.protocol and SASL. */
        public Builder kafkaClientConfig(Map<String, Object> config) {
            this.kafkaClientConfig = Map.copyOf(config);
            return this;
        }

        /** Bound on each store operation (a registration waits for its record to be read back). */
        public Builder storeTimeout(Duration timeout) {
            this.storeTimeout = timeout;
            return this;
        }

        /** The global level until a {@code PUT /config} (which is stored) changes it. */
        public Builder defaultCompatibility(CompatibilityLevel level) {
            this.defaultCompatibility = level;
            return this;
        }

        /** Interface to listen on: 127.0.0.1 by default, 0.0.0.0 to serve other hosts. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder httpThreads(int threads) {
            this.httpThreads = threads;
            return this;
        }

        public EmbeddedSchemaRegistry build() {
            return new EmbeddedSchemaRegistry(new Settings(bootstrapServers, topic, replicationFactor, kafkaClientConfig,
                    storeTimeout, defaultCompatibility, host, httpThreads));
        }
    }
}
