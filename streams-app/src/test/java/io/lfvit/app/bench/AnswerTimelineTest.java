package io.lfvit.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lfvit.app.demo.Tally;
import io.lfvit.app.records.Answers;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.TestModels;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.infer.Prediction;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTimelineTest {
    private final ModelConfig config = TestModels.tinyConfig(ModelFamily.LFVIT, "v1");

    private ImageEvent capturedAt(long ms) {
        ImageEvent e = Events.raw("cam-1", 0, new byte[112 * 112], 112, 3);
        e.setCaptureTime(Instant.ofEpochMilli(ms));
        return e;
    }

    private Classification answer(ImageEvent event, Stage stage) {
        float[] p = new float[10];
        p[3] = 0.9f;
        Classification c = Answers.exit(event, new Prediction(3, 0.9f, p), 0.8, config, 3, 1.0, event.getCaptureTime().toEpochMilli());
        c.setStage(stage);
        return c;
    }

    @Test
    void percentilesPerStageCountOnlyThisRunsAnswers() {
        Tally tally = new Tally();
        AnswerTimeline timeline = new AnswerTimeline(tally);
        for (int i = 1; i <= 100; i++) { // exits answered in 1..100 ms, focused images in 10..1000 ms
            ImageEvent exit = capturedAt(0);
            ImageEvent focused = capturedAt(0);
            tally.produced(exit.getEventId());
            tally.produced(focused.getEventId());
            timeline.classification(answer(exit, Stage.LOCALIZATION), i);
            timeline.classification(answer(focused, Stage.FOCUS), 10L * i);
        }
        // an earlier run's answer on the same topic, read now: counted by neither
        timeline.classification(answer(capturedAt(-60_000), Stage.FOCUS), 1);

        Map<String, Map<String, Double>> p = timeline.percentilesByStage(0.5, 0.99);

        assertEquals(Map.of("answers", 100.0, "p50_ms", 50.0, "p99_ms", 99.0), p.get("localization"));
        assertEquals(Map.of("answers", 100.0, "p50_ms", 500.0, "p99_ms", 990.0), p.get("focus"));
        assertEquals(201, tally.classified(), "the tally still sees every answer it is handed");
        assertEquals(1, tally.unknown(), "and knows the earlier run's answer as not its own");
    }
}
