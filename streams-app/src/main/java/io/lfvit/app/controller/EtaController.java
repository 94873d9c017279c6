package io.lfvit.app.controller;

/**
 * The eta controller's decision rule, free of Kafka and clocks so that it can be tested alone. Each
 * observation is the focus stage's lateness (ms; see {@link FocusLatencyProbe}) against a target:
 *
 * <ul>
 *   <li>above the target: lower eta by {@code lowerStep} (more images exit after localization, fewer
 *       reach the focus stage), down to {@code etaMin};</li>
 *   <li>below {@code target x (1 - hysteresis)}: raise eta by {@code raiseStep} back towards {@code etaMax}
 *       (the model's eta: full accuracy);</li>
 *   <li>in between (the hysteresis band): keep eta.</li>
 * </ul>
 *
 * After a change it waits {@code holdMs} before lowering again and {@code raiseHoldMs} (longer) before
 * raising, because the focus stage needs time to drain or refill its backlog before the measurement shows
 * what the change did: raising again while the latency is still climbing from the last raise is what
 * makes a controller swing (a lagging plant in {@code EtaControllerTest} showed exactly that limit
 * cycle with one hold time for both). The band and the holds together keep eta from oscillating;
 * lowering in bigger steps than raising sheds load fast and recovers accuracy carefully.
 */
public final class EtaController {

    /** The settings, validated. */
    public record Settings(double targetMs, double etaMin, double etaMax, double lowerStep, double raiseStep,
            double hysteresis, long holdMs, long raiseHoldMs) {
        public Settings {
            require(targetMs > 0, "the target p99 must be > 0 ms");
            require(etaMin >= 0 && etaMin <= etaMax && etaMax <= 1, "need 0 <= eta min <= eta max <= 1, got "
                    + etaMin + " and " + etaMax);
            require(lowerStep > 0 && raiseStep > 0, "eta steps must be > 0");
            require(hysteresis >= 0 && hysteresis < 1, "hysteresis must lie in [0, 1)");
            require(holdMs >= 0 && raiseHoldMs >= 0, "hold times must be >= 0 ms");
        }

        /** Below this the focus stage counts as caught up. */
        public double raiseBelowMs() {
            return targetMs * (1 - hysteresis);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("controller: " + message);
            }
        }
    }

    /** What one observation led to. */
    public enum Decision {
        /** Late: eta lowered. */
        LOWER,
        /** Caught up: eta raised. */
        RAISE,
        /** Within the band: no change. */
        KEEP,
        /** A change is due but the last one is younger than the hold time. */
        WAIT,
        /** A change is due but eta is already at its bound. */
        AT_BOUND
    }

    /** One step: the decision, eta before and after, and the signal it was based on. */
    public record Step(Decision decision, double etaBefore, double eta, double signalMs, long atMs) {
        public boolean changed() {
            return decision == Decision.LOWER || decision == Decision.RAISE;
        }
    }

    private final Settings settings;
    private double eta;
    private long lastChangeMs;
    private boolean changedOnce;

    public EtaController(Settings settings, double startEta) {
        this.settings = settings;
        this.eta = clamp(startEta);
    }

    public Settings settings() {
        return settings;
    }

    public double eta() {
        return eta;
    }

    /** Takes one measurement of the focus stage's lateness (ms) at {@code nowMs}; returns what it did. */
    public Step observe(double signalMs, long nowMs) {
        double before = eta;
        Decision d;
        if (signalMs > settings.targetMs()) {
            d = eta <= settings.etaMin() ? Decision.AT_BOUND
                    : holding(nowMs, settings.holdMs()) ? Decision.WAIT : Decision.LOWER;
            if (d == Decision.LOWER) {
                change(eta - settings.lowerStep(), nowMs);
            }
        } else if (signalMs < settings.raiseBelowMs()) {
            d = eta >= settings.etaMax() ? Decision.AT_BOUND
                    : holding(nowMs, settings.raiseHoldMs()) ? Decision.WAIT : Decision.RAISE;
            if (d == Decision.RAISE) {
                change(eta + settings.raiseStep(), nowMs);
            }
        } else {
            d = Decision.KEEP;
        }
        return new Step(d, before, eta, signalMs, nowMs);
    }

    private boolean holding(long nowMs, long holdMs) {
        return changedOnce && nowMs - lastChangeMs < holdMs;
    }

    private void change(double to, long nowMs) {
        eta = clamp(to);
        lastChangeMs = nowMs;
        changedOnce = true;
    }

    /** Within the bounds, rounded to 4 decimals (no float noise on the control topic). */
    private double clamp(double v) {
        double c = Math.max(settings.etaMin(), Math.min(settings.etaMax(), v));
        return Math.round(c * 10_000) / 10_000.0;
    }
}
