package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.registry.StubRegistryServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
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
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
        // The handshake failed because the certificate does not chain to a trusted one, not for any other reason.
        assertTrue(causes(e).stream().anyMatch(SSLHandshakeException.class::isInstance), () -> chain(e));
        assertTrue(causes(e).stream().anyMatch(CertPathBuilderException.class::isInstance), () -> chain(e));
    }

    /** The check above tells a TLS refusal from a registry that is simply not there (same exception type). */
    @Test
    void aDeadPortFailsWithoutATlsCause() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "https://127.0.0.1:" + port, "max.retries", 0)));
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
        assertTrue(causes(e).stream().anyMatch(ConnectException.class::isInstance), () -> chain(e));
        assertTrue(causes(e).stream().noneMatch(t -> t instanceof SSLException || t instanceof CertPathBuilderException),
                () -> chain(e));
    }

    @Test
    void aTruststoreThatCannotBeReadIsAConfigError() {
        assertThrows(ConfigException.class, () -> RegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", server.url(),
                "schema.registry.ssl.truststore.location", dir.resolve("missing.p12").toString())));
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    private static String chain(Throwable e) {
        return causes(e).stream().map(Throwable::toString).collect(Collectors.joining("\n  caused by "));
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
