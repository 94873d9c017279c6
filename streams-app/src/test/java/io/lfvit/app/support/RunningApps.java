package io.lfvit.app.support;

import io.lfvit.app.apps.Apps;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.serde.AvroSerdes;
import java.nio.file.Path;

/**
 * One localizer and one focus worker on a test broker, each with its own state directory under
 * {@code tmp}, its own model executor (one for both = one process; two = two processes) and metrics;
 * built, then {@link #start()}ed (control records published in between are read before any image),
 * closed together.
 */
public final class RunningApps implements AutoCloseable {
    public final AvroSerdes serdes;
    public final Topics topics;
    public final StreamsService localizer;
    public final StreamsService focus;

    public RunningApps(AppConfig config, Path tmp, InferenceExecutor localizerModel, Metrics localizerMetrics,
            InferenceExecutor focusModel, Metrics focusMetrics) {
        serdes = new AvroSerdes(config.serdeConfig());
        topics = new Topics(config, serdes);
        // No start-up rehearsal: the scripted models here count their calls, and a rehearsal would add its own
        // (RecordPathRehearsalTest covers it; the apps started as processes, as in LocalizerCrashTest, run it).
        AppConfig apps = config.with(AppConfig.REHEARSAL_RECORDS, 0);
        localizer = Apps.localizer(apps.with(AppConfig.STATE_DIR, tmp.resolve("l")), topics, localizerModel, localizerMetrics);
        focus = Apps.focusWorker(apps.with(AppConfig.STATE_DIR, tmp.resolve("f")), topics, focusModel, focusMetrics);
    }

    /** Starts both; returns once both are RUNNING. */
    public RunningApps start() {
        localizer.start(Apps.START_TIMEOUT);
        focus.start(Apps.START_TIMEOUT);
        return this;
    }

    /** Both applications on one model executor, as in one process. */
    public RunningApps(AppConfig config, Path tmp, InferenceExecutor model) {
        this(config, tmp, model, Metrics.inMemory(), model, Metrics.inMemory());
    }

    @Override
    public void close() {
        focus.close();
        localizer.close();
        serdes.close();
    }
}
