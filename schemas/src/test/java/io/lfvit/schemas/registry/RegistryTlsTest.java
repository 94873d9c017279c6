package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lfvit.schemas.registry.StubRegistryServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https with a self-signed certificate, trusted through Confluent's schema.registry.ssl.truststore.* keys. */
class RegistryTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static StubRegistryServer server;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve("server.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", dir.resolve("server.crt").toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PASSWORD);
        server = new StubRegistryServer(serverContext(keystore));
        server.always(Reply.json(200, "{\"schema\": \"\\\"string\\\"\"}"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void trustsTheRegistryThroughTheConfiguredTruststore() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", server.url(),
                "schema.registry.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "schema.registry.ssl.truststore.password", PASSWORD,
                "schema.registry.ssl.truststore.type", "PKCS12")));
        assertEquals(Schema.create(Schema.Type.STRING), client.getById(1));
    }

    @Test
    void refusesAnUntrustedCertificate() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", server.url(), "max.retries", 0)));
        assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
    }

    @Test
    void aTruststoreThatCannotBeReadIsAConfigError() {
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", server.url(),
                "schema.registry.ssl.truststore.location", dir.resolve("missing.p12").toString())));
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
