package io.lfvit.app.cli;

import io.lfvit.app.config.AppConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The options every Kafka-facing command shares: a properties file, single overrides, environment. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (keys as in the configuration reference); environment LFVIT_* overrides it.")
    Path file;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "Overrides one key (after file and environment).")
    Map<String, String> overrides = new TreeMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka (bootstrap.servers).")
    String bootstrap;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Schema registry (schema.registry.url).")
    String registry;

    public AppConfig load() throws Exception {
        AppConfig config = AppConfig.load(file, System.getenv());
        Map<String, Object> extra = new TreeMap<>(overrides);
        if (bootstrap != null) {
            extra.put(AppConfig.BOOTSTRAP_SERVERS, bootstrap);
        }
        if (registry != null) {
            extra.put(AppConfig.SCHEMA_REGISTRY_URL, registry);
        }
        return config.withAll(extra);
    }
}
