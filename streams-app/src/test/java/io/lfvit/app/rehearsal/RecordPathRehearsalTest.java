package io.lfvit.app.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.support.ScriptedClassifier;
import io.lfvit.app.support.TestRegistry;
import io.lfvit.app.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up rehearsal runs each app's real topology on made-up records (scripted model): every record
 * answered, both routes taken, nothing registered in the app's registry, the model's times kept out of the
 * app's metrics, its state deleted.
 */
class RecordPathRehearsalTest {
    @TempDir
    Path tmp;

    private final TestRegistry appRegistry = new TestRegistry();
    private final ScriptedClassifier model = new ScriptedClassifier("v1");
    private final InferenceExecutor executor = InferenceExecutor.of(() -> model);

    @AfterEach
    void tearDown() {
        executor.close();
        appRegistry.close();
    }

    private AppConfig config(int records) {
        return AppConfig.defaults().with(AppConfig.REHEARSAL_RECORDS, records).with(AppConfig.STATE_DIR, tmp.toString());
    }

    @Test
    void localizerAnswersEveryMadeUpRecordBothWaysAndLeavesNothingBehind() throws Exception {
        AppConfig config = config(48);
        Topics topics = appRegistry.topics(config);
        Metrics appMetrics = Metrics.inMemory();
        executor.recordTimes(appMetrics);

        RecordPathRehearsal.Outcome outcome = RecordPathRehearsal.localizer(config, executor);

        assertNotNull(outcome, "rehearsed");
        assertEquals(48, outcome.records());
        assertEquals(48, outcome.outputs(), "every record answered or sent to focus");
        assertEquals(24, outcome.outputsByTopic().get(topics.classifications().name()), "eta 0: answered at localization");
        assertEquals(24, outcome.outputsByTopic().get(topics.focusTasks().name()), "eta 1: sent to focus");
        assertEquals(0, outcome.outputsByTopic().get(topics.deadLetters().name()));
        assertEquals(48, model.localizeBatches.stream().mapToInt(Integer::intValue).sum(), "raw and JPEG images localized");
        assertTrue(model.localizeBatches.size() > 1, "in batches: " + model.localizeBatches);
        assertEquals(0.0, appMetrics.registry().find("lfvit.step.seconds").counters().stream()
                .mapToDouble(c -> c.count()).sum(), "the rehearsal's model times are not the app's");
        assertTrue(appRegistry.serdes.client().getSubjects().isEmpty(), "nothing registered in the app's registry");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "its state is deleted");
        }
    }

    @Test
    void focusWorkerAnswersFocusTasksMadeByItsOwnModel() {
        AppConfig config = config(40);
        RecordPathRehearsal.Outcome outcome = RecordPathRehearsal.focusWorker(config, executor);

        assertNotNull(outcome, "rehearsed");
        assertTrue(outcome.records() > 30, "tasks from 40 images at eta 1 (an image of confidence 1 exits): " + outcome);
        assertEquals(outcome.records(), outcome.outputs());
        assertEquals(outcome.records(), outcome.outputsByTopic().get(appRegistry.topics(config).classifications().name()));
        assertEquals(outcome.records(), model.focusBatches.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void zeroRecordsIsOff() {
        AppConfig config = config(0);
        assertNull(RecordPathRehearsal.localizer(config, executor));
        assertTrue(model.localizeBatches.isEmpty());
    }
}
