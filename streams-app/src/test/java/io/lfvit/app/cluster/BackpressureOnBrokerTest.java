package io.lfvit.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.support.AnswerLog;
import io.lfvit.app.support.RunningApps;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.ScriptedClassifier;
import io.lfvit.app.support.TestCluster;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video frame tagging under backpressure, on a real broker, with the two stages as in production: two
 * inference executors (two processes' worth), the focus one slow (500 ms per batch). The localizer
 * routes every frame at its own pace while the focus group lags, and the source's deadline turns the
 * focus tasks that have grown too old into their localization answers, flagged degraded, instead of
 * late answers. Every frame is still answered exactly once.
 */
class BackpressureOnBrokerTest {
    static final int FRAMES = 160;
    static final long FOCUS_BATCH_MS = 500;
    static final long DEADLINE_MS = 3000;

    @Test
    void aSlowFocusGroupNeverSlowsLocalizationAndOldTasksBecomeDegradedAnswers(@TempDir Path tmp) throws Exception {
        ScriptedClassifier slowFocus = new ScriptedClassifier("v1");
        slowFocus.focusDelayMs = FOCUS_BATCH_MS;
        try (TestCluster cluster = new TestCluster();
                InferenceExecutor localizerModel = InferenceExecutor.of(() -> new ScriptedClassifier("v1"));
                InferenceExecutor focusModel = InferenceExecutor.of(() -> slowFocus)) {
            AppConfig config = cluster.config("backpressure", tmp, tmp.resolve("unused-model"));
            Metrics localizerMetrics = Metrics.inMemory();
            Metrics focusMetrics = Metrics.inMemory();
            try (RunningApps apps = new RunningApps(config, tmp, localizerModel, localizerMetrics, focusModel, focusMetrics)) {
                Topics topics = apps.topics;
                new ControlClient(config, topics.control()).set(0.9, "cam-video", DEADLINE_MS, "test");
                apps.start();
                try (AnswerLog answers = new AnswerLog(config, topics);
                        ImageProducer producer = new ImageProducer(config, topics.images())) {
                    List<ImageEvent> frames = new ArrayList<>();
                    for (int i = 0; i < FRAMES; i++) {
                        frames.add(Events.scripted("cam-video", i, 0.3, i % 10)); // below eta: every frame needs focus
                    }
                    frames.forEach(e -> producer.send(e, null));
                    producer.flush();

                    AnswerLog.await(() -> localizerMetrics.count("lfvit.focus.tasks") >= FRAMES, Duration.ofSeconds(30),
                            "the localizer routes every frame");
                    int answeredWhenLocalized = answers.classifications.size();
                    // The focus group needs >= 10 x 500 ms for 160 frames at batch 16: it lags far behind.
                    assertTrue(answeredWhenLocalized < FRAMES / 2,
                            "localization finished while focus had answered only " + answeredWhenLocalized);

                    AnswerLog.await(() -> answers.total() >= FRAMES, Duration.ofSeconds(60), "every frame answered");
                    Thread.sleep(500);
                    Set<UUID> sent = frames.stream().map(ImageEvent::getEventId).collect(Collectors.toSet());
                    assertEquals(sent, answers.perEvent.keySet());
                    assertTrue(answers.perEvent.values().stream().allMatch(n -> n == 1), "no frame answered twice");

                    List<Classification> degraded = answers.classifications.stream().filter(Classification::getDegraded).toList();
                    List<Classification> focused = answers.classifications.stream().filter(c -> !c.getDegraded()).toList();
                    System.out.printf("backpressure: %d frames, %d answered when localization was done, %d focused, %d degraded%n",
                            FRAMES, answeredWhenLocalized, focused.size(), degraded.size());
                    assertTrue(!degraded.isEmpty() && !focused.isEmpty(), focused.size() + " focused, " + degraded.size() + " degraded");
                    for (Classification c : degraded) {
                        assertEquals(Stage.LOCALIZATION, c.getStage(), "a degraded answer is the localization answer");
                        assertNotNull(c.getDegradedReason());
                    }
                    for (Classification c : focused) {
                        assertEquals(Stage.FOCUS, c.getStage());
                    }
                    assertTrue(slowFocus.focusBatches.stream().mapToInt(Integer::intValue).sum() < FRAMES,
                            "the tasks past their deadline never reached the model");
                }
            }
        }
    }
}
