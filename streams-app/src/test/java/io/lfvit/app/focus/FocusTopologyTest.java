package io.lfvit.app.focus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.localizer.LocalizerTopology;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.ScriptedClassifier;
import io.lfvit.app.support.TestRegistry;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The focus worker on the TopologyTestDriver: focus answers, the deadline turning a late task into
 * its degraded localization answer, a model-version mismatch, a malformed payload. The tasks come
 * from a real localizer topology (its own driver) running the same scripted model.
 */
class FocusTopologyTest {
    @TempDir
    Path tmp;

    private TestRegistry registry;
    private ScriptedClassifier localizerModel;
    private ScriptedClassifier focusModel;
    private InferenceExecutor localizerExecutor;
    private InferenceExecutor focusExecutor;
    private Metrics metrics;
    private TopologyTestDriver localizer;
    private TopologyTestDriver focus;
    private Topics topics;
    private TestInputTopic<String, ImageEvent> images;
    private TestOutputTopic<String, FocusTask> tasksOut;
    private TestInputTopic<String, FocusTask> tasksIn;
    private TestInputTopic<String, ControlUpdate> focusControl;
    private TestOutputTopic<String, Classification> answers;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void setUp() {
        registry = new TestRegistry();
        metrics = Metrics.inMemory();
    }

    private void start(AppConfig config, String localizerVersion, String focusVersion) {
        localizerModel = new ScriptedClassifier(localizerVersion);
        focusModel = new ScriptedClassifier(focusVersion);
        localizerExecutor = InferenceExecutor.of(() -> localizerModel);
        focusExecutor = InferenceExecutor.of(() -> focusModel);
        topics = registry.topics(config);
        localizer = new TopologyTestDriver(LocalizerTopology.build(config, topics, localizerExecutor, Metrics.inMemory()),
                StreamsProps.forApp(config.with(AppConfig.STATE_DIR, tmp.resolve("l")), "localizer-test"));
        focus = new TopologyTestDriver(FocusTopology.build(config, topics, focusExecutor, metrics),
                StreamsProps.forApp(config.with(AppConfig.STATE_DIR, tmp.resolve("f")), "focus-test"));
        images = localizer.createInputTopic(topics.images().name(), Serdes.String().serializer(),
                topics.images().valueSerde().serializer());
        tasksOut = localizer.createOutputTopic(topics.focusTasks().name(), Serdes.String().deserializer(),
                topics.focusTasks().valueSerde().deserializer());
        tasksIn = focus.createInputTopic(topics.focusTasks().name(), Serdes.String().serializer(),
                topics.focusTasks().valueSerde().serializer());
        focusControl = focus.createInputTopic(topics.control().name(), Serdes.String().serializer(),
                topics.control().valueSerde().serializer());
        answers = focus.createOutputTopic(topics.classifications().name(), Serdes.String().deserializer(),
                topics.classifications().valueSerde().deserializer());
        deadLetters = focus.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    private static AppConfig config(int batchMax, long lingerMs) {
        return AppConfig.defaults().with(AppConfig.BATCH_OVERLAP, false) // deterministic: batches on the stream thread
                .with(AppConfig.BATCH_MAX, batchMax).with(AppConfig.BATCH_LINGER_MS, lingerMs);
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {localizer, focus, localizerExecutor, focusExecutor, registry}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** Localizes {@code events} and returns the focus tasks the localizer made. */
    private List<FocusTask> localize(ImageEvent... events) {
        for (ImageEvent e : events) {
            images.pipeInput(e.getSourceId(), e);
        }
        localizer.advanceWallClockTime(Duration.ofSeconds(1));
        return tasksOut.readValuesToList();
    }

    private void toFocus(List<FocusTask> tasks) {
        for (FocusTask t : tasks) {
            tasksIn.pipeInput(t.getSourceId(), t);
        }
    }

    /** Four images from two sources localized (none exits), their focus tasks sent to the focus worker. */
    private List<FocusTask> fourTasksToFocus() {
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4), Events.scripted("cam-1", 2, 0.3, 6),
                Events.scripted("cam-2", 3, 0.1, 9), Events.scripted("cam-2", 4, 0.1, 0));
        assertEquals(4, tasks.size());
        toFocus(tasks);
        return tasks;
    }

    @Test
    void focusTasksAreAnsweredInBatchesWithStageFocus() {
        start(config(3, 50), "v1", "v1");
        List<FocusTask> tasks = fourTasksToFocus();
        assertEquals(List.of(3), focusModel.focusBatches, "a full batch at once");
        focus.advanceWallClockTime(Duration.ofMillis(100));
        assertEquals(List.of(3, 1), focusModel.focusBatches, "the rest after the linger");

        List<Classification> out = answers.readValuesToList();
        assertEquals(List.of(5, 7, 0, 1), out.stream().map(Classification::getClassIndex).toList(), "class + 1 by focus");
        for (int i = 0; i < 4; i++) {
            Classification c = out.get(i);
            assertEquals(tasks.get(i).getEventId(), c.getEventId());
            assertEquals(Stage.FOCUS, c.getStage());
            assertFalse(c.getDegraded());
            assertEquals(0.99f, c.getConfidence(), 1e-6);
            assertEquals(tasks.get(i).getRegion(), c.getRegion());
            assertTrue(c.getTimings().getFocusMs() >= 0);
            assertEquals(tasks.get(i).getLabel(), c.getLabel());
        }
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void focusBatchesHoldAtMostFocusBatchMaxWhateverTheLocalizersBatchMax() {
        start(config(8, 50).with(AppConfig.FOCUS_BATCH_MAX, 3), "v1", "v1");
        fourTasksToFocus();
        assertEquals(List.of(3), focusModel.focusBatches, "full at focus.batch.max 3, not batch.max 8");
        focus.advanceWallClockTime(Duration.ofMillis(100));
        assertEquals(List.of(3, 1), focusModel.focusBatches);
        assertEquals(4, answers.readValuesToList().size());
    }

    @Test
    void focusBatchMaxAutoIsSixteenAtMostOnACpuAndBatchMaxOnAGpu() {
        AppConfig defaults = AppConfig.defaults();
        assertEquals(32, defaults.batchMax());
        assertEquals(AppConfig.CPU_FOCUS_BATCH, defaults.focusBatchMax(false));
        assertEquals(32, defaults.focusBatchMax(true));
        assertEquals(8, config(8, 20).focusBatchMax(false), "never above batch.max when auto");
        assertEquals(24, defaults.with(AppConfig.FOCUS_BATCH_MAX, 24).focusBatchMax(false), "the setting wins");
        assertEquals(24, defaults.with(AppConfig.FOCUS_BATCH_MAX, 24).focusBatchMax(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defaults.with(AppConfig.FOCUS_BATCH_MAX, -1));
        assertTrue(e.getMessage().contains("focus.batch.max"), e.getMessage());
    }

    @Test
    void aTaskWhoseImageDecodedOnlyInPartIsAnsweredByFocusFlaggedDegraded() {
        start(config(1, 0), "v1", "v1");
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4), Events.scripted("cam-1", 2, 0.2, 4));
        tasks.get(0).setDegradedReason("the JPEG image decoded only in part (the decoder warned: Premature end of JPEG file)");
        tasks.get(1).setDegradedReason("cut short");
        tasks.get(1).setDeadline(Instant.now().minusMillis(500));
        toFocus(tasks);
        List<Classification> out = answers.readValuesToList();
        Classification partial = out.get(0);
        assertEquals(Stage.FOCUS, partial.getStage(), "still the full pipeline's answer");
        assertTrue(partial.getDegraded());
        assertEquals(tasks.get(0).getDegradedReason(), partial.getDegradedReason());
        Classification late = out.get(1);
        assertTrue(late.getDegradedReason().startsWith("focus deadline missed by"), late.getDegradedReason());
        assertTrue(late.getDegradedReason().endsWith("; cut short"), "both reasons: " + late.getDegradedReason());
    }

    @Test
    void aTaskPastItsDeadlineIsAnsweredDegradedWithItsLocalizationAnswer() {
        start(config(8, 20), "v1", "v1");
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4), Events.scripted("cam-1", 2, 0.3, 6));
        FocusTask late = tasks.get(0);
        late.setDeadline(Instant.now().minusMillis(500));
        FocusTask onTime = tasks.get(1);
        onTime.setDeadline(Instant.now().plusSeconds(60));
        toFocus(tasks);
        focus.advanceWallClockTime(Duration.ofMillis(100));

        List<Classification> out = answers.readValuesToList();
        assertEquals(2, out.size());
        Classification degraded = out.get(0);
        assertEquals(late.getEventId(), degraded.getEventId());
        assertTrue(degraded.getDegraded());
        assertEquals(Stage.LOCALIZATION, degraded.getStage());
        assertEquals(4, degraded.getClassIndex(), "the localization answer");
        assertEquals(0.2f, degraded.getConfidence(), 0.01);
        assertTrue(degraded.getDegradedReason().startsWith("focus deadline missed by"), degraded.getDegradedReason());
        assertNull(degraded.getTimings().getFocusMs());
        assertEquals(Stage.FOCUS, out.get(1).getStage());
        assertEquals(List.of(1), focusModel.focusBatches, "the late task never reached the model");
    }

    @Test
    void aTaskThatExpiresWhileBufferedIsAnsweredDegradedAtTheFlush() {
        start(config(8, 1000), "v1", "v1");
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4));
        tasks.get(0).setDeadline(Instant.now().plusMillis(300));
        toFocus(tasks);
        focus.advanceWallClockTime(Duration.ofSeconds(2));
        Classification c = answers.readValue();
        assertTrue(c.getDegraded());
        assertEquals(List.of(), focusModel.focusBatches);
    }

    @Test
    void aPerSourceDeadlineFromTheControlTopicAppliesToTasksWithoutOne() {
        start(config(1, 0), "v1", "v1");
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4), Events.scripted("cam-2", 2, 0.2, 4));
        for (FocusTask t : tasks) {
            t.setCaptureTime(Instant.now().minusSeconds(5));
        }
        focusControl.pipeInput("source:cam-1", Events.etaAndDeadline(0.8, 1000));
        toFocus(tasks);
        List<Classification> out = answers.readValuesToList();
        assertTrue(out.get(0).getDegraded(), "cam-1: 5 s old, deadline 1 s");
        assertFalse(out.get(1).getDegraded(), "cam-2: no deadline");
    }

    @Test
    void aTaskFromAnotherModelVersionIsDeadLetteredExplicitly() {
        start(config(4, 20), "v0-old", "v1");
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4));
        toFocus(tasks);
        focus.advanceWallClockTime(Duration.ofMillis(100));
        DeadLetter d = deadLetters.readValue();
        assertEquals(DeadLetterReason.MODEL_VERSION_MISMATCH, d.getReasonCode());
        assertEquals(tasks.get(0).getEventId(), d.getEventId());
        assertTrue(d.getReason().contains("v0-old") && d.getReason().contains("v1"), d.getReason());
        assertEquals("focus", d.getStage());
        assertEquals(topics.focusTasks().name(), d.getTopic());
        assertTrue(answers.isEmpty());
        assertEquals(List.of(), focusModel.focusBatches);
    }

    @Test
    void withDegradeOnMismatchTheLocalizationAnswerIsUsedInstead() {
        start(config(4, 20).with(AppConfig.FOCUS_VERSION_MISMATCH, "degrade"), "v0-old", "v1");
        toFocus(localize(Events.scripted("cam-1", 1, 0.2, 4)));
        Classification c = answers.readValue();
        assertTrue(c.getDegraded());
        assertTrue(c.getDegradedReason().startsWith("model version mismatch"), c.getDegradedReason());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aMalformedPayloadIsDeadLetteredAndTheRestOfTheBatchIsAnswered() {
        start(config(3, 20), "v1", "v1");
        List<FocusTask> tasks = new ArrayList<>(localize(Events.scripted("cam-1", 1, 0.2, 4),
                Events.scripted("cam-1", 2, 0.2, 5), Events.scripted("cam-1", 3, 0.2, 6)));
        tasks.get(0).setTokenShape(List.of(49, 5)); // does not match the bytes
        tasks.get(1).setTokenShape(List.of(98, 2)); // matches the bytes, the model refuses the width
        toFocus(tasks);
        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertEquals(2, dead.size());
        assertTrue(dead.stream().allMatch(d -> d.getReasonCode() == DeadLetterReason.CORRUPT_PAYLOAD));
        List<Classification> out = answers.readValuesToList();
        assertEquals(1, out.size());
        assertEquals(tasks.get(2).getEventId(), out.get(0).getEventId());
    }

    @Test
    void anEngineFailureOnOneTaskDeadLettersItAndTheRestOfTheBatchIsAnswered() {
        start(config(3, 20), "v1", "v1");
        focusModel.failFocusOnClass = 5;
        List<FocusTask> tasks = localize(Events.scripted("cam-1", 1, 0.2, 4), Events.scripted("cam-1", 2, 0.2, 5),
                Events.scripted("cam-1", 3, 0.2, 6));
        toFocus(tasks);
        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertEquals(1, dead.size());
        assertEquals(DeadLetterReason.INTERNAL_ERROR, dead.get(0).getReasonCode());
        assertEquals(tasks.get(1).getEventId(), dead.get(0).getEventId());
        assertTrue(dead.get(0).getReason().contains("scripted engine failure"), dead.get(0).getReason());
        assertEquals(List.of(tasks.get(0).getEventId(), tasks.get(2).getEventId()),
                answers.readValuesToList().stream().map(Classification::getEventId).toList());
    }
}
