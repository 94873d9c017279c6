package io.lfvit.app.bench;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.demo.OutputReader;
import io.lfvit.app.demo.Tally;
import io.lfvit.app.files.Directories;
import io.lfvit.app.kafka.EmbeddedKafka;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.process.LfvitProcess;
import io.lfvit.app.produce.Frame;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The pipeline rows of {@code lfvit bench}: a broker with the registry in its own JVM (started once),
 * and per row fresh topics and application ids, the images topic filled before the applications start,
 * then the applications as their own processes ({@link BenchSettings#layout()}). Throughput is the time
 * from the first record the localizer admitted (its {@code lfvit_first_input_ms}) to the last answer read
 * committed.
 */
final class PipelineBench implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(180);
    /** How long each load is offered in a warm-up round of the latency rows (not counted). */
    static final double LATENCY_WARM_UP_SECONDS = 10;
    /** At most this many warm-up rounds before the latency rows. */
    static final int LATENCY_WARM_UP_MAX_ROUNDS = 8;
    /** The latency warm-up ends after a round in which the broker's and this JVM's compilers used at most this many cores. */
    static final double LATENCY_JIT_SETTLED_CORES = 0.04;
    static final String[] LOCALIZATION_STEPS = {"avro", "decode", "decode-wait", "batch-wait", "inference-wait", "model", "model-thread-cpu",
        "forward"};
    static final String[] FOCUS_STEPS = {"handoff", "avro", "batch-wait", "inference-wait", "model", "model-thread-cpu", "forward"};

    /** One throughput row through the pipeline. */
    record Row(String model, Double eta, String input, int images, double seconds, double imagesPerS, double exitRate,
            double accuracy, long duplicates, long missing, long deadLettered, Map<String, Map<String, Double>> breakdown,
            Map<String, Double> meanBatch, Map<String, Double> cpuMsPerImage, Pace pace) {}

    /**
     * One offered load of the latency rows; {@code byStage}: p50 and p99 of the early exits' and of the focused
     * images' answers apart; batches, CPU and the steps' ms per image over this load only.
     */
    record LatencyPoint(double load, double offeredImagesPerS, int images, double p50Ms, double p99Ms, double achievedImagesPerS,
            Map<String, Map<String, Double>> byStage, Map<String, Double> meanBatch, Map<String, Double> cpuMsPerImage,
            Map<String, Map<String, Double>> breakdown) {}

    /** One warm-up round of the latency rows (every load once): its length and the two compilers' CPU meanwhile. */
    record LatencyWarmUpRound(int round, double seconds, double brokerJitSeconds, double benchJitSeconds) {

        /** Cores the two compilers used on average over the round. */
        double jitCores() {
            return (brokerJitSeconds + benchJitSeconds) / seconds;
        }
    }

    /** The latency rows and the warm-up rounds before them. */
    record Latency(List<LatencyWarmUpRound> warmUp, List<LatencyPoint> points) {}
    private final BenchSettings settings;
    private final PrintStream out;
    private final Path work;
    private LfvitProcess broker;
    private String bootstrap;
    private String registry;
    private int rowCount;

    PipelineBench(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.work = settings.workDir();
    }

    void startBroker() throws Exception {
        int port = EmbeddedKafka.freePort();
        int registryPort = EmbeddedKafka.freePort();
        // the broker as a broker runs: the JVM's defaults, not the serving apps' options
        broker = LfvitProcess.start("broker", work.resolve("broker.log"), "2g", List.of(), List.of("dev", "--no-apps",
                "--port", String.valueOf(port), "--registry-port", String.valueOf(registryPort), "--http-port", "-1",
                "--partitions", String.valueOf(settings.partitions()), "--data-dir", work.resolve("broker").toString()));
        broker.awaitLog("lfvit dev: ready", READY);
        bootstrap = "127.0.0.1:" + port;
        registry = "http://127.0.0.1:" + registryPort;
        out.printf("  broker and schema registry in their own JVM: %s, %s%n", bootstrap, registry);
    }

    /**
     * A throughput row: N frames through the layout's processes, from a filled topic. (Filling a topic created
     * a moment before once lost a batch now and then, KAFKA-15591: {@link TopicSetup} now waits until the
     * broker serves the new partitions.)
     */
    Row throughput(String modelName, Path bundle, Double eta, String input, List<Frame> frames) throws Exception {
        String id = "bench" + (++rowCount);
        AppConfig config = rowConfig(id, bundle);
        Tally tally = new Tally();
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig())) {
            Topics topics = new Topics(config, serdes);
            TopicSetup.ensure(config);
            if (eta != null) {
                new ControlClient(config, topics.control()).set(eta, null, null, "lfvit bench");
            }
            produce(config, topics, frames.iterator(), 0, tally);
            AnswerTimeline timeline = new AnswerTimeline(tally);
            try (OutputReader reader = new OutputReader(config, topics, timeline)) {
                List<Integer> ports = new ArrayList<>();
                Map<LfvitProcess, Double> cpuAtRunning = new LinkedHashMap<>();
                List<LfvitProcess> apps = startApps(id, config, ports, cpuAtRunning);
                List<LfvitProcess> all = new ArrayList<>(apps);
                all.add(broker);
                try {
                    awaitAnswers(label(modelName, eta, input), tally, frames.size());
                    Map<String, Double> cpu = new LinkedHashMap<>();
                    for (int i = 0; i < all.size(); i++) {
                        cpu.put(all.get(i).name(), round((all.get(i).cpuSeconds() - cpuAtRunning.get(all.get(i))) * 1000
                                / frames.size()));
                    }
                    List<Prometheus> scrapes = new ArrayList<>();
                    for (int p : ports) {
                        scrapes.add(Prometheus.scrape(p));
                    }
                    double first = scrapes.stream().mapToDouble(s -> s.min("lfvit_first_input_ms", "stage", "localization"))
                            .filter(v -> !Double.isNaN(v)).min().orElseThrow();
                    double seconds = (tally.lastReceivedMs() - first) / 1000.0;
                    timeline.write(work.resolve(id + "-answers.csv"), (long) first);
                    return new Row(modelName, eta, input, frames.size(), seconds, frames.size() / seconds, tally.exitRate(),
                            tally.accuracy(), tally.duplicates(), tally.missing(), tally.deadLettered(),
                            breakdown(scrapes, List.of(), tally), meanBatches(scrapes, List.of()), cpu,
                            timeline.pace(first));
                } finally {
                    stopAll(apps);
                }
            }
        }
    }

    /** One round of the broker's warm-up: images sent flat out and answered, the broker's CPU and JIT CPU meanwhile. */
    record WarmUpRound(double eta, int images, double seconds, double brokerCpuSeconds, double brokerJitSeconds) {}

    /**
     * Brings the broker to the state a deployed one is in, long-running and compiled: one set of apps on
     * topics of their own, then rounds of {@code frames} sent flat out and answered, until a round (the third
     * or later) in which the broker's JIT compiler threads used at most {@code settledJitShare} of its CPU, or
     * {@code maxRounds}. A fresh broker keeps compiling for minutes under this load: on this 2-core machine
     * (2026-11-28) its CPU per round of 2,000 canvases fell from 5.4 s (2.1 s of it JIT) to 1.5 s (0.3 s JIT)
     * over eight rounds, with bursts of recompilation on the way (1.1 and 1.5 s of JIT in rounds 4 and 5), and
     * without this the first rows paid for it on the cores they measure. The rounds take {@code etas} in
     * turn (set on the control topic, the apps running on), so that the broker compiles for the mix of
     * classifications and focus tasks each row will send. Nothing here is counted.
     */
    List<WarmUpRound> warmUpBroker(Path bundle, List<Double> etas, List<Frame> frames, double settledJitShare,
            int maxRounds) throws Exception {
        return onRunningApps(bundle, etas.get(0), frames, (config, topics, cycle, apps) -> {
            List<WarmUpRound> rounds = new ArrayList<>();
            ControlClient control = new ControlClient(config, topics.control());
            for (int round = 1; round <= maxRounds; round++) {
                double eta = etas.get((round - 1) % etas.size());
                if (round > 1 && etas.size() > 1) {
                    control.set(eta, null, null, "lfvit bench warm-up");
                }
                double cpu0 = broker.cpuSeconds();
                double jit0 = broker.compilerCpuSeconds();
                long t0 = System.nanoTime();
                offer(config, topics, cycle, 0, frames.size(), "broker warm-up, round " + round);
                WarmUpRound r = new WarmUpRound(eta, frames.size(), (System.nanoTime() - t0) / 1e9,
                        broker.cpuSeconds() - cpu0, Math.max(0, broker.compilerCpuSeconds() - jit0));
                rounds.add(r);
                out.printf(Locale.ROOT, "  broker warm-up, round %d (eta %.2f): %d canvases in %.1f s, broker CPU %.2f s, of it"
                        + " JIT %.2f s%n", round, eta, r.images(), r.seconds(), r.brokerCpuSeconds(), r.brokerJitSeconds());
                if (round >= 3 && isSettled(r, settledJitShare)) {
                    break;
                }
            }
            return rounds;
        });
    }

    /** Whether the broker's JIT used at most {@code jitShare} of its CPU in {@code round}. */
    static boolean isSettled(WarmUpRound round, double jitShare) {
        return round.brokerJitSeconds() <= jitShare * round.brokerCpuSeconds();
    }

    /**
     * The latency rows: the layout's processes on an empty topic, warmed up, then a paced producer at each
     * share of {@code capacity} for {@link BenchSettings#latencySeconds()}; capture to committed answer.
     */
    Latency latency(Path bundle, double eta, double capacity, List<Frame> frames) throws Exception {
        return onRunningApps(bundle, eta, frames, (config, topics, cycle, apps) -> {
            List<LatencyPoint> points = new ArrayList<>();
            List<LatencyWarmUpRound> warmUp = warmUpPaced(config, topics, cycle, capacity);
            for (double load : settings.loads()) {
                double rate = load * capacity;
                int n = (int) Math.max(100, rate * settings.latencySeconds());
                Snapshot before = apps.snapshot();
                long start = System.currentTimeMillis();
                Tally tally = new Tally();
                AnswerTimeline timeline = new AnswerTimeline(tally);
                offer(config, topics, cycle, rate, n, String.format(Locale.ROOT, "load %.0f%%", 100 * load), tally, timeline);
                Snapshot after = apps.snapshot();
                timeline.write(work.resolve(String.format(Locale.ROOT, "%s-latency%d-load-%.0f-answers.csv", apps.id(),
                        points.size() + 1, 100 * load)), start);
                double achieved = n / ((tally.lastReceivedMs() - start) / 1000.0);
                LatencyPoint point = new LatencyPoint(load, rate, n, tally.percentileMs(0.5), tally.percentileMs(0.99), achieved,
                        timeline.percentilesByStage(0.5, 0.99), meanBatches(after.scrapes(), before.scrapes()),
                        after.cpuMsPerImage(before, n), breakdown(after.scrapes(), before.scrapes(), tally));
                points.add(point);
                out.printf(Locale.ROOT, "  load %3.0f%%: %.1f img/s offered, p50 %.0f ms, p99 %.0f ms; by stage %s; batches %s;"
                        + " CPU ms per image %s%n", 100 * load, rate, point.p50Ms(), point.p99Ms(), point.byStage(),
                        point.meanBatch(), point.cpuMsPerImage());
            }
            return new Latency(warmUp, points);
        });
    }

    /**
     * Rounds of every load, not counted, until the broker's and this JVM's compilers have settled. A paced stream
     * takes other paths than the backlogs of the broker's warm-up (small requests, fetches parked and woken, small
     * batches; here the paced producer's and the reader's per-request code), and a young JVM compiles them when it
     * first meets them: with one 10-s pass of each load, the two compilers still used 0.15-0.4 core through the
     * counted loads (thirteenth session, -XX:+LogCompilation: C2 compiling the Kafka clients' and the broker's
     * request paths), on the cores the apps needed. A deployed broker and a camera's producer are long past that.
     */
    private List<LatencyWarmUpRound> warmUpPaced(AppConfig config, Topics topics, Cycle cycle, double capacity)
            throws Exception {
        List<LatencyWarmUpRound> rounds = new ArrayList<>();
        for (int round = 1; round <= LATENCY_WARM_UP_MAX_ROUNDS; round++) {
            double broker0 = broker.compilerCpuSeconds();
            double own0 = LfvitProcess.ownCompilerCpuSeconds();
            long t0 = System.nanoTime();
            for (double load : settings.loads()) {
                double rate = load * capacity;
                offer(config, topics, cycle, rate, (int) Math.max(100, rate * LATENCY_WARM_UP_SECONDS),
                        String.format(Locale.ROOT, "warm-up round %d at %.0f%%", round, 100 * load));
            }
            LatencyWarmUpRound r = new LatencyWarmUpRound(round, (System.nanoTime() - t0) / 1e9,
                    broker.compilerCpuSeconds() - broker0, LfvitProcess.ownCompilerCpuSeconds() - own0);
            rounds.add(r);
            boolean settled = r.jitCores() <= LATENCY_JIT_SETTLED_CORES;
            out.printf(Locale.ROOT, "  latency warm-up, round %d: %.1f s, JIT broker %.2f s, bench %.2f s (%.2f cores)%s%n",
                    round, r.seconds(), r.brokerJitSeconds(), r.benchJitSeconds(), r.jitCores(),
                    settled ? ": settled" : round == LATENCY_WARM_UP_MAX_ROUNDS ? ": NOT settled, the loads may pay for it" : "");
            if (settled) {
                break;
            }
        }
        return rounds;
    }

    /** What runs against the layout's apps while they run: the row's settings, its topics, the images to offer. */
    private interface OnApps<R> {
        R run(AppConfig config, Topics topics, Cycle frames, RunningApps apps) throws Exception;
    }

    /** The apps of a row as they run, with the broker: what a share of the row is measured against. */
    private record RunningApps(String id, List<LfvitProcess> processes, List<Integer> ports) {
        Snapshot snapshot() throws IOException, InterruptedException {
            List<Prometheus> scrapes = new ArrayList<>();
            for (int p : ports) {
                scrapes.add(Prometheus.scrape(p));
            }
            Map<String, Double> cpu = new LinkedHashMap<>();
            for (LfvitProcess process : processes) {
                cpu.put(process.name(), process.cpuSeconds());
            }
            return new Snapshot(scrapes, cpu);
        }
    }

    /** The apps' metrics and every process's CPU seconds at one moment. */
    private record Snapshot(List<Prometheus> scrapes, Map<String, Double> cpuSeconds) {
        /** CPU ms per image of each process since {@code before}, over {@code images}. */
        Map<String, Double> cpuMsPerImage(Snapshot before, int images) {
            Map<String, Double> out = new LinkedHashMap<>();
            cpuSeconds.forEach((name, s) -> out.put(name, round((s - before.cpuSeconds().get(name)) * 1000 / images)));
            return out;
        }
    }

    /** Fresh topics at {@code eta}, the layout's apps started on them (empty), {@code work}, the apps stopped. */
    private <R> R onRunningApps(Path bundle, double eta, List<Frame> frames, OnApps<R> work) throws Exception {
        String id = "bench" + (++rowCount);
        AppConfig config = rowConfig(id, bundle);
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig())) {
            Topics topics = new Topics(config, serdes);
            TopicSetup.ensure(config);
            new ControlClient(config, topics.control()).set(eta, null, null, "lfvit bench");
            List<Integer> ports = new ArrayList<>();
            List<LfvitProcess> apps = startApps(id, config, ports, new LinkedHashMap<>());
            List<LfvitProcess> all = new ArrayList<>(apps);
            all.add(broker);
            try {
                return work.run(config, topics, new Cycle(frames), new RunningApps(id, all, ports));
            } finally {
                stopAll(apps);
            }
        }
    }

    private Tally offer(AppConfig config, Topics topics, Cycle frames, double rate, int n, String what) throws Exception {
        Tally tally = new Tally();
        offer(config, topics, frames, rate, n, what, tally, tally);
        return tally;
    }

    /** {@code n} frames at {@code rate} (0: flat out), read committed by {@code listener}, counted by {@code tally}. */
    private void offer(AppConfig config, Topics topics, Cycle frames, double rate, int n, String what, Tally tally,
            OutputReader.Listener listener) throws Exception {
        try (OutputReader reader = new OutputReader(config, topics, listener, false)) {
            produce(config, topics, frames.take(n), rate, tally);
            awaitAnswers(what, tally, n);
        }
    }

    private void produce(AppConfig config, Topics topics, Iterator<Frame> frames, double rate, Tally tally) {
        try (ImageProducer producer = new ImageProducer(config, topics.images()).connect()) {
            producer.sendAll(frames, i -> "cam-" + (i % settings.sources()), rate, e -> tally.produced(e.getEventId()), null);
        }
    }

    /**
     * Starts the layout's apps one after the other, each once the one before it is RUNNING, noting each one's
     * CPU seconds, and the broker's, once the last is RUNNING in {@code cpuAtRunning}. Split: the focus worker
     * first, as deployed (its own long-running deployment, not restarted with the localizer), so that its start
     * (JVM, model warm-up on a core) does not run inside the localizer's row; the localizer, started last on the
     * filled topic, is the app restarted on a backlog that the row measures.
     */
    private List<LfvitProcess> startApps(String id, AppConfig config, List<Integer> ports,
            Map<LfvitProcess, Double> cpuAtRunning) throws Exception {
        List<LfvitProcess> apps = new ArrayList<>();
        try {
            for (String command : settings.split() ? List.of("focus-worker", "localizer") : List.of("serve")) {
                LfvitProcess app = app(id, command, config, ports);
                apps.add(app);
                app.awaitLog(": RUNNING", READY);
            }
            for (LfvitProcess process : apps) {
                cpuAtRunning.put(process, process.cpuSeconds());
            }
            cpuAtRunning.put(broker, broker.cpuSeconds());
            return apps;
        } catch (Exception | Error e) {
            stopAll(apps);
            throw e;
        }
    }

    private LfvitProcess app(String id, String command, AppConfig config, List<Integer> ports) throws IOException {
        int port = EmbeddedKafka.freePort();
        ports.add(port);
        List<String> args = new ArrayList<>(List.of(command));
        config.with(AppConfig.HTTP_PORT, port).asMap().forEach((k, v) -> {
            args.add("-D");
            args.add(k + "=" + v);
        });
        return LfvitProcess.start(command, work.resolve(id + "-" + command + ".log"), "2g", settings.jvmOptions(), args);
    }

    private static void stopAll(List<LfvitProcess> apps) throws InterruptedException {
        for (LfvitProcess app : apps) {
            app.close();
        }
    }

    private void awaitAnswers(String what, Tally tally, int n) throws InterruptedException {
        long timeoutMs = Math.max(180_000, n * 200L);
        long start = System.currentTimeMillis();
        long lastPrint = start;
        while (tally.missing() > 0) {
            Thread.sleep(100);
            long now = System.currentTimeMillis();
            if (now - lastPrint >= 5000) {
                out.printf("    %s: %d/%d answered%n", what, n - tally.missing(), n);
                lastPrint = now;
            }
            if (now - start > timeoutMs) {
                throw new IllegalStateException(what + ": only " + (n - tally.missing()) + " of " + n + " answered after "
                        + timeoutMs / 1000 + " s; logs in " + work);
            }
        }
        Thread.sleep(300); // a duplicate would come with or soon after the last commit
    }

    private AppConfig rowConfig(String id, Path bundle) throws IOException {
        Map<String, Object> row = new TreeMap<>();
        row.put(AppConfig.BOOTSTRAP_SERVERS, bootstrap);
        row.put(AppConfig.SCHEMA_REGISTRY_URL, registry);
        row.put(AppConfig.MODEL_DIR, bundle.toAbsolutePath());
        row.put(AppConfig.TOPIC_IMAGES, id + "-images");
        row.put(AppConfig.TOPIC_CLASSIFICATIONS, id + "-classifications");
        row.put(AppConfig.TOPIC_FOCUS_TASKS, id + "-focus-tasks");
        row.put(AppConfig.TOPIC_CONTROL, id + "-control");
        row.put(AppConfig.TOPIC_DLQ, id + "-dlq");
        row.put(AppConfig.TOPIC_PARTITIONS, settings.partitions());
        row.put(AppConfig.LOCALIZER_APPLICATION_ID, id + "-localizer");
        row.put(AppConfig.FOCUS_APPLICATION_ID, id + "-focus");
        row.put(AppConfig.STATE_DIR, Files.createDirectories(work.resolve(id + "-state")));
        return AppConfig.defaults().withAll(settings.settings()).withAll(row);
    }

    /** The steps' ms per image since {@code before} (the scrapes of the same apps earlier; empty: since their start). */
    private Map<String, Map<String, Double>> breakdown(List<Prometheus> scrapes, List<Prometheus> before, Tally tally) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put("localization", steps(scrapes, before, "localization", LOCALIZATION_STEPS));
        Map<String, Double> focus = steps(scrapes, before, "focus", FOCUS_STEPS);
        if (!focus.isEmpty()) {
            out.put("focus", focus);
        }
        out.put("answer", Map.of("commit-and-read", round(tally.meanDeliveryMs())));
        return out;
    }

    /** ms per image of each step of a stage: summed step time over the images the stage answered. */
    private static Map<String, Double> steps(List<Prometheus> scrapes, List<Prometheus> before, String stage, String[] steps) {
        double images = sum(scrapes, before, "lfvit_step_images_total", "stage", stage);
        Map<String, Double> out = new LinkedHashMap<>();
        if (images == 0) {
            return out;
        }
        for (String step : steps) {
            double seconds = sum(scrapes, before, "lfvit_step_seconds_total", "stage", stage, "step", step);
            out.put(step, round(seconds * 1000 / images));
        }
        return out;
    }

    private static Map<String, Double> meanBatches(List<Prometheus> scrapes, List<Prometheus> before) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String stage : List.of("localization", "focus")) {
            double sum = sum(scrapes, before, "lfvit_batch_size_sum", "stage", stage);
            double count = sum(scrapes, before, "lfvit_batch_size_count", "stage", stage);
            if (count > 0) {
                out.put(stage, round(sum / count));
            }
        }
        return out;
    }

    /** A counter summed over the apps, less its sum in {@code before}. */
    private static double sum(List<Prometheus> scrapes, List<Prometheus> before, String name, String... labels) {
        return scrapes.stream().mapToDouble(s -> s.sum(name, labels)).sum()
                - before.stream().mapToDouble(s -> s.sum(name, labels)).sum();
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }

    static String label(String model, Double eta, String input) {
        return model + (eta == null ? "" : String.format(Locale.ROOT, " eta %.2f", eta)) + " (" + input + ")";
    }


    /**
     * Stops the broker and deletes what only the run needed, its log segments and the apps' state (1-3 GB a
     * run): the work directory keeps each process's log and each run's answer timeline.
     */
    @Override
    public void close() throws InterruptedException, IOException {
        if (broker != null) {
            broker.close();
        }
        List<Path> data = new ArrayList<>(List.of(work.resolve("broker")));
        try (Stream<Path> states = Files.list(work)) {
            states.filter(p -> p.getFileName().toString().endsWith("-state")).forEach(data::add);
        }
        for (Path dir : data) {
            if (!Directories.deleteRecursively(dir)) {
                out.println("  cannot delete " + dir + " completely");
            }
        }
    }

    /** The frames over and over, in order, {@code n} at a time. */
    private static final class Cycle {
        private final List<Frame> frames;
        private int next;

        Cycle(List<Frame> frames) {
            this.frames = frames;
        }

        Iterator<Frame> take(int n) {
            List<Frame> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(frames.get(next++ % frames.size()));
            }
            return out.iterator();
        }
    }
}
