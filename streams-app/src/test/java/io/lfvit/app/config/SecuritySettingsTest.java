package io.lfvit.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.kafka.StreamsProps;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Security comes from settings only: Kafka's standard client keys and the registry client's, also from the environment. */
class SecuritySettingsTest {

    @Test
    void kafkaAndRegistrySecuritySettingsComeFromTheEnvironmentAndReachTheClients() throws Exception {
        AppConfig config = AppConfig.load(null, Map.of(
                "LFVIT_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "LFVIT_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "LFVIT_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"b\";",
                "LFVIT_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/lfvit/trust.p12",
                "LFVIT_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
                "LFVIT_BASIC_AUTH_USER_INFO", "localizer:secret",
                "LFVIT_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", "/etc/lfvit/registry-trust.p12"));
        var client = StreamsProps.client(config);
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("SCRAM-SHA-256", client.get("sasl.mechanism"));
        assertEquals("/etc/lfvit/trust.p12", client.get("ssl.truststore.location"));
        assertTrue(((String) client.get("sasl.jaas.config")).contains("username=\"a\""));
        assertEquals("SASL_SSL", StreamsProps.forApp(config, "app").get("security.protocol"), "Kafka Streams' clients too");
        Map<String, Object> serde = config.serdeConfig();
        assertEquals("USER_INFO", serde.get("basic.auth.credentials.source"));
        assertEquals("localizer:secret", serde.get("basic.auth.user.info"));
        assertEquals("/etc/lfvit/registry-trust.p12", serde.get("schema.registry.ssl.truststore.location"));
        String shown = config.toString();
        assertFalse(shown.contains("secret") || shown.contains("password=\"b\""), "secrets are not printed: " + shown);
    }
}
