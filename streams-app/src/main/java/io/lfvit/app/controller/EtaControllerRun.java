package io.lfvit.app.controller;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.control.ControlKeys;
import io.lfvit.app.topics.Topics;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.schemas.avro.ControlUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eta controller as a running thing ({@code lfvit controller}, or inside {@code lfvit demo/dev} with
 * {@code --controller}): every {@code controller.interval.ms} it measures the focus stage's lateness
 * ({@link FocusLatencyProbe}), lets {@link EtaController} decide, and publishes each change as a
 * ControlUpdate under the global key or one source's key, {@code updated_by = "lfvit-controller"}; the
 * apps apply it to their next batch. Other settings under that key (a deadline, m, alpha) are kept.
 *
 * <p>Metrics: {@code lfvit_controller_eta}, {@code lfvit_controller_signal_ms},
 * {@code lfvit_controller_focus_p99_ms}, {@code lfvit_controller_pending_age_ms},
 * {@code lfvit_controller_pending_tasks}, {@code lfvit_controller_decisions_total{decision}}.
 */
public final class EtaControllerRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtaControllerRun.class);
    public static final String UPDATED_BY = "lfvit-controller";

    /** One tick, for plots and summaries. */
    public record Sample(long atMs, double eta, double p99Ms, double pendingAgeMs, long pendingTasks,
            EtaController.Decision decision) {}

    private final AppConfig config;
    private final Topics topics;
    private final String source;
    private final EtaController controller;
    private final MeterRegistry registry;
    private final PrintStream log;
    private final List<Sample> history = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<FocusLatencyProbe.Reading> last = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile int changes;
    private Thread thread;

    private EtaControllerRun(AppConfig config, Topics topics, String source, EtaController controller, MeterRegistry registry,
            PrintStream log) {
        this.config = config;
        this.topics = topics;
        this.source = source;
        this.controller = controller;
        this.registry = registry;
        this.log = log;
        Gauge.builder("lfvit.controller.eta", controller, EtaController::eta).description("eta the controller last set")
                .register(registry);
        Gauge.builder("lfvit.controller.signal.ms", last, r -> r.get() == null ? 0 : r.get().signalMs())
                .description("the focus stage's lateness the controller acts on").register(registry);
        Gauge.builder("lfvit.controller.focus.p99.ms", last, r -> r.get() == null ? Double.NaN : r.get().p99Ms())
                .description("p99 capture-to-answer of the focus stage's answers in the window").register(registry);
        Gauge.builder("lfvit.controller.pending.age.ms", last, r -> r.get() == null ? 0 : r.get().pendingAgeMs())
                .description("age of the oldest focus task not committed past").register(registry);
        Gauge.builder("lfvit.controller.pending.tasks", last, r -> r.get() == null ? 0 : r.get().pendingTasks())
                .description("focus tasks the focus group has not committed past").register(registry);
    }

    /** The controller's settings from the configuration; {@code controller.eta.max} 0 = the model bundle's eta. */
    public static EtaController.Settings settings(AppConfig config, double targetMs) throws Exception {
        double max = Double.parseDouble(config.string(AppConfig.CONTROLLER_ETA_MAX));
        if (max <= 0) {
            max = ModelBundle.readConfig(config.modelDir()).eta();
        }
        return new EtaController.Settings(targetMs,
                Double.parseDouble(config.string(AppConfig.CONTROLLER_ETA_MIN)), max,
                Double.parseDouble(config.string(AppConfig.CONTROLLER_ETA_LOWER_STEP)),
                Double.parseDouble(config.string(AppConfig.CONTROLLER_ETA_RAISE_STEP)),
                Double.parseDouble(config.string(AppConfig.CONTROLLER_HYSTERESIS)),
                config.longValue(AppConfig.CONTROLLER_HOLD_MS), config.longValue(AppConfig.CONTROLLER_RAISE_HOLD_MS));
    }

    /**
     * Starts the controller thread. It begins from the eta on the control topic for its key (else the
     * global one, else eta max).
     */
    public static EtaControllerRun start(AppConfig config, Topics topics, String source, EtaController.Settings settings,
            MeterRegistry registry, PrintStream log) {
        ControlClient control = new ControlClient(config, topics.control());
        Map<String, ControlUpdate> current = control.show();
        ControlUpdate mine = current.getOrDefault(ControlKeys.forSourceOrGlobal(source), current.get(ControlKeys.GLOBAL));
        double startEta = mine != null ? mine.getEta() : settings.etaMax();
        EtaControllerRun run = new EtaControllerRun(config, topics, source, new EtaController(settings, startEta), registry, log);
        run.thread = new Thread(run::loop, "lfvit-eta-controller");
        run.thread.setDaemon(true);
        run.thread.start();
        log.printf(Locale.ROOT, "lfvit controller: target p99 %.0f ms for %s focus answers; eta %.2f in [%.2f, %.2f], "
                        + "lower %.2f / raise %.2f, raise below %.0f ms, hold %d ms / %d ms before a raise%n", settings.targetMs(),
                source == null ? "all" : "source " + source + "'s", run.controller.eta(), settings.etaMin(), settings.etaMax(),
                settings.lowerStep(), settings.raiseStep(), settings.raiseBelowMs(), settings.holdMs(),
                settings.raiseHoldMs());
        return run;
    }

    private void loop() {
        long interval = config.longValue(AppConfig.CONTROLLER_INTERVAL_MS);
        try (FocusLatencyProbe probe = new FocusLatencyProbe(config, topics, source)) {
            while (running) {
                long now = System.currentTimeMillis();
                try {
                    FocusLatencyProbe.Reading r = probe.read(now);
                    last.set(r);
                    EtaController.Step step = controller.observe(r.signalMs(), now);
                    Counter.builder("lfvit.controller.decisions").tag("decision", step.decision().name())
                            .description("the controller's decisions, one per interval").register(registry).increment();
                    if (step.changed()) {
                        publish(step.eta());
                        changes++;
                        log.printf(Locale.ROOT, "lfvit controller: %s eta %.2f -> %.2f (focus p99 %s, oldest pending task %.0f ms, "
                                        + "%d pending)%n", step.decision() == EtaController.Decision.LOWER ? "lowered" : "raised",
                                step.etaBefore(), step.eta(), Double.isNaN(r.p99Ms()) ? "-" : String.format(Locale.ROOT, "%.0f ms", r.p99Ms()),
                                r.pendingAgeMs(), r.pendingTasks());
                    }
                    history.add(new Sample(now, controller.eta(), r.p99Ms(), r.pendingAgeMs(), r.pendingTasks(), step.decision()));
                } catch (RuntimeException e) {
                    if (!running) {
                        break; // closing: an interrupted poll is expected
                    }
                    LOG.warn("controller tick failed (will retry): {}", e.toString());
                }
                long sleep = interval - (System.currentTimeMillis() - now);
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.println("lfvit controller: stopped: " + e.getMessage());
        }
    }

    /** Publishes eta under this controller's key, keeping that key's other settings (deadline, m, alpha). */
    private void publish(double eta) {
        ControlClient control = new ControlClient(config, topics.control());
        String key = ControlKeys.forSourceOrGlobal(source);
        ControlUpdate current = control.show().get(key);
        ControlUpdate update = ControlUpdate.newBuilder()
                .setEta(eta)
                .setM(current == null ? null : current.getM())
                .setAlpha(current == null ? null : current.getAlpha())
                .setSettings(current == null ? new HashMap<>() : new HashMap<>(current.getSettings()))
                .setUpdatedAt(Instant.now())
                .setUpdatedBy(UPDATED_BY)
                .build();
        try {
            control.put(key, update);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish eta " + eta + ": " + e.getMessage(), e);
        }
    }

    public double eta() {
        return controller.eta();
    }

    /** eta changes published so far. */
    public int changes() {
        return changes;
    }

    public List<Sample> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
