package io.lfvit.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lfvit.app.records.Answers;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.TestModels;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.infer.Prediction;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TallyTest {
    private final ModelConfig config = TestModels.tinyConfig(ModelFamily.LFVIT, "v1");

    private Classification answer(ImageEvent event, int predicted, double eta, Stage stage) {
        float[] p = new float[10];
        p[predicted] = 0.9f;
        Classification c = Answers.exit(event, new Prediction(predicted, 0.9f, p), eta, config, 3, 1.0, 0);
        c.setStage(stage);
        return c;
    }

    @Test
    void countsExitsAccuracyAndAnswersPerEtaAndFindsDuplicatesAndMissing() {
        Tally tally = new Tally();
        List<ImageEvent> events = List.of(
                Events.raw("cam-1", 0, new byte[112 * 112], 112, 3),
                Events.raw("cam-1", 1, new byte[112 * 112], 112, 4),
                Events.raw("cam-1", 2, new byte[112 * 112], 112, 5),
                Events.raw("cam-1", 3, new byte[112 * 112], 112, 6));
        events.forEach(e -> tally.produced(e.getEventId()));
        tally.classification(answer(events.get(0), 3, 0.8, Stage.FOCUS), 0);        // right, before the change
        tally.classification(answer(events.get(1), 0, 0.8, Stage.LOCALIZATION), 0); // wrong, exit
        tally.classification(answer(events.get(2), 5, 0.5, Stage.LOCALIZATION), 0); // right, exit, after
        tally.classification(answer(events.get(2), 5, 0.5, Stage.LOCALIZATION), 0); // the same event again

        assertEquals(4, tally.classified());
        assertEquals(1, tally.duplicates());
        assertEquals(1, tally.missing(), "event 3 was never answered");
        assertEquals(List.of(new Tally.EtaShare(0.5, 2, 1.0, 1.0), new Tally.EtaShare(0.8, 2, 0.5, 0.5)), tally.byEta());
        assertEquals(0.75, tally.exitRate());
        assertEquals(0.75, tally.accuracy());
    }
}
