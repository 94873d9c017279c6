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
            Duration storeTimeout, CompatibilityLevel defaultCompatibility, String host, int httpThreads,
            Map<String, String> basicAuthUsers) {}

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
        com.sun.net.httpserver.HttpContext context = server.createContext("/", new RegistryHttpHandler(service));
        if (!settings.basicAuthUsers().isEmpty()) {
            context.setAuthenticator(new UsersAuthenticator(settings.basicAuthUsers()));
        }
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

    /**
     * HTTP basic auth (RFC 7617) against a fixed user list, as Confluent's registry does with its
     * {@code authentication.method=BASIC}: a request without valid credentials gets 401. Passwords are
     * compared in constant time. Basic auth sends the password in every request: put TLS in front of the
     * registry (a proxy) whenever it is reached over a network.
     */
    private static final class UsersAuthenticator extends com.sun.net.httpserver.BasicAuthenticator {
        private final Map<String, String> users;

        UsersAuthenticator(Map<String, String> users) {
            super("lfvit-schema-registry", java.nio.charset.StandardCharsets.UTF_8);
            this.users = users;
        }

        @Override
        public boolean checkCredentials(String user, String password) {
            String expected = users.get(user);
            return expected != null && java.security.MessageDigest.isEqual(
                    expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
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
        private Map<String, String> basicAuthUsers = Map.of();

        private Builder() {}

        /**
         * Requires HTTP basic auth with one of these user -&gt; password pairs (none: open, the default).
         * Clients send {@code basic.auth.credentials.source=USER_INFO} and {@code basic.auth.user.info=user:password}.
         */
        public Builder basicAuth(Map<String, String> users) {
            this.basicAuthUsers = Map.copyOf(users);
            return this;
        }

        /** {@code user:password[,user:password...]}, as a setting carries it; blank for none. */
        public Builder basicAuth(String users) {
            Map<String, String> parsed = new java.util.LinkedHashMap<>();
            for (String pair : users == null ? new String[0] : users.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("registry users must be user:password pairs separated by commas");
                }
                parsed.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
            return basicAuth(parsed);
        }

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
                    storeTimeout, defaultCompatibility, host, httpThreads, basicAuthUsers));
        }
    }
}
