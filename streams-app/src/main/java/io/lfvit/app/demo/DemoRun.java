package io.lfvit.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.stack.LocalStack;
import io.lfvit.app.topics.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default: the {@link LocalStack} (a real single-node KRaft broker, the embedded schema
 * registry stored in a compacted topic of that broker, a localizer and a focus worker: two Kafka
 * Streams applications, two consumer groups, one set of model replicas), then the cluttered Fashion-MNIST
 * test canvases streamed through them, with live progress and a reconciled summary.
 */
public final class DemoRun {

    /** Settings of one run. */
    public record Options(int images, Double eta, Integer etaChangeAt, Double etaChangeTo, Path json, Path model,
            boolean untrained, String device, Path dataDir, double rate, int sources, int partitions, int batchMax, long lingerMs,
            long timeoutSeconds, int window) {}

    /** The summary, also written as JSON. */
    public record Summary(long produced, long classified, long deadLettered, double earlyExitRate, double accuracy,
            double imagesPerS, double p50Ms, double p99Ms, long degraded, long duplicates, long missing, double seconds,
            List<Tally.EtaShare> byEta) {

        public boolean reconciled() {
            return produced == classified + deadLettered && duplicates == 0 && missing == 0;
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("produced", produced);
            m.put("classified", classified);
            m.put("dead_lettered", deadLettered);
            m.put("early_exit_rate", round(earlyExitRate));
            m.put("accuracy", Double.isNaN(accuracy) ? null : round(accuracy));
            m.put("images_per_s", round(imagesPerS));
            m.put("p50_ms", round(p50Ms));
            m.put("p99_ms", round(p99Ms));
            m.put("degraded", degraded);
            m.put("duplicates", duplicates);
            m.put("missing", missing);
            m.put("seconds", round(seconds));
            m.put("by_eta", byEta.stream().map(e -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("eta", e.eta());
                row.put("classified", e.classified());
                row.put("early_exit_rate", round(e.exitRate()));
                row.put("accuracy", Double.isNaN(e.accuracy()) ? null : round(e.accuracy()));
                return row;
            }).toList());
            return m;
        }

        private static double round(double v) {
            return Double.isNaN(v) ? v : Math.round(v * 10000) / 10000.0;
        }
    }

    private final Options options;
    private final PrintStream out;

    public DemoRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Summary run() throws Exception {
        Canvases canvases = Canvases.load(options.dataDir(), options.images());
        AppConfig base = AppConfig.defaults().withAll(Map.of(
                AppConfig.DEVICE, options.device(),
                AppConfig.TOPIC_PARTITIONS, options.partitions(),
                AppConfig.BATCH_MAX, options.batchMax(),
                AppConfig.BATCH_LINGER_MS, options.lingerMs(),
                AppConfig.MODEL_WINDOW, options.window()));
        out.printf("lfvit demo: starting a single-node KRaft broker, the schema registry, a localizer and a focus worker...%n");
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(0, 0, 0, null, options.model(), options.untrained(),
                options.eta(), base, true))) {
            AppConfig config = stack.config();
            if (options.untrained()) {
                out.printf("lfvit demo: using a tiny UNTRAINED LF-ViT (chance-level answers) from %s%n", stack.modelDir());
            }
            double startEta = options.eta() != null ? options.eta() : stack.model().config().eta();
            Tally tally = new Tally();
            try (OutputReader reader = new OutputReader(config, stack.topics(), tally)) {
                out.printf(Locale.ROOT, "lfvit demo: broker %s, schema registry %s, localizer and focus worker RUNNING (%.1f s; "
                                + "batch.max %d, linger %d ms, eta %.2f); metrics http://localhost:%d/metrics, health /health, live view /%n",
                        stack.bootstrapServers(), stack.registryUrl(), (System.nanoTime() - t0) / 1e9, config.batchMax(),
                        config.batchLingerMs(), startEta, stack.httpPort());
                return stream(canvases, config, stack.topics(), stack.control(), stack.metrics(), tally);
            }
        }
    }

    private Summary stream(Canvases canvases, AppConfig config, Topics topics, ControlClient control, Metrics metrics,
            Tally tally) throws Exception {
        int total = canvases.size();
        AtomicLong sent = new AtomicLong();
        Exception[] producerFailure = new Exception[1];
        long start = System.nanoTime();
        out.printf("lfvit demo: streaming %d cluttered Fashion-MNIST test canvases from %d sources%s%n", total,
                options.sources(), options.rate() > 0 ? String.format(Locale.ROOT, " at %.0f img/s", options.rate()) : "");
        Thread producerThread = new Thread(() -> {
            try (ImageProducer producer = new ImageProducer(config, topics.images())) {
                producer.sendAll(canvases, i -> "cam-" + (i % options.sources()), options.rate(), e -> {
                    tally.produced(e.getEventId());
                    sent.incrementAndGet();
                }, null);
            } catch (Exception e) {
                producerFailure[0] = e;
            }
        }, "lfvit-demo-producer");
        producerThread.start();
        Thread etaChange = options.etaChangeAt() == null ? null : startEtaChange(control, tally);

        long deadline = System.currentTimeMillis() + options.timeoutSeconds() * 1000;
        long lastAnswered = 0;
        long lastTick = System.nanoTime();
        while (true) {
            Thread.sleep(1000);
            long now = System.nanoTime();
            long answered = tally.answered();
            double rate = (answered - lastAnswered) / ((now - lastTick) / 1e9);
            lastAnswered = answered;
            lastTick = now;
            long tasks = (long) metrics.count("lfvit.focus.tasks");
            long focusDone = (long) (metrics.count("lfvit.classifications", "stage", "FOCUS")
                    + metrics.count("lfvit.classifications", "degraded", "true")
                    + metrics.count("lfvit.dead.letters", "stage", "focus"));
            out.printf(Locale.ROOT, "  %5.0f s  sent %6d  answered %6d  %6.1f img/s  exit rate %5.1f%%  accuracy %5.1f%%"
                            + "  focus lag %4d tasks%n",
                    (now - start) / 1e9, sent.get(), answered, rate, 100 * tally.exitRate(), 100 * tally.accuracy(),
                    Math.max(0, tasks - focusDone));
            boolean producerDone = !producerThread.isAlive();
            if (producerFailure[0] != null) {
                throw producerFailure[0];
            }
            if (producerDone && answered >= tally.produced()) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                out.printf("lfvit demo: timed out after %d s with %d of %d answered%n", options.timeoutSeconds(), answered,
                        tally.produced());
                break;
            }
        }
        if (etaChange != null) {
            etaChange.interrupt();
        }
        Thread.sleep(300); // a duplicate would arrive with or soon after the last commit
        double seconds = (System.nanoTime() - start) / 1e9;
        Summary s = new Summary(tally.produced(), tally.classified(), tally.deadLettered(), tally.exitRate(), tally.accuracy(),
                tally.produced() / seconds, tally.percentileMs(0.5), tally.percentileMs(0.99), tally.degraded(),
                tally.duplicates(), tally.missing(), seconds, tally.byEta());
        printSummary(s);
        if (options.json() != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.json().toFile(), s.json());
            out.printf("lfvit demo: summary written to %s%n", options.json());
        }
        return s;
    }

    /**
     * Publishes the new eta once K images are answered: the images localized after it see it, so the
     * summary's per-eta lines show the change taking effect mid-stream.
     */
    private Thread startEtaChange(ControlClient control, Tally tally) {
        Thread t = new Thread(() -> {
            try {
                while (tally.answered() < options.etaChangeAt()) {
                    Thread.sleep(5);
                }
                control.set(options.etaChangeTo(), null, null, "lfvit demo --eta-change-at");
                out.printf(Locale.ROOT, "lfvit demo: eta set to %.2f on the control topic after %d answers%n",
                        options.etaChangeTo(), tally.answered());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                out.printf("lfvit demo: could not publish the eta change: %s%n", e);
            }
        }, "lfvit-demo-eta-change");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void printSummary(Summary s) {
        out.printf(Locale.ROOT, "%nlfvit demo summary%n");
        out.printf(Locale.ROOT, "  produced        %d%n", s.produced());
        out.printf(Locale.ROOT, "  classified      %d (early exits %.1f%%, degraded %d)%n", s.classified(),
                100 * s.earlyExitRate(), s.degraded());
        out.printf(Locale.ROOT, "  dead-lettered   %d%n", s.deadLettered());
        out.printf(Locale.ROOT, "  reconciled      %s (produced = classified + dead-lettered; %d duplicates, %d missing)%n",
                s.reconciled() ? "yes" : "NO", s.duplicates(), s.missing());
        out.printf(Locale.ROOT, "  accuracy        %.2f%%%n", 100 * s.accuracy());
        out.printf(Locale.ROOT, "  throughput      %.1f images/s over %.1f s%n", s.imagesPerS(), s.seconds());
        out.printf(Locale.ROOT, "  latency         p50 %.0f ms, p99 %.0f ms (capture to committed answer)%n", s.p50Ms(), s.p99Ms());
        if (s.byEta().size() > 1) {
            for (Tally.EtaShare e : s.byEta()) {
                out.printf(Locale.ROOT, "  at eta %.2f     %d answers, early exits %.1f%%, accuracy %.2f%%%n", e.eta(),
                        e.classified(), 100 * e.exitRate(), 100 * e.accuracy());
            }
        }
    }
}
