package io.lfvit.app.faults;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.EmbeddedKafka;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.process.LfvitProcess;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.HttpSchemaRegistryClient;
import io.lfvit.schemas.registry.RegistryClientConfig;
import io.lfvit.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code lfvit faults}: the faults a deployment meets, each made for real in separate processes, as Kafka's
 * own system tests do. One broker with the schema registry runs in its own JVM ({@code lfvit dev --no-apps}
 * on a kept data directory); every case gets fresh topics and application ids, starts a localizer and a
 * focus worker as their own JVMs with the shipped model, streams a few hundred images from several sources
 * (including corrupt ones), makes its fault mid-stream, waits until every image is answered, and counts
 * what came out read_committed: lost, duplicated, and whether every dead letter's reason is true.
 */
public final class FaultMatrix implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(240);
    static final String LOCALIZER_READY = "lfvit localizer: RUNNING";
    static final String FOCUS_READY = "lfvit focus-worker: RUNNING";
    static final long REGISTRY_OUTAGE_MS = 30_000;
    static final long BROKER_DOWN_MS = 10_000;
    static final long FOCUS_DEADLINE_MS = 1500;
    static final double SLOW_FOCUS = 10;

    /** The cases, in the numbering (6 in two variants). */
    public enum Fault {
        LOCALIZER_SIGKILL("1", "SIGKILL localizer mid-stream, restart"),
        FOCUS_SIGKILL("2", "SIGKILL focus worker holding a batch, restart"),
        BROKER_RESTART("3", "broker stopped 10 s and restarted on its log dir"),
        REGISTRY_OUTAGE("4", "schema registry unreachable 30 s, new schema versions"),
        SCALE_OUT_IN("5", "2nd localizer + focus worker join, then 1 of each SIGTERM"),
        SLOW_FOCUS_NO_DEADLINE("6a", "focus worker 10x slower, no deadline"),
        SLOW_FOCUS_DEADLINE("6b", "focus worker 10x slower, 1.5 s deadline");

        public final String number;
        public final String label;

        Fault(String number, String label) {
            this.number = number;
            this.label = label;
        }

        /** "1", "6" (both variants), "6a", or the enum name. */
        public static List<Fault> parse(String text) {
            List<Fault> out = new ArrayList<>();
            for (Fault f : values()) {
                if (f.number.equals(text) || f.number.startsWith(text) && text.length() == 1 || f.name().equalsIgnoreCase(text)) {
                    out.add(f);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no fault case '" + text + "' (1, 2, 3, 4, 5, 6, 6a, 6b)");
            }
            return out;
        }
    }

    /**
     * @param images     images per case (the registry case sends a third more: its outage needs a longer stream)
     * @param rate       images per second offered by the producer (the slow-focus cases offer 4x that)
     * @param jvmOptions JVM options of the application processes
     */
    public record Settings(Path model, Path fashionMnist, Path work, int images, double rate, int partitions,
            List<String> jvmOptions, Map<String, String> appSettings) {}

    /** One row of the matrix. recoveryS: see {@link FaultMatrix} docs/faults.md; null where no single fault moment. */
    public record CaseResult(String fault, String number, long images, long answered, long deadLettered, long lost,
            long duplicated, Double recoveryS, long degraded, boolean deadLetterReasonsTrue, List<String> problems, String note,
            double seconds) {
        public boolean ok() {
            return lost == 0 && duplicated == 0 && deadLetterReasonsTrue && problems.isEmpty();
        }
    }

    /** Every child JVM started, killed when this JVM exits (Ctrl-C, a failed run): none is left behind. */
    private static final Set<LfvitProcess> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(p -> {
            try {
                if (p.alive()) {
                    p.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "lfvit-faults-children"));
    }

    private final Settings settings;
    private final PrintStream out;
    private final MatrixInputs inputs;
    private final int brokerPort;
    private final int registryPort;
    private LfvitProcess broker;
    private int brokerStarts;

    public FaultMatrix(Settings settings, PrintStream out) throws IOException {
        this.settings = settings;
        this.out = out;
        this.inputs = new MatrixInputs(settings.fashionMnist(), 200);
        this.brokerPort = EmbeddedKafka.freePort();
        this.registryPort = EmbeddedKafka.freePort();
        Files.createDirectories(settings.work());
    }

    /** Runs the cases in order; a case that fails to run is reported as a failed row, and the next one runs. */
    public List<CaseResult> run(List<Fault> cases) throws Exception {
        startBroker();
        List<CaseResult> results = new ArrayList<>();
        for (Fault f : cases) {
            out.printf("case %s: %s%n", f.number, f.label);
            long t0 = System.nanoTime();
            CaseResult r;
            try {
                r = runCase(f);
            } catch (Exception | AssertionError e) {
                r = new CaseResult(f.label, f.number, 0, 0, 0, -1, -1, null, 0, false,
                        List.of("the case could not run: " + e), "logs in " + settings.work(), (System.nanoTime() - t0) / 1e9);
                e.printStackTrace(out);
                if (broker == null || !broker.alive()) {
                    startBroker();
                }
            }
            out.printf(Locale.ROOT, "  -> %s: %d images, %d answered, %d dead-lettered, %d lost, %d duplicated, recovery %s, %.0f s%s%n",
                    r.ok() ? "OK" : "FAILED", r.images(), r.answered(), r.deadLettered(), r.lost(), r.duplicated(),
                    r.recoveryS() == null ? "-" : String.format(Locale.ROOT, "%.1f s", r.recoveryS()), r.seconds(),
                    r.problems().isEmpty() ? "" : "; " + r.problems());
            results.add(r);
        }
        return results;
    }

    // ---------------------------------------------------------------- the broker

    private void startBroker() throws Exception {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a port may linger a moment after a stop
            broker = LfvitProcess.start("broker", settings.work().resolve("broker-" + (++brokerStarts) + ".log"), "1g",
                    List.of(), List.of("dev", "--no-apps", "--port", String.valueOf(brokerPort), "--registry-port",
                            String.valueOf(registryPort), "--http-port", "-1", "--partitions", String.valueOf(settings.partitions()),
                            "--data-dir", settings.work().resolve("broker").toString()));
            CHILDREN.add(broker);
            try {
                broker.awaitLog("lfvit dev: ready", READY);
                return;
            } catch (IllegalStateException e) {
                last = e;
                broker.close();
                Thread.sleep(2000);
            }
        }
        throw last;
    }

    String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    // ---------------------------------------------------------------- one case

    /** Everything of one case: its configuration, topics, processes, producer and ledger. */
    private final class Run implements AutoCloseable {
        final String number;
        final String label;
        final String id;
        final Path dir;
        final AppConfig driver; // this process: the registry directly
        final AppConfig apps;   // the application processes (the registry maybe through a proxy)
        final AvroSerdes serdes;
        final Topics topics;
        final OutputLedger ledger;
        final List<LfvitProcess> processes = new ArrayList<>();
        final Map<String, Integer> httpPorts = new ConcurrentHashMap<>();
        final KafkaProducer<String, byte[]> producer;
        volatile Function<ImageEvent, byte[]> encoder;
        final Set<UUID> tagged = ConcurrentHashMap.newKeySet(); // images sent while a case-specific condition held
        volatile boolean tagging;
        volatile Exception sendFailure;

        Run(Fault fault, String registryForApps, Map<String, ?> appExtra) throws IOException {
            this(fault.number, fault.label, registryForApps, appExtra);
        }

        Run(String number, String label, String registryForApps, Map<String, ?> appExtra) throws IOException {
            this.number = number;
            this.label = label;
            this.id = "f" + number + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
            this.dir = Files.createDirectories(settings.work().resolve(id));
            Map<String, Object> c = new TreeMap<>();
            c.put(AppConfig.BOOTSTRAP_SERVERS, bootstrap());
            c.put(AppConfig.SCHEMA_REGISTRY_URL, registryUrl());
            c.put(AppConfig.MODEL_DIR, settings.model().toAbsolutePath());
            c.put(AppConfig.TOPIC_IMAGES, id + "-images");
            c.put(AppConfig.TOPIC_CLASSIFICATIONS, id + "-classifications");
            c.put(AppConfig.TOPIC_FOCUS_TASKS, id + "-focus-tasks");
            c.put(AppConfig.TOPIC_CONTROL, id + "-control");
            c.put(AppConfig.TOPIC_DLQ, id + "-dlq");
            c.put(AppConfig.TOPIC_PARTITIONS, settings.partitions());
            c.put(AppConfig.LOCALIZER_APPLICATION_ID, id + "-localizer");
            c.put(AppConfig.FOCUS_APPLICATION_ID, id + "-focus");
            c.put(AppConfig.INFERENCE_THREADS, 1); // two to four app processes share the cores
            c.put(AppConfig.DECODE_THREADS, 1);
            c.put(AppConfig.TRANSACTION_TIMEOUT_MS, 20_000); // a killed process's open transaction ends within 20 s
            // a killed member leaves its group after 6 s (the broker's minimum), not the default 45 s
            c.put("kafka.consumer.session.timeout.ms", 6000);
            c.put("kafka.consumer.heartbeat.interval.ms", 1000);
            this.driver = AppConfig.defaults().withAll(settings.appSettings()).withAll(c);
            Map<String, Object> a = new TreeMap<>(appExtra);
            a.put(AppConfig.SCHEMA_REGISTRY_URL, registryForApps);
            this.apps = driver.withAll(a);
            TopicSetup.ensure(driver);
            this.serdes = new AvroSerdes(driver.serdeConfig());
            this.topics = new Topics(driver, serdes);
            this.ledger = new OutputLedger(driver, topics);
            Properties p = StreamsProps.client(driver);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, driver.topicMaxMessageBytes());
            this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            var typed = topics.images().valueSerde().serializer();
            String imagesTopic = topics.images().name();
            this.encoder = e -> typed.serialize(imagesTopic, e);
        }

        /** Starts an app process in state slot {@code slot} (a restart reuses its slot: same host, same state dir). */
        LfvitProcess start(String command, int slot, Map<String, ?> extra) throws IOException {
            String name = command + "-" + slot;
            int port = EmbeddedKafka.freePort();
            httpPorts.put(name, port);
            List<String> args = new ArrayList<>(List.of(command));
            AppConfig config = apps.withAll(extra).with(AppConfig.HTTP_PORT, port)
                    .with(AppConfig.STATE_DIR, Files.createDirectories(dir.resolve(name + "-state")));
            config.asMap().forEach((k, v) -> {
                args.add("-D");
                args.add(k + "=" + v);
            });
            long n = processes.stream().filter(p -> p.name().equals(name)).count();
            LfvitProcess p = LfvitProcess.start(name, dir.resolve(name + (n == 0 ? "" : "-" + (n + 1)) + ".log"), "1g",
                    settings.jvmOptions(), args);
            processes.add(p);
            CHILDREN.add(p);
            return p;
        }

        void awaitRunning(LfvitProcess... ps) throws Exception {
            for (LfvitProcess p : ps) {
                p.awaitLog(p.name().startsWith("localizer") ? LOCALIZER_READY : FOCUS_READY, READY);
            }
        }

        /** Sends {@code n} images at {@code rate} per second in the background. */
        CompletableFuture<Long> stream(int n, double rate) {
            return CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                Map<String, Long> seq = new TreeMap<>();
                for (long i = 0; i < n; i++) {
                    long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    MatrixInputs.Input in = inputs.get(i);
                    ImageEvent e = ImageProducer.event(in.source(), seq.merge(in.source(), 1L, Long::sum) - 1, in.frame());
                    if (tagging) {
                        tagged.add(e.getEventId());
                    }
                    producer.send(new ProducerRecord<>(topics.images().name(), e.getSourceId(), encoder.apply(e)), (m, error) -> {
                        if (error != null) {
                            sendFailure = error;
                        } else {
                            ledger.produced(e, in.mustDeadLetter());
                        }
                    });
                }
                producer.flush();
                if (sendFailure != null) {
                    throw new IllegalStateException("sending images failed: " + sendFailure, sendFailure);
                }
                return (long) n;
            });
        }

        void awaitOutputs(long n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ledger.outputs().size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + ledger.outputs().size() + " of " + n + " outputs within " + timeout
                            + "; logs in " + dir);
                }
                Thread.sleep(50);
            }
        }

        /** Waits for the producer, then until every acknowledged image has an output, then a while for late duplicates. */
        void awaitAllAnswered(CompletableFuture<Long> sending, Duration timeout) throws Exception {
            sending.get(timeout.toSeconds(), TimeUnit.SECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastPrint = System.nanoTime();
            while (ledger.missing() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(ledger.missing() + " of " + ledger.producedCount() + " images unanswered after "
                            + timeout + "; logs in " + dir);
                }
                if (System.nanoTime() - lastPrint > 10e9) {
                    out.printf("  waiting: %d of %d images answered%n", ledger.producedCount() - ledger.missing(),
                            ledger.producedCount());
                    lastPrint = System.nanoTime();
                }
                Thread.sleep(100);
            }
            Thread.sleep(3000); // a duplicate would come with one of the next commits
        }

        CaseResult result(Double recoveryS, String note, long t0) {
            OutputLedger.Counts c = ledger.counts();
            boolean reasonsTrue = c.problems().stream().noneMatch(p -> p.contains("dead-lettered"));
            return new CaseResult(label, number, c.images(), c.answered(), c.deadLettered(), c.lost(), c.duplicated(),
                    recoveryS, c.degraded(), reasonsTrue, c.problems(), note, (System.nanoTime() - t0) / 1e9);
        }

        /** Seconds from {@code faultAtMs} to the first committed output for an image captured at or after it. */
        Double recoverySince(long faultAtMs) {
            long first = ledger.firstAnswerToImageCapturedSince(faultAtMs);
            return first < 0 ? null : (first - faultAtMs) / 1000.0;
        }

        @Override
        public void close() throws Exception {
            for (LfvitProcess p : processes) {
                if (p.alive()) {
                    p.close();
                }
            }
            producer.close();
            ledger.close();
            serdes.close();
        }
    }

    private CaseResult runCase(Fault f) throws Exception {
        return switch (f) {
            case LOCALIZER_SIGKILL -> killAndRestart(f, "localizer");
            case FOCUS_SIGKILL -> killAndRestart(f, "focus-worker");
            case BROKER_RESTART -> brokerRestart(f);
            case REGISTRY_OUTAGE -> registryOutage(f);
            case SCALE_OUT_IN -> scaleOutAndIn(f);
            case SLOW_FOCUS_NO_DEADLINE -> slowFocus(f, 0);
            case SLOW_FOCUS_DEADLINE -> slowFocus(f, FOCUS_DEADLINE_MS);
        };
    }

    private Duration drainTimeout(int images) {
        return Duration.ofSeconds(Math.max(240, images / 2));
    }

    /** Cases 1 and 2: SIGKILL one app mid-stream, start it again on the same state directory at once. */
    private CaseResult killAndRestart(Fault f, String victim) throws Exception {
        long t0 = System.nanoTime();
        // the focus worker 3x slower in case 2: its batches take long enough that the kill lands while it holds one
        Map<String, Object> focusExtra = victim.equals("focus-worker") ? Map.of(AppConfig.INFERENCE_SLOWDOWN, 3) : Map.of();
        try (Run run = new Run(f, registryUrl(), Map.of())) {
            LfvitProcess localizer = run.start("localizer", 1, Map.of());
            LfvitProcess focus = run.start("focus-worker", 1, focusExtra);
            run.awaitRunning(localizer, focus);
            int n = settings.images();
            CompletableFuture<Long> sending = run.stream(n, settings.rate());
            run.awaitOutputs(n / 4, drainTimeout(n));
            String note;
            LfvitProcess target = victim.equals("localizer") ? localizer : focus;
            if (victim.equals("focus-worker")) {
                // holds a batch: tasks it has fetched or is working on, not yet committed (its group's lag)
                long lag = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((lag = focusLag(run)) <= 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                note = lag + " focus tasks uncommitted by the focus group at the SIGKILL";
            } else {
                note = "";
            }
            long faultAt = System.currentTimeMillis();
            int answeredAtKill = run.ledger.outputs().size();
            target.kill();
            LfvitProcess restarted = run.start(victim, 1, victim.equals("focus-worker") ? focusExtra : Map.of());
            run.awaitRunning(restarted);
            double restartS = (System.currentTimeMillis() - faultAt) / 1000.0;
            run.awaitAllAnswered(sending, drainTimeout(n));
            note = String.format(Locale.ROOT, "%d answered at the kill; the new process RUNNING %.1f s after it%s", answeredAtKill,
                    restartS, note.isEmpty() ? "" : "; " + note);
            Double recovery = run.recoverySince(faultAt);
            if (victim.equals("focus-worker")) { // the localizer's early exits never stopped: time the focus answers
                long first = run.ledger.firstFocusAnswerToImageCapturedSince(faultAt);
                recovery = first < 0 ? null : (first - faultAt) / 1000.0;
                note += "; recovery: to the first focus-stage answer";
            }
            return run.result(recovery, note, t0);
        }
    }

    /** The focus group's committed offsets behind the end of focus-tasks: tasks fetched or pending, not yet answered. */
    private long focusLag(Run run) {
        try (Admin admin = Admin.create(StreamsProps.client(run.driver))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    run.driver.string(AppConfig.FOCUS_APPLICATION_ID)).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
            for (int p = 0; p < settings.partitions(); p++) {
                ends.put(new TopicPartition(run.topics.focusTasks().name(), p), OffsetSpec.latest());
            }
            long lag = 0;
            for (var e : admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Case 3: the broker (and the registry in its JVM) stopped mid-stream, started again on the same log directory. */
    private CaseResult brokerRestart(Fault f) throws Exception {
        long t0 = System.nanoTime();
        try (Run run = new Run(f, registryUrl(), Map.of())) {
            LfvitProcess localizer = run.start("localizer", 1, Map.of());
            LfvitProcess focus = run.start("focus-worker", 1, Map.of());
            run.awaitRunning(localizer, focus);
            int n = settings.images();
            CompletableFuture<Long> sending = run.stream(n, settings.rate());
            run.awaitOutputs(n / 4, drainTimeout(n));
            long faultAt = System.currentTimeMillis();
            broker.close(); // SIGTERM: lfvit dev stops the registry and the broker, keeps the data directory
            double stoppedS = (System.currentTimeMillis() - faultAt) / 1000.0;
            Thread.sleep(BROKER_DOWN_MS);
            long restartAt = System.currentTimeMillis();
            startBroker();
            double readyS = (System.currentTimeMillis() - restartAt) / 1000.0;
            run.awaitAllAnswered(sending, drainTimeout(n));
            boolean appsAlive = localizer.alive() && focus.alive();
            List<String> extra = appsAlive ? List.of() : List.of("an application process died during the broker restart");
            CaseResult r = run.result(run.recoverySince(faultAt), String.format(Locale.ROOT,
                    "broker stopped in %.1f s, down %.0f s, ready again in %.1f s; the same app processes throughout: %s",
                    stoppedS, BROKER_DOWN_MS / 1000.0, readyS, appsAlive), t0);
            return withProblems(r, extra);
        }
    }

    /**
     * Case 4: the applications reach the registry through a proxy that is cut for 30 s mid-stream. During the
     * outage a producer (which still reaches the registry) registers a new ImageEvent version and sends with it:
     * the localizer must wait for the registry, not dead-letter them. After the registry is back, another new
     * version. No good image may be dead-lettered; the applications recover by themselves.
     */
    private CaseResult registryOutage(Fault f) throws Exception {
        long t0 = System.nanoTime();
        try (TcpProxy proxy = new TcpProxy(EmbeddedKafka.freePort(), registryPort);
                Run run = new Run(f, "http://127.0.0.1:" + proxy.port(), Map.of());
                HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.builder(registryUrl()).build())) {
            LfvitProcess localizer = run.start("localizer", 1, Map.of());
            LfvitProcess focus = run.start("focus-worker", 1, Map.of());
            run.awaitRunning(localizer, focus);
            int n = settings.images() * 4 / 3;
            double rate = n / Math.max(45.0, n / settings.rate()); // the stream outlasts the outage
            CompletableFuture<Long> sending = run.stream(n, rate);
            run.awaitOutputs(n / 6, drainTimeout(n));
            long faultAt = System.currentTimeMillis();
            proxy.cut();
            Thread.sleep(3000);
            String subject = run.topics.images().name() + "-value";
            EvolvedImageEvents v2 = new EvolvedImageEvents(registry, subject, "site");
            run.tagging = true; // from here on, images written with the version the apps cannot fetch yet
            run.encoder = e -> v2.encode(e, "plant-2");
            Thread.sleep(REGISTRY_OUTAGE_MS - 3000);
            run.tagging = false;
            Set<UUID> duringOutage = Set.copyOf(run.tagged);
            proxy.restore();
            long backAt = System.currentTimeMillis();
            Thread.sleep(2000);
            EvolvedImageEvents v3 = new EvolvedImageEvents(registry, subject, "site", "lens");
            run.encoder = e -> v3.encode(e, "plant-3");
            run.awaitAllAnswered(sending, drainTimeout(n));
            long firstNew = run.ledger.outputs().stream().filter(o -> duringOutage.contains(o.eventId()))
                    .mapToLong(OutputLedger.Output::receivedMs).min().orElse(-1);
            List<String> extra = new ArrayList<>();
            if (!localizer.alive() || !focus.alive()) {
                extra.add("an application process died during the registry outage");
            }
            if (duringOutage.isEmpty()) {
                extra.add("no image was sent with the new schema version during the outage");
            }
            String note = String.format(Locale.ROOT, "%d images written with schema id %d during the outage (unknown to the apps),"
                    + " answered from %.1f s after the registry came back; then schema id %d", duringOutage.size(), v2.id(),
                    firstNew < 0 ? Double.NaN : (firstNew - backAt) / 1000.0, v3.id());
            return withProblems(run.result(firstNew < 0 ? null : (firstNew - faultAt) / 1000.0, note, t0), extra);
        }
    }

    /** Case 5: a second localizer and focus worker join mid-stream, then the first of each leaves with SIGTERM. */
    private CaseResult scaleOutAndIn(Fault f) throws Exception {
        long t0 = System.nanoTime();
        try (Run run = new Run(f, registryUrl(), Map.of())) {
            LfvitProcess localizer1 = run.start("localizer", 1, Map.of());
            LfvitProcess focus1 = run.start("focus-worker", 1, Map.of());
            run.awaitRunning(localizer1, focus1);
            int n = settings.images() * 4 / 3;
            // The stream outlasts the second pair's start and the first pair's leave: a pair joining under this load
            // (JVM, model load and warm-up, the record-path rehearsal) took 29-33 s on a slow 2-core host (2026-11-29).
            double rate = n / Math.max(70.0, n / settings.rate());
            CompletableFuture<Long> sending = run.stream(n, rate);
            run.awaitOutputs(n / 6, drainTimeout(n));
            long joinAt = System.currentTimeMillis();
            LfvitProcess localizer2 = run.start("localizer", 2, Map.of());
            LfvitProcess focus2 = run.start("focus-worker", 2, Map.of());
            run.awaitRunning(localizer2, focus2);
            double joinedS = (System.currentTimeMillis() - joinAt) / 1000.0;
            Thread.sleep(4000); // both members of each group take work
            long leaveAt = System.currentTimeMillis();
            localizer1.close(); // SIGTERM
            focus1.close();
            double leftS = (System.currentTimeMillis() - leaveAt) / 1000.0;
            boolean stillSending = !sending.isDone();
            run.awaitAllAnswered(sending, drainTimeout(n));
            List<String> extra = stillSending ? List.of() : List.of("the stream ended before the first pair left (not mid-stream)");
            return withProblems(run.result(run.recoverySince(leaveAt), String.format(Locale.ROOT,
                    "second pair RUNNING %.1f s after the join; the first pair stopped by SIGTERM in %.1f s; recovery from the leave",
                    joinedS, leftS), t0), extra);
        }
    }

    /** Case 6: the focus worker 10x slower than the localizer, without and with a focus deadline. */
    private CaseResult slowFocus(Fault f, long deadlineMs) throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> deadline = Map.of(AppConfig.FOCUS_DEADLINE_MS, deadlineMs);
        try (Run run = new Run(f, registryUrl(), deadline)) {
            LfvitProcess localizer = run.start("localizer", 1, Map.of());
            LfvitProcess focus = run.start("focus-worker", 1, Map.of(AppConfig.INFERENCE_SLOWDOWN, SLOW_FOCUS));
            run.awaitRunning(localizer, focus);
            int n = settings.images();
            long start = System.currentTimeMillis();
            CompletableFuture<Long> sending = run.stream(n, settings.rate() * 4);
            run.awaitAllAnswered(sending, drainTimeout(n));
            OutputLedger.Counts c = run.ledger.counts();
            List<OutputLedger.Output> outs = run.ledger.outputs();
            long lastMs = outs.stream().mapToLong(OutputLedger.Output::receivedMs).max().orElse(start);
            List<String> extra = new ArrayList<>();
            if (deadlineMs == 0 && c.degraded() > 0) {
                extra.add(c.degraded() + " degraded answers without a deadline");
            }
            if (deadlineMs > 0 && c.degraded() == 0) {
                extra.add("no degraded answer with a " + deadlineMs + " ms deadline and a 10x slower focus worker");
            }
            outs.stream().filter(OutputLedger.Output::degraded)
                    .filter(o -> o.degradedReason() == null || !o.degradedReason().contains("deadline")).findFirst()
                    .ifPresent(o -> extra.add("a degraded answer whose reason is not the deadline: " + o.degradedReason()));
            return withProblems(run.result(null, String.format(Locale.ROOT,
                    "%.0f images/s offered; %d focus answers, %d degraded (the localization answer, reason: the deadline); last answer"
                            + " %.1f s after the first image was sent", settings.rate() * 4, run.ledger.focusAnswers(), c.degraded(),
                    (lastMs - start) / 1000.0), t0), extra);
        }
    }

    private static CaseResult withProblems(CaseResult r, List<String> extra) {
        if (extra.isEmpty()) {
            return r;
        }
        List<String> problems = new ArrayList<>(r.problems());
        problems.addAll(extra);
        return new CaseResult(r.fault(), r.number(), r.images(), r.answered(), r.deadLettered(), r.lost(), r.duplicated(),
                r.recoveryS(), r.degraded(), r.deadLetterReasonsTrue(), problems, r.note(), r.seconds());
    }

    // ---------------------------------------------------------------- the soak

    /** One 10 s sample of one application process. */
    public record ProcessSample(String process, double heapMb, double rssMb, int openFiles, int threads) {}

    /** One 10 s window: when, what each process used, and the latency of the answers read in the window. */
    public record SoakSample(double minute, List<ProcessSample> processes, long answers, double p50Ms, double p99Ms) {}

    /** The soak: the offered load, the samples, the reconciled counts and each resource's trend. */
    public record SoakResult(double minutes, double capacityImagesPerS, double offeredImagesPerS, List<SoakSample> samples,
            CaseResult counts, Map<String, Map<String, Double>> trendPer10Min) {}

    /**
     * The split layout (a localizer and a focus worker, each its own JVM) at half its capacity for
     * {@code minutes}: the capacity is measured first on a burst of images, then a paced producer offers half
     * of it; every 10 s heap (the app's own jvm_memory_used_bytes), RSS, open files and threads (from /proc) of
     * each app, and the latency (capture to committed answer) of the answers read in those 10 s.
     */
    public SoakResult soak(double minutes) throws Exception {
        if (broker == null) {
            startBroker();
        }
        long t0 = System.nanoTime();
        try (Run run = new Run("soak", "soak at 50% of capacity", registryUrl(), Map.of())) {
            LfvitProcess localizer = run.start("localizer", 1, Map.of());
            LfvitProcess focus = run.start("focus-worker", 1, Map.of());
            run.awaitRunning(localizer, focus);
            List<LfvitProcess> apps = List.of(localizer, focus);

            int burst = 600;
            long burstStart = System.currentTimeMillis();
            run.awaitAllAnswered(run.stream(burst, 10_000), drainTimeout(burst));
            long burstEnd = run.ledger.outputs().stream().mapToLong(OutputLedger.Output::receivedMs).max().orElseThrow();
            double capacity = burst / ((burstEnd - burstStart) / 1000.0);
            double rate = capacity / 2;
            out.printf(Locale.ROOT, "soak: capacity %.1f images/s (burst of %d); offering %.1f images/s for %.0f min%n", capacity, burst,
                    rate, minutes);

            long soakStart = System.currentTimeMillis();
            int n = (int) (rate * minutes * 60);
            CompletableFuture<Long> sending = run.stream(n, rate);
            List<SoakSample> samples = new ArrayList<>();
            long next = soakStart + 10_000;
            long giveUp = soakStart + (long) (minutes * 60_000) + 300_000;
            while (!(sending.isDone() && run.ledger.missing() == 0) && System.currentTimeMillis() < giveUp) {
                long now = System.currentTimeMillis();
                if (now >= next) {
                    SoakSample sample = sample(run, apps, (now - soakStart) / 60_000.0, next - 10_000, next);
                    samples.add(sample);
                    if (samples.size() % 6 == 0) {
                        out.printf(Locale.ROOT, "  %4.1f min: %s; p50 %.0f ms, p99 %.0f ms%n", sample.minute(),
                                sample.processes().stream().map(p -> String.format(Locale.ROOT, "%s heap %.0f MB rss %.0f MB fds %d threads %d",
                                        p.process(), p.heapMb(), p.rssMb(), p.openFiles(), p.threads())).toList(),
                                sample.p50Ms(), sample.p99Ms());
                    }
                    next += 10_000;
                }
                Thread.sleep(200);
            }
            run.awaitAllAnswered(sending, drainTimeout(n));
            CaseResult counts = run.result(null, String.format(Locale.ROOT, "%.1f images/s for %.0f min", rate, minutes), t0);
            return new SoakResult(minutes, capacity, rate, samples, counts, trends(samples));
        }
    }

    private SoakSample sample(Run run, List<LfvitProcess> apps, double minute, long fromMs, long toMs) {
        List<ProcessSample> ps = new ArrayList<>();
        for (LfvitProcess p : apps) {
            ps.add(new ProcessSample(p.name(), heapMb(run.httpPorts.getOrDefault(p.name(), -1)), procStatus(p.pid(), "VmRSS") / 1024.0,
                    openFiles(p.pid()), (int) procStatus(p.pid(), "Threads")));
        }
        double[] latencies = run.ledger.outputs().stream().filter(o -> !o.deadLetter() && o.receivedMs() >= fromMs && o.receivedMs() < toMs)
                .mapToDouble(o -> o.receivedMs() - o.captureMs()).sorted().toArray();
        return new SoakSample(Math.round(minute * 100) / 100.0, ps, latencies.length, percentile(latencies, 0.5),
                percentile(latencies, 0.99));
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The heap in use of the app's JVM in MB, from its /metrics; NaN when not readable. */
    static double heapMb(int port) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            boolean any = false;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    any = true;
                }
            }
            return any ? sum / (1024 * 1024) : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** A number field of /proc/PID/status (kB for sizes); -1 when not readable. */
    static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        }
        return -1;
    }

    static int openFiles(long pid) {
        String[] fds = Path.of("/proc", String.valueOf(pid), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * Per process and resource, the least-squares slope over the samples after the first two minutes (warm-up:
     * JIT, pools, the allocator filling), in units per 10 minutes; and the latency's.
     */
    static Map<String, Map<String, Double>> trends(List<SoakSample> samples) {
        List<SoakSample> steady = samples.stream().filter(s -> s.minute() >= 2).toList();
        if (steady.size() < 3) {
            steady = samples;
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        if (steady.isEmpty()) {
            return out;
        }
        for (int i = 0; i < steady.get(0).processes().size(); i++) {
            final int k = i;
            Map<String, Double> t = new LinkedHashMap<>();
            t.put("heap_mb", slope(steady, s -> s.processes().get(k).heapMb()));
            t.put("rss_mb", slope(steady, s -> s.processes().get(k).rssMb()));
            t.put("open_files", slope(steady, s -> s.processes().get(k).openFiles()));
            t.put("threads", slope(steady, s -> s.processes().get(k).threads()));
            out.put(steady.get(0).processes().get(k).process(), t);
        }
        Map<String, Double> latency = new LinkedHashMap<>();
        latency.put("p50_ms", slope(steady, SoakSample::p50Ms));
        latency.put("p99_ms", slope(steady, SoakSample::p99Ms));
        out.put("latency", latency);
        return out;
    }

    private static double slope(List<SoakSample> samples, java.util.function.ToDoubleFunction<SoakSample> y) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (SoakSample s : samples) {
            double v = y.applyAsDouble(s);
            if (Double.isNaN(v)) {
                continue;
            }
            double x = s.minute() / 10; // per 10 minutes
            n++;
            sx += x;
            sy += v;
            sxx += x * x;
            sxy += x * v;
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : Math.round((n * sxy - sx * sy) / d * 100) / 100.0;
    }


    @Override
    public void close() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }
}
