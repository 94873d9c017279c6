package io.lfvit.app.video;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.controller.ControllerPlot;
import io.lfvit.app.controller.EtaControllerRun;
import io.lfvit.app.demo.DemoRun;
import io.lfvit.app.demo.OutputReader;
import io.lfvit.app.demo.Tally;
import io.lfvit.app.files.Directories;
import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.stack.LocalStack;
import io.lfvit.schemas.avro.FrameTags;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code lfvit demo --video FILE|synthetic}: the {@link LocalStack} (broker, registry, localizer, focus
 * worker, tagger), optionally the eta controller, and one video sent live (each frame at its timestamp,
 * like a camera); live progress, then a reconciled summary with the tag windows and the latency.
 */
public final class VideoDemoRun {

    /** Settings of one run; {@code video} is a file or "synthetic". */
    public record Options(String video, int syntheticSeconds, int syntheticFps, double fps, String source, Double controllerTargetMs,
            Path json, Path plot, Path model, boolean untrained, String device, Path dataDir, int partitions, int batchMax,
            long lingerMs, long timeoutSeconds, long windowMs, long graceMs) {}

    private final Options options;
    private final PrintStream out;

    public VideoDemoRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; returns the summary's JSON fields (demo fields plus the video ones). */
    public Map<String, Object> run() throws Exception {
        Path tmp = Files.createTempDirectory("lfvit-video-demo-");
        try {
            Path file;
            List<Integer> labels = null;
            if (options.video().equals("synthetic")) {
                int segments = (int) Math.ceil(options.syntheticSeconds() / 2.0);
                out.printf("lfvit demo: encoding a %d s synthetic video (MP4/H.264 with JCodec, %d fps): %d test canvases "
                        + "sliding across the frame, 2 s each%n", options.syntheticSeconds(), options.syntheticFps(), segments);
                SyntheticVideo.Made made = SyntheticVideo.write(tmp.resolve("synthetic.mp4"),
                        Canvases.load(options.dataDir(), segments), options.syntheticSeconds(), options.syntheticFps(), 2.0);
                file = made.file();
                labels = made.labels();
                out.printf(Locale.ROOT, "lfvit demo: %s, %d frames, %d KB%n", file, made.frames(), Files.size(file) / 1024);
            } else {
                file = Path.of(options.video());
            }
            try (VideoFrames check = new VideoFrames(file, options.fps())) {
                check.hasNext(); // a file that cannot be read fails here, before the stack starts
            }
            return stream(file, labels);
        } finally {
            Directories.deleteRecursively(tmp);
        }
    }

    private Map<String, Object> stream(Path file, List<Integer> labels) throws Exception {
        AppConfig base = AppConfig.defaults().withAll(Map.of(
                AppConfig.DEVICE, options.device(),
                AppConfig.TOPIC_PARTITIONS, options.partitions(),
                AppConfig.BATCH_MAX, options.batchMax(),
                AppConfig.BATCH_LINGER_MS, options.lingerMs(),
                AppConfig.TAGGER_WINDOW_MS, options.windowMs(),
                AppConfig.TAGGER_GRACE_MS, options.graceMs()));
        out.printf("lfvit demo: starting a single-node KRaft broker, the schema registry, a localizer, a focus worker and the tagger...%n");
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(0, 0, 0, null, options.model(), options.untrained(),
                null, base, true))) {
            AppConfig config = stack.config();
            out.printf(Locale.ROOT, "lfvit demo: broker %s, schema registry %s; tag windows %d ms, grace %d ms; metrics "
                            + "http://localhost:%d/metrics%n", stack.bootstrapServers(), stack.registryUrl(), options.windowMs(),
                    options.graceMs(), stack.httpPort());
            Tally tally = new Tally();
            EtaControllerRun controller = options.controllerTargetMs() == null ? null
                    : EtaControllerRun.start(config, stack.topics(), null,
                            EtaControllerRun.settings(config, options.controllerTargetMs()), stack.prometheus(), out);
            try (OutputReader reader = new OutputReader(config, stack.topics(), tally);
                    FrameTagsReader tags = new FrameTagsReader(config, stack.topics())) {
                return produceAndWatch(file, labels, config, stack, tally, tags, controller);
            } finally {
                if (controller != null) {
                    controller.close();
                }
            }
        }
    }

    private Map<String, Object> produceAndWatch(Path file, List<Integer> labels, AppConfig config, LocalStack stack, Tally tally,
            FrameTagsReader tags, EtaControllerRun controller) throws Exception {
        AtomicLong sent = new AtomicLong();
        Exception[] failure = new Exception[1];
        long start = System.nanoTime();
        out.printf("lfvit demo: sending %s live as source %s%s%n", file, options.source(),
                options.fps() > 0 ? String.format(Locale.ROOT, " at %.1f frames per second of video", options.fps()) : "");
        Thread producer = new Thread(() -> {
            try (VideoFrames frames = new VideoFrames(file, options.fps());
                    ImageProducer p = new ImageProducer(config, stack.topics().images())) {
                VideoProducer.send(p, frames, options.source(), Instant.now(), true, e -> {
                    if (labels != null && e.getFrameSeq() < labels.size()) {
                        e.setLabel(labels.get((int) e.getFrameSeq()));
                    }
                    tally.produced(e.getEventId());
                    sent.incrementAndGet();
                });
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "lfvit-demo-video-producer");
        producer.start();
        long deadline = System.currentTimeMillis() + options.timeoutSeconds() * 1000;
        while (true) {
            Thread.sleep(1000);
            long answered = tally.answered();
            out.printf(Locale.ROOT, "  %5.0f s  sent %5d  answered %5d  exit rate %5.1f%%  tag windows %4d  late dropped %3.0f%s%n",
                    (System.nanoTime() - start) / 1e9, sent.get(), answered, 100 * tally.exitRate(), tags.windows().size(),
                    stack.taggerMetrics().count("lfvit.tagger.late.dropped"),
                    controller == null ? "" : String.format(Locale.ROOT, "  eta %.2f", controller.eta()));
            if (failure[0] != null) {
                throw failure[0];
            }
            if (!producer.isAlive() && answered >= tally.produced()) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                out.printf("lfvit demo: timed out after %d s with %d of %d answered%n", options.timeoutSeconds(), answered,
                        tally.produced());
                break;
            }
        }
        Thread.sleep(1000); // the tagger commits its last closed windows; a duplicate answer would show by now
        double seconds = (System.nanoTime() - start) / 1e9;
        DemoRun.Summary s = new DemoRun.Summary(tally.produced(), tally.classified(), tally.deadLettered(), tally.exitRate(),
                tally.accuracy(), tally.produced() / seconds, tally.percentileMs(0.5), tally.percentileMs(0.99), tally.degraded(),
                tally.duplicates(), tally.missing(), seconds, tally.byEta());
        List<FrameTags> windows = tags.windows();
        long tagged = windows.stream().mapToLong(FrameTags::getFrames).sum();
        double lateDropped = stack.taggerMetrics().count("lfvit.tagger.late.dropped");
        int etaChanges = controller == null ? 0 : controller.changes();
        Map<String, Object> json = new LinkedHashMap<>(s.json());
        json.put("frames", s.produced());
        json.put("tag_windows", windows.size());
        json.put("tagged_frames", tagged);
        json.put("late_dropped", (long) lateDropped);
        json.put("eta_changes", etaChanges);
        json.put("reconciled", s.reconciled());
        print(s, windows, tagged, lateDropped, etaChanges, controller);
        if (options.json() != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.json().toFile(), json);
            out.printf("lfvit demo: summary written to %s%n", options.json());
        }
        if (options.plot() != null && controller != null) {
            ControllerPlot.write(options.plot(), controller.history(), options.controllerTargetMs(),
                    String.format(Locale.ROOT, "eta controller, target p99 %.0f ms (%s)", options.controllerTargetMs(),
                            file.getFileName()));
            out.printf("lfvit demo: eta and focus latency plotted to %s%n", options.plot());
        }
        return json;
    }

    private void print(DemoRun.Summary s, List<FrameTags> windows, long tagged, double lateDropped, int etaChanges,
            EtaControllerRun controller) {
        out.printf(Locale.ROOT, "%nlfvit demo summary (video)%n");
        out.printf(Locale.ROOT, "  frames          %d sent%n", s.produced());
        out.printf(Locale.ROOT, "  classified      %d (early exits %.1f%%, degraded %d)%n", s.classified(), 100 * s.earlyExitRate(),
                s.degraded());
        out.printf(Locale.ROOT, "  dead-lettered   %d%n", s.deadLettered());
        out.printf(Locale.ROOT, "  reconciled      %s (%d duplicates, %d missing)%n", s.reconciled() ? "yes" : "NO", s.duplicates(),
                s.missing());
        if (!Double.isNaN(s.accuracy())) {
            out.printf(Locale.ROOT, "  accuracy        %.2f%% (the synthetic video's true classes)%n", 100 * s.accuracy());
        }
        out.printf(Locale.ROOT, "  latency         p50 %.0f ms, p99 %.0f ms (capture to committed answer)%n", s.p50Ms(), s.p99Ms());
        out.printf(Locale.ROOT, "  tag windows     %d closed, %d frames in them; %.0f frames too late for their window%n",
                windows.size(), tagged, lateDropped);
        out.printf(Locale.ROOT, "                  (a window closes when stream time passes its end + grace: the last "
                + "windows of a video stay open until later frames of its partition arrive)%n");
        windows.stream().limit(5).forEach(w -> out.printf(Locale.ROOT, "    %s [%s, %s) %d frames: %s%n", w.getSourceId(),
                w.getWindowStart(), w.getWindowEnd(), w.getFrames(), w.getClasses().stream().limit(3)
                        .map(c -> String.format(Locale.ROOT, "%s x%d (%.2f)", c.getClassName() != null ? c.getClassName()
                                : String.valueOf(c.getClassIndex()), c.getFrames(), c.getMeanConfidence()))
                        .collect(Collectors.joining(", "))));
        if (controller != null) {
            out.printf(Locale.ROOT, "  controller      %d eta changes, eta now %.2f%n", etaChanges, controller.eta());
        }
    }
}
