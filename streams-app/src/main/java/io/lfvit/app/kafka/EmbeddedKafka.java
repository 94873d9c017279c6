package io.lfvit.app.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import io.lfvit.app.files.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker (the production server, combined broker + controller) in this
 * process, for the demo and {@code lfvit dev}: the log directory is formatted with Kafka's
 * StorageTool, then {@link KafkaRaftServer} starts. Settings for exactly-once on one node
 * (replication factor 1 for the offsets and transaction logs).
 *
 * <p>Either in a temporary directory of its own, deleted on close and by a shutdown hook
 * ({@link #start(int, int)}), or in a directory the caller owns and keeps ({@link #start(Path, int, int)}):
 * a restart on that directory finds its topics and offsets again. Formatting is skipped for a
 * directory formatted before, and its cluster id is reused: the formatter refuses a log directory
 * whose {@code meta.properties} names another cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /**
     * The size each new segment's offset and time index files are preallocated at (Kafka's default: 10 MiB).
     * Kafka creates them sparse and writes them through mmap; the first write to a fresh index faults, and
     * the kernel reads around the faulting page (the disk's {@code read_ahead_kb}, 8 MiB on the machine of
     * docs/pipeline-efficiency.md, eleventh session), zero-filling the file's holes: about 16 MiB of page
     * zeroing per new partition, on the request handler thread that appends. 1 MiB still holds 87,381 time
     * index entries (Kafka adds one per 4 KiB of log at most), so a segment rolls at 341 MiB or later.
     */
    static final int INDEX_MAX_BYTES = 1 << 20;

    private final Path dir;
    private final boolean ownsDir;
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final Thread hook;
    private boolean closed;

    private EmbeddedKafka(Path dir, boolean ownsDir, KafkaRaftServer server, String bootstrap) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.server = server;
        this.bootstrap = bootstrap;
        this.hook = ownsDir ? new Thread(this::deleteDir, "embedded-kafka-cleanup") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /**
     * Starts a broker in a temporary directory (deleted on close) on free ports (or {@code port} when
     * &gt; 0) with {@code maxMessageBytes} as the broker limit.
     */
    public static EmbeddedKafka start(int port, int maxMessageBytes) {
        Path dir;
        try {
            dir = Files.createTempDirectory("lfvit-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(dir, true, port, maxMessageBytes);
    }

    /**
     * Starts a broker whose configuration and logs live in {@code dir} (created when missing, kept on
     * close, reused on the next start) on {@code port} (free when 0).
     */
    public static EmbeddedKafka start(Path dir, int port, int maxMessageBytes) {
        return start(dir, false, port, maxMessageBytes);
    }

    private static EmbeddedKafka start(Path dir, boolean ownsDir, int port, int maxMessageBytes) {
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Path logs = dir.resolve("logs");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logs.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("log.index.size.max.bytes", String.valueOf(INDEX_MAX_BYTES));
        props.put("message.max.bytes", String.valueOf(maxMessageBytes));
        props.put("replica.fetch.max.bytes", String.valueOf(maxMessageBytes));
        props.put("auto.create.topics.enable", "false");
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        KafkaRaftServer server = null;
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "lfvit embedded broker");
            }
            String clusterId = clusterIdOf(logs).orElseGet(() -> Uuid.randomUuid().toString());
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                    quiet);
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format of " + logs + " failed with code " + rc);
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, ownsDir, server, "127.0.0.1:" + brokerPort);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            abandon(server, dir, ownsDir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            abandon(server, dir, ownsDir);
            throw e;
        }
    }

    /** The cluster id a formatted log directory belongs to. */
    static Optional<String> clusterIdOf(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        }
        return Optional.ofNullable(p.getProperty("cluster.id"));
    }

    /** A failed start: stops whatever the server started (its threads would keep the JVM alive). */
    private static void abandon(KafkaRaftServer server, Path dir, boolean ownsDir) {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException ignored) {
                // the original failure is the one to report
            }
        }
        if (ownsDir) {
            Directories.deleteRecursively(dir);
        }
    }

    private void awaitReady() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        long deadline = System.currentTimeMillis() + 60_000;
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("embedded broker not ready after 60 s", e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The directory holding the broker's configuration and logs. */
    public Path directory() {
        return dir;
    }

    /** A port nothing listens on now (for brokers, registries and apps started on this machine). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (ownsDir) {
            deleteDir();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
    }

    private void deleteDir() {
        Directories.deleteRecursively(dir);
    }
}
