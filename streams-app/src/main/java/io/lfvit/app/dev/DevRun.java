package io.lfvit.app.dev;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlKeys;
import io.lfvit.app.controller.EtaControllerRun;
import io.lfvit.app.stack.LocalStack;
import io.lfvit.model.ModelConfig;
import io.lfvit.schemas.avro.ControlUpdate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code lfvit dev}: the {@link LocalStack} kept running for other clients (like {@code confluent
 * local} or {@code redpanda dev}) until SIGINT or SIGTERM, then stopped in order, its temporary data
 * deleted, exit code 0. Prints a banner with everything a client needs: bootstrap servers, registry
 * URL, topics and their records, metrics and health, where the data is, and a command to try.
 */
public final class DevRun {
    /** The banner's first line; everything a client needs follows it. */
    public static final String READY = "lfvit dev: ready";

    private final LocalStack.Options options;
    private final PrintStream out;
    private volatile LocalStack started;
    private Double controllerTargetMs;

    public DevRun(LocalStack.Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Ports already taken among the fixed ones, as "--flag N (what)" lines; empty when all are free. */
    public static List<String> portsInUse(int brokerPort, int registryPort, int httpPort) {
        List<String> taken = new ArrayList<>();
        check(taken, "127.0.0.1", brokerPort, "--port", "Kafka");
        check(taken, "127.0.0.1", registryPort, "--registry-port", "schema registry");
        check(taken, "0.0.0.0", httpPort, "--http-port", "metrics and health");
        return taken;
    }

    private static void check(List<String> taken, String host, int port, String flag, String what) {
        if (port <= 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            taken.add(flag + " " + port + " (" + what + ")");
        }
    }

    /** Also runs the eta controller with this target p99 (ms); null: none. */
    public DevRun withController(Double targetMs) {
        this.controllerTargetMs = targetMs;
        return this;
    }

    /** Runs until the first SIGINT/SIGTERM; returns the exit code. */
    public int run() throws Exception {
        StopSignals signals = new StopSignals();
        boolean handled = signals.install(this::forceExit);
        if (!handled) {
            out.println("lfvit dev: cannot handle SIGINT/SIGTERM in this JVM (-Xrs?); shutdown hooks will stop the stack");
        }
        out.printf("lfvit dev: starting a single-node KRaft broker, the schema registry%s...%n",
                options.apps() ? ", a localizer and a focus worker" : "");
        long t0 = System.nanoTime();
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (Exception e) {
            out.println("lfvit dev: could not start: " + e);
            return 1;
        }
        this.started = stack;
        EtaControllerRun controller = null;
        try {
            banner(stack, (System.nanoTime() - t0) / 1e9);
            if (controllerTargetMs != null && stack.hasApps()) {
                controller = EtaControllerRun.start(stack.config(), stack.topics(), null,
                        EtaControllerRun.settings(stack.config(), controllerTargetMs), stack.prometheus(), out);
            }
            signals.await();
            out.printf("lfvit dev: %s received, stopping (applications, registry, broker)...%n", signals.first());
        } finally {
            if (controller != null) {
                controller.close();
            }
            long t1 = System.nanoTime();
            stack.close();
            out.printf(Locale.ROOT, "lfvit dev: stopped in %.1f s; %s%n", (System.nanoTime() - t1) / 1e9,
                    stack.temporary() ? "deleted " + stack.dataDir() : "data kept in " + stack.dataDir());
        }
        return 0;
    }

    /** A second signal: the orderly stop hangs or is too slow for the user. */
    private void forceExit() {
        LocalStack stack = started;
        out.println("lfvit dev: second signal, exiting at once" + (stack != null && !stack.temporary()
                ? "; data in " + stack.dataDir() + " (the broker recovers its logs on the next start)" : ""));
        if (stack != null && stack.temporary()) {
            deleteRecursively(stack.dataDir());
        }
        out.flush();
        Runtime.getRuntime().halt(130);
    }

    private void banner(LocalStack stack, double seconds) {
        AppConfig c = stack.config();
        String bootstrap = stack.bootstrapServers();
        String registry = stack.registryUrl();
        out.printf(Locale.ROOT, "%s in %.1f s. Ctrl-C or SIGTERM stops it%s.%n", READY, seconds,
                stack.temporary() ? " and deletes its data" : "");
        row("bootstrap servers", bootstrap);
        row("schema registry", registry + "   (Confluent REST API, Avro; subjects <topic>-value)");
        row("access", "listening on 127.0.0.1 only (this machine), plaintext, no SASL, no ACLs"
                + (c.string(AppConfig.REGISTRY_USERS).isBlank() ? "" : "; registry: HTTP basic auth (registry.users)")
                + "; deployments: docs/clients.md, 'Security'");
        row("topics", topicLine(c, AppConfig.TOPIC_IMAGES, "ImageEvent", "send images here (key: source id, UTF-8)"));
        row("", topicLine(c, AppConfig.TOPIC_CLASSIFICATIONS, "Classification", "the answers (key: source id; read_committed)"));
        row("", topicLine(c, AppConfig.TOPIC_FOCUS_TASKS, "FocusTask", "localizer -> focus worker"));
        row("", topicLine(c, AppConfig.TOPIC_CONTROL, "ControlUpdate", "eta at runtime: ./lfvit eta set"));
        row("", topicLine(c, AppConfig.TOPIC_DLQ, "DeadLetter", "rejected inputs, with the reason"));
        row("", topicLine(c, AppConfig.TOPIC_FRAME_TAGS, "FrameTags", "tags per source and time window (the tagger; docs/video.md)"));
        StringBuilder subjects = new StringBuilder();
        stack.schemaIds().entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> subjects.append(subjects.length() == 0 ? "" : ", ").append(e.getKey()).append(" = ").append(e.getValue()));
        row("schema ids", subjects.toString());
        if (stack.httpPort() >= 0) {
            row("metrics", "http://localhost:" + stack.httpPort() + "/metrics   health: http://localhost:" + stack.httpPort()
                    + "/health");
            if (stack.hasApps()) {
                row("live view", "http://localhost:" + stack.httpPort() + "/");
            }
        }
        if (stack.hasApps()) {
            ModelConfig model = stack.model().config();
            row("model", String.format(Locale.ROOT, "%s (%s %s, %dx%d x%d, eta %s, device %s)", stack.modelDir(),
                    model.family(), model.version(), model.imageSize(), model.imageSize(), model.channels(), eta(stack, model),
                    stack.model().device()));
        } else {
            row("applications", "none (--no-apps): run ./lfvit localizer and ./lfvit focus-worker with --bootstrap-servers "
                    + bootstrap + " --schema-registry-url " + registry);
        }
        row("data", stack.dataDir() + (stack.temporary() ? "   (temporary: deleted on exit; keep it with --data-dir DIR)"
                : "   (kept)"));
        row("try", "./lfvit produce --bootstrap-servers " + bootstrap + " --schema-registry-url " + registry
                + " --images-dir my-images --source cam-1");
        row("", "docs/local-stack.md: a Python or any other Confluent client, and reading the answers");
        out.flush();
    }

    private static String topicLine(AppConfig c, String key, String record, String what) {
        return String.format(Locale.ROOT, "%-16s %-15s %s", c.string(key), record, what);
    }

    private void row(String label, String value) {
        out.printf(Locale.ROOT, "  %-18s %s%n", label, value);
    }

    /** The eta in force: this start's --eta, else the control topic's global value (a kept data dir), else the model's. */
    private String eta(LocalStack stack, ModelConfig model) {
        if (options.eta() != null) {
            return String.format(Locale.ROOT, "%.2f (--eta)", options.eta());
        }
        try {
            ControlUpdate global = stack.control().show().get(ControlKeys.GLOBAL);
            if (global != null) {
                return String.format(Locale.ROOT, "%.2f (control topic)", global.getEta());
            }
        } catch (RuntimeException e) {
            // the model's value is still right unless someone set one
        }
        return String.format(Locale.ROOT, "%.2f", model.eta());
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort while halting
        }
    }
}
