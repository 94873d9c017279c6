package io.lfvit.app.security;

import io.lfvit.app.files.Directories;
import io.lfvit.app.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker (the production server, in process) that clients reach only over SASL_SSL
 * with SCRAM-SHA-256, with the standard authorizer on and nothing allowed without an ACL. The TLS key is
 * made per run with the JDK's keytool (self-signed, SAN 127.0.0.1), the SCRAM users are written at format
 * time ({@code kafka-storage format --add-scram}). The controller listener is PLAINTEXT on 127.0.0.1, so
 * its principal (ANONYMOUS) is a super user; it serves controller requests only, never produce or fetch.
 */
final class SecureBroker implements AutoCloseable {
    static final String MECHANISM = "SCRAM-SHA-256";
    static final String STORE_PASSWORD = "store-secret";

    final Path dir;
    final Path truststore;
    final String bootstrap;
    private final KafkaRaftServer server;

    SecureBroker(Path dir, String adminPassword, Map<String, String> users) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        Path keystore = dir.resolve("broker.p12");
        truststore = dir.resolve("trust.p12");
        Path cert = dir.resolve("broker.crt");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD);

        int port = EmbeddedKafka.freePort();
        int controllerPort = EmbeddedKafka.freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", jaas("admin", adminPassword));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", STORE_PASSWORD);
        p.put("ssl.key.password", STORE_PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", STORE_PASSWORD);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:admin;User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "2");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("message.max.bytes", String.valueOf(20 * 1024 * 1024));
        p.put("auto.create.topics.enable", "false");
        p.put("unstable.api.versions.enable", "false");
        p.put("unstable.feature.versions.enable", "false");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "lfvit secure test broker");
        }
        List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", MECHANISM + "=[name=admin,password=" + adminPassword + "]"));
        users.forEach((user, password) -> format.addAll(List.of("--add-scram", MECHANISM + "=[name=" + user + ",password="
                + password + "]")));
        int rc = StorageTool.execute(format.toArray(String[]::new), new PrintStream(OutputStream.nullOutputStream()));
        if (rc != 0) {
            throw new IllegalStateException("format failed: " + rc);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        bootstrap = "127.0.0.1:" + port;
        try (Admin admin = Admin.create(clientProps("admin", adminPassword))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** The standard client settings of a user (what a deployment puts in kafka.* settings). */
    Map<String, String> clientSettings(String user, String password) {
        return Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_SSL", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(user, password), "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", truststore.toString(), "ssl.truststore.password", STORE_PASSWORD);
    }

    Properties clientProps(String user, String password) {
        Properties p = new Properties();
        p.putAll(clientSettings(user, password));
        return p;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }


    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        Directories.deleteRecursively(dir);
    }
}
