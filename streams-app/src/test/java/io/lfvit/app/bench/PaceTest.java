package io.lfvit.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaceTest {
    @Test
    void theMiddleOfARowIsTimedApartFromItsStartAndEnd() {
        // 101 answers: the first 500 ms after the first input, then one every 10 ms (100 img/s), the last one
        // 300 ms late, its batch started 120 ms before it was read
        long[] received = new long[101];
        for (int i = 0; i < 100; i++) {
            received[i] = 1500 + 10L * i;
        }
        received[100] = 1500 + 990 + 300;
        Pace pace = Pace.of(received, 1000, received[100] - 120);

        assertEquals(100.0, pace.middleImagesPerS(), 1e-9);
        assertEquals(500.0, pace.firstAnswerMs(), 1e-9);
        assertEquals(120.0, pace.lastAnswerReadMs(), 1e-9);
    }

    @Test
    void tooFewAnswersHaveNoPace() {
        assertTrue(Double.isNaN(Pace.of(new long[] {1, 2, 3}, 0, 3).middleImagesPerS()));
    }
}
