package io.lfvit.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.nn.Networks;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepRateScheduleTest {

    @Test
    void allTokensForTheFirstTenthThenCosineOverAThirdThenTheTarget() {
        KeepRateSchedule s = KeepRateSchedule.forRun(0.5, 300);
        assertEquals(30, s.fullSteps());
        assertEquals(100, s.shrinkSteps());
        assertEquals(1.0, s.at(0));
        assertEquals(1.0, s.at(29));
        assertEquals(1.0, s.at(30), 1e-12, "the cosine starts at 1");
        assertEquals(0.75, s.at(80), 1e-12, "halfway: (1 + 0.5) / 2");
        assertEquals(0.5 + 0.5 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.at(55), 1e-12);
        assertEquals(0.5, s.at(130));
        assertEquals(0.5, s.at(299));
        for (int step = 1; step < 300; step++) {
            assertTrue(s.at(step) <= s.at(step - 1), "never rises, step " + step);
        }
    }

    @Test
    void keepRateOneAndConstantSchedulesDoNotMove() {
        assertEquals(1.0, KeepRateSchedule.forRun(1.0, 100).at(90));
        assertEquals(0.7, KeepRateSchedule.constant(0.7).at(0));
        assertEquals(0.7, KeepRateSchedule.constant(0.7).at(1000));
    }

    @Test
    void objectivesFollowTheScheduleStepByStep() {
        ModelConfig evit = new ModelConfig(ModelFamily.EVIT, "t", 112, 1, 8, 2, 32, 2, 2, 5, 0.88, 0.99, 1, 0.8, true,
                0.7, List.of(0, 1), List.of("a", "b"), List.of(0.1), List.of(0.25));
        ModelConfig lfEvit = new ModelConfig(ModelFamily.LFVIT, "t", 112, 1, 8, 2, 32, 2, 2, 5, 0.88, 0.99, 1, 0.8,
                true, 0.5, List.of(1), List.of("a", "b"), List.of(0.1), List.of(0.25));
        for (ModelConfig config : List.of(evit, lfEvit)) {
            Objective objective = Objective.of(Networks.create(config), 0.1f, 100);
            objective.startStep(0);
            assertEquals(1.0, objective.keepRate(), config.family() + ": all tokens first");
            objective.startStep(20);
            assertTrue(objective.keepRate() < 1 && objective.keepRate() > config.keepRate(), "shrinking");
            objective.startStep(60);
            assertEquals(config.keepRate(), objective.keepRate(), 1e-12, config.family() + ": target after 10+33 steps");
            assertEquals(config.keepRate(), Objective.of(Networks.create(config), 0.1f).keepRate(),
                    "without a run length: the configured rate");
        }
    }
}
