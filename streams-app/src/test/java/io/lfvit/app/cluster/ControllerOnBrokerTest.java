package io.lfvit.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.control.ControlKeys;
import io.lfvit.app.controller.EtaController;
import io.lfvit.app.controller.EtaControllerRun;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.support.AnswerLog;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.RunningApps;
import io.lfvit.app.support.ScriptedClassifier;
import io.lfvit.app.support.TestCluster;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eta controller on a real broker, with the focus group slowed as in BackpressureOnBrokerTest (here
 * 250 ms per batch of at most 2: 8 focus answers a second) and a camera sending 20 frames a second for 15 s
 * whose localization confidences are spread evenly over [0.3, 0.8). At a fixed eta of 0.8 every frame needs
 * the focus stage, 20 a second against 8: the focus answers' lateness grows for as long as the video runs.
 * With the controller (target p99 1500 ms) eta comes down until the focus stage keeps up, and the
 * lateness stays bounded. Every frame is answered exactly once in both runs.
 */
class ControllerOnBrokerTest {
    static final int FRAMES = 300;
    static final long FRAME_INTERVAL_MS = 50;
    static final long FOCUS_BATCH_MS = 250;
    static final double TARGET_MS = 1500;

    private static TestCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new TestCluster();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        cluster.close();
    }

    /** What one run gave. */
    record Outcome(double focusP99Ms, double lastTenthFocusP99Ms, double exitRate, long answers, int etaChanges, double finalEta) {}

    @Test
    void theControllerHoldsTheFocusLatencyWhereAFixedEtaLetsItGrow(@TempDir Path tmp) throws Exception {
        Outcome fixed = run("fixed", tmp.resolve("fixed"), false);
        Outcome controlled = run("controlled", tmp.resolve("controlled"), true);
        System.out.printf(Locale.ROOT, "controller on broker: fixed eta 0.8: focus p99 %.0f ms (last tenth of the video %.0f ms), "
                        + "exit rate %.1f%%; controller (target %.0f ms): focus p99 %.0f ms (last tenth %.0f ms), exit rate %.1f%%, "
                        + "%d eta changes, final eta %.2f%n", fixed.focusP99Ms(), fixed.lastTenthFocusP99Ms(), 100 * fixed.exitRate(),
                TARGET_MS, controlled.focusP99Ms(), controlled.lastTenthFocusP99Ms(), 100 * controlled.exitRate(),
                controlled.etaChanges(), controlled.finalEta());
        assertTrue(fixed.lastTenthFocusP99Ms() > 4 * TARGET_MS, "a fixed eta lets the focus backlog grow: " + fixed);
        assertTrue(controlled.etaChanges() > 0 && controlled.finalEta() < 0.8, "the controller lowered eta: " + controlled);
        assertTrue(controlled.lastTenthFocusP99Ms() < 2.5 * TARGET_MS,
                "with the controller the lateness stays near the target: " + controlled);
        assertTrue(controlled.focusP99Ms() < fixed.focusP99Ms() / 2, "and far below the fixed run's: " + controlled + " vs " + fixed);
    }

    private Outcome run(String prefix, Path tmp, boolean withController) throws Exception {
        ScriptedClassifier slowFocus = new ScriptedClassifier("v1");
        slowFocus.focusDelayMs = FOCUS_BATCH_MS;
        AppConfig config = cluster.config(prefix, tmp, tmp.resolve("unused-model")).withAll(java.util.Map.of(
                AppConfig.BATCH_MAX, 2,
                AppConfig.CONTROLLER_INTERVAL_MS, 250,
                AppConfig.CONTROLLER_WINDOW_MS, 2000));
        try (InferenceExecutor localizerModel = InferenceExecutor.of(() -> new ScriptedClassifier("v1"));
                InferenceExecutor focusModel = InferenceExecutor.of(() -> slowFocus);
                RunningApps apps = new RunningApps(config, tmp, localizerModel, Metrics.inMemory(), focusModel, Metrics.inMemory())) {
            ControlClient control = new ControlClient(config, apps.topics.control());
            control.set(0.8, null, null, "test");
            apps.start();
            EtaControllerRun controller = !withController ? null : EtaControllerRun.start(config, apps.topics, null,
                    new EtaController.Settings(TARGET_MS, 0.3, 0.8, 0.15, 0.05, 0.3, 500, 5000), new SimpleMeterRegistry(),
                    new PrintStream(System.out, true));
            try (AnswerLog answers = new AnswerLog(config, apps.topics);
                    ImageProducer producer = new ImageProducer(config, apps.topics.images())) {
                List<ImageEvent> frames = new ArrayList<>();
                long start = System.currentTimeMillis();
                for (int i = 0; i < FRAMES; i++) {
                    long wait = start + i * FRAME_INTERVAL_MS - System.currentTimeMillis();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait * 1_000_000L);
                    }
                    double confidence = 0.3 + 0.5 * ((i * 37) % 100) / 100.0; // evenly over [0.3, 0.8)
                    ImageEvent e = Events.scripted("cam-video", i, confidence, i % 10);
                    frames.add(e);
                    producer.send(e, null);
                }
                producer.flush();
                AnswerLog.await(() -> answers.total() >= FRAMES, Duration.ofSeconds(120), prefix + ": every frame answered");
                Thread.sleep(500);
                Set<UUID> sent = frames.stream().map(ImageEvent::getEventId).collect(Collectors.toSet());
                assertEquals(sent, answers.perEvent.keySet(), prefix + ": every frame answered");
                assertTrue(answers.perEvent.values().stream().allMatch(n -> n == 1), prefix + ": no frame answered twice");
                assertEquals(0, answers.deadLetters.size());

                List<Classification> focus = answers.classifications.stream().filter(c -> c.getStage() == Stage.FOCUS)
                        .sorted(java.util.Comparator.comparingLong(Classification::getFrameSeq)).toList();
                double exitRate = 1 - focus.size() / (double) FRAMES;
                List<Classification> lastTenth = focus.stream().filter(c -> c.getFrameSeq() >= FRAMES * 9 / 10).toList();
                if (controller != null) {
                    ControlUpdate global = control.show().get(ControlKeys.GLOBAL);
                    assertEquals(EtaControllerRun.UPDATED_BY, global.getUpdatedBy(), "the controller's changes say who made them");
                }
                Outcome o = new Outcome(p99(focus), p99(lastTenth), exitRate, answers.total(),
                        controller == null ? 0 : controller.changes(), controller == null ? 0.8 : controller.eta());
                return o;
            } finally {
                if (controller != null) {
                    controller.close();
                }
            }
        }
    }

    private static double p99(List<Classification> answers) {
        long[] l = answers.stream().mapToLong(c -> c.getClassifiedAt().toEpochMilli() - c.getCaptureTime().toEpochMilli())
                .sorted().toArray();
        return l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) Math.ceil(0.99 * l.length) - 1)];
    }
}
