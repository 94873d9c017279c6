package io.lfvit.app.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.controller.EtaController.Decision;
import io.lfvit.app.controller.EtaController.Settings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control rule alone: direction, bounds, the hysteresis band, the hold time, and no oscillation. */
class EtaControllerTest {
    // target 1000 ms, eta in [0.3, 0.8], lower 0.1, raise 0.05, raise only below 700 ms; 3 s after a change
    // before lowering again, 10 s before raising
    private static final Settings S = new Settings(1000, 0.3, 0.8, 0.1, 0.05, 0.3, 3000, 10_000);

    @Test
    void lowersWhenLateAndRaisesWhenCaughtUp() {
        EtaController c = new EtaController(S, 0.8);
        EtaController.Step s = c.observe(1500, 0);
        assertEquals(Decision.LOWER, s.decision());
        assertEquals(0.7, s.eta(), 1e-9);
        assertEquals(0.8, s.etaBefore(), 1e-9);
        s = c.observe(100, 10_000);
        assertEquals(Decision.RAISE, s.decision());
        assertEquals(0.75, c.eta(), 1e-9);
    }

    @Test
    void staysWithinItsBounds() {
        EtaController c = new EtaController(S, 0.8);
        for (int i = 0; i < 20; i++) {
            c.observe(5000, i * 3000L);
        }
        assertEquals(0.3, c.eta(), 1e-9);
        assertEquals(Decision.AT_BOUND, c.observe(5000, 100_000).decision());
        for (int i = 0; i < 40; i++) {
            c.observe(0, 200_000 + i * 10_000L);
        }
        assertEquals(0.8, c.eta(), 1e-9);
        assertEquals(Decision.AT_BOUND, c.observe(0, 800_000).decision());
        assertEquals(0.8, new EtaController(S, 0.95).eta(), 1e-9, "a start above the bound is clamped");
    }

    @Test
    void keepsEtaInsideTheHysteresisBand() {
        EtaController c = new EtaController(S, 0.6);
        for (double signal : new double[] {700, 850, 1000, 701, 999}) {
            assertEquals(Decision.KEEP, c.observe(signal, 0).decision(), "signal " + signal);
        }
        assertEquals(0.6, c.eta(), 1e-9);
    }

    @Test
    void waitsTheHoldTimeBetweenChanges() {
        EtaController c = new EtaController(S, 0.8);
        assertEquals(Decision.LOWER, c.observe(2000, 10_000).decision());
        assertEquals(Decision.WAIT, c.observe(2000, 11_000).decision());
        assertEquals(Decision.WAIT, c.observe(100, 12_999).decision(), "no raise within the raise hold");
        assertEquals(0.7, c.eta(), 1e-9);
        assertEquals(Decision.LOWER, c.observe(2000, 13_000).decision());
        assertEquals(0.6, c.eta(), 1e-9);
        assertEquals(Decision.WAIT, c.observe(100, 22_999).decision(), "raising waits 10 s after the last change");
        assertEquals(Decision.RAISE, c.observe(100, 23_000).decision());
        assertEquals(0.65, c.eta(), 1e-9);
    }

    /**
     * A plant whose lateness follows eta with a lag (more focus work at higher eta, drained over seconds):
     * the controller settles, instead of swinging between its bounds.
     */
    @Test
    void settlesOnALaggingPlantWithoutOscillating() {
        EtaController c = new EtaController(S, 0.8);
        double latency = 0;
        List<Double> etas = new ArrayList<>();
        for (int t = 0; t < 600; t++) { // 10 min at 1 s steps
            double steady = 3000 * (c.eta() - 0.4) / 0.4; // 0 ms at eta 0.4, 3000 ms at 0.8
            latency += (Math.max(0, steady) - latency) * 0.3;
            c.observe(latency, t * 1000L);
            etas.add(c.eta());
        }
        List<Double> last = etas.subList(300, 600);
        double min = last.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = last.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(max - min <= 0.05 + 1e-9, "eta still moving by " + (max - min) + " after 5 min");
        double steady = 3000 * (last.get(last.size() - 1) - 0.4) / 0.4;
        assertTrue(steady <= 1000, "settled eta holds the target: steady latency " + steady);
        assertTrue(steady >= 700 * 0.5, "and does not give away more accuracy than the band asks: " + steady);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Settings(0, 0.3, 0.8, 0.1, 0.05, 0.3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Settings(1000, 0.9, 0.8, 0.1, 0.05, 0.3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Settings(1000, 0.3, 0.8, 0.1, 0.05, 1.0, 0, 0));
    }
}
