package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

    @Test
    void defaultsNeedOnlyTheUrl() {
        RegistryClientConfig config = RegistryClientConfig.fromMap(Map.of("schema.registry.url", "http://registry:8081"));
        assertEquals(List.of(URI.create("http://registry:8081")), config.urls());
        assertEquals(Optional.empty(), config.basicUserInfo());
        assertEquals(Optional.empty(), config.bearerToken());
        assertNull(config.sslContext());
        assertEquals(Duration.ofSeconds(5), config.connectTimeout());
        assertEquals(Duration.ofSeconds(30), config.requestTimeout());
        assertEquals(3, config.maxRetries());
    }

    @Test
    void readsConfluentKeysWhetherStringsOrNumbers() {
        RegistryClientConfig config = RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://a:8081, http://b:8081/",
                "http.connect.timeout.ms", 1500,
                "http.read.timeout.ms", "2500",
                "max.retries", "5",
                "retries.wait.ms", 50L,
                "retries.max.wait.ms", "800",
                "basic.auth.user.info", "user:pass"));
        assertEquals(List.of(URI.create("http://a:8081"), URI.create("http://b:8081/")), config.urls());
        assertEquals(Duration.ofMillis(1500), config.connectTimeout());
        assertEquals(Duration.ofMillis(2500), config.requestTimeout());
        assertEquals(5, config.maxRetries());
        assertEquals(Duration.ofMillis(50), config.retryBackoff());
        assertEquals(Duration.ofMillis(800), config.maxRetryBackoff());
        assertEquals(Optional.of("user:pass"), config.basicUserInfo());
    }

    @Test
    void userInfoInTheUrlIsUsedOnlyWithCredentialsSourceUrlAndNeverSent() {
        Map<String, Object> base = Map.of("schema.registry.url", "https://u:p@registry:8081/prefix");
        RegistryClientConfig fromUrl = RegistryClientConfig.fromMap(
                merge(base, Map.of("basic.auth.credentials.source", "URL")));
        assertEquals(Optional.of("u:p"), fromUrl.basicUserInfo());
        assertEquals(List.of(URI.create("https://registry:8081/prefix")), fromUrl.urls());
        assertEquals(Optional.empty(), RegistryClientConfig.fromMap(base).basicUserInfo());
    }

    @Test
    void invalidSettingsAreConfigErrors() {
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of()));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r", "basic.auth.user.info", "u:p", "bearer.auth.token", "t")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r", "basic.auth.credentials.source", "SASL_INHERIT")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r", "max.retries", "many")));
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r", "max.retries", "-1")));
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> merged = new java.util.HashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
