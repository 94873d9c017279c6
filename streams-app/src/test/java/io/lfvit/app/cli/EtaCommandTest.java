package io.lfvit.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.control.ControlKeys;
import io.lfvit.app.support.TestCluster;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.serde.AvroSerdes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lfvit eta} against a broker that does not create topics on first use (as in the compose stack)
 * and where the control topic does not exist yet: the command creates it with the app's settings, or,
 * with {@code topic.create=false}, says in one line what is missing and exits 1 within seconds.
 */
class EtaCommandTest {
    @TempDir
    static Path tmp;
    private static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private record Run(int code, String out, String err, long millis) {}

    private static Run eta(AppConfig config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", config.bootstrapServers(),
                "--schema-registry-url", config.string(AppConfig.SCHEMA_REGISTRY_URL),
                "-D", AppConfig.TOPIC_CONTROL + "=" + config.string(AppConfig.TOPIC_CONTROL),
                "-D", AppConfig.TOPIC_CREATE + "=" + config.string(AppConfig.TOPIC_CREATE)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        long t0 = System.nanoTime();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new EtaCommand()).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.kafka.bootstrapServers()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void setCreatesTheMissingControlTopicWithTheAppsSettings() throws Exception {
        AppConfig config = cluster.configWithoutTopics("created", tmp.resolve("created"), tmp);
        String topic = config.string(AppConfig.TOPIC_CONTROL);
        assertFalse(topics().contains(topic));

        Run set = eta(config, "set", "0.6", "--source", "cam-7", "--deadline-ms", "500");
        assertEquals(0, set.code(), set.err());
        assertTrue(set.millis() < 15_000, "took " + set.millis() + " ms");
        assertTrue(set.out().contains("eta 0.600 set for source cam-7"), set.out());
        assertTrue(set.err().contains("created the control topic " + topic), set.err());

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.kafka.bootstrapServers()))) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            assertEquals(1, d.partitions().size(), "one partition: one order of updates");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config c = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig())) {
            ControlUpdate update = new ControlClient(config, new Topics(config, serdes).control()).show()
                    .get(ControlKeys.forSourceOrGlobal("cam-7"));
            assertEquals(0.6, update.getEta());
            assertEquals("500", update.getSettings().get(ControlKeys.DEADLINE_MS));
        }
        Run show = eta(config, "show");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("eta 0.600, deadline 500 ms"), show.out());
    }

    @Test
    void withTopicCreationOffItSaysInOneLineWhatIsMissingAndExitsOneQuickly() throws Exception {
        AppConfig config = cluster.configWithoutTopics("absent", tmp.resolve("absent"), tmp)
                .with(AppConfig.TOPIC_CREATE, "false");
        String topic = config.string(AppConfig.TOPIC_CONTROL);

        for (List<String> args : List.of(List.of("set", "0.7"), List.of("clear", "--source", "cam-1"))) {
            Run run = eta(config, args.toArray(String[]::new));
            System.out.printf("lfvit eta %s, topic missing, topic.create=false, %d ms: %s", args, run.millis(), run.err());
            assertEquals(1, run.code(), run.err());
            assertTrue(run.millis() < 10_000, args + " took " + run.millis() + " ms");
            assertEquals(1, run.err().lines().count(), "one line, no stack trace:\n" + run.err());
            assertTrue(run.err().startsWith("lfvit eta " + args.get(0) + ": topic " + topic + " does not exist on "
                    + config.bootstrapServers() + " and topic.create is false"), run.err());
            assertTrue(run.err().contains("cleanup.policy=compact"), "says how to create it: " + run.err());
        }
        Run show = eta(config, "show");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().startsWith("no eta set (the control topic " + topic + " does not exist yet"), show.out());
        assertFalse(topics().contains(topic), "nothing created");
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AppConfig config = cluster.configWithoutTopics("dead", tmp.resolve("dead"), tmp)
                .with(AppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + port);
        // The default wait is 15 s; a shorter one keeps the test fast.
        Run run = eta(config, "set", "0.7", "-D", "kafka.default.api.timeout.ms=2000");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.millis() < 10_000, "took " + run.millis() + " ms");
        assertEquals(1, run.err().lines().count(), "one line, no stack trace:\n" + run.err());
        assertTrue(run.err().startsWith("lfvit eta set: no answer from Kafka at 127.0.0.1:" + port), run.err());
    }
}
