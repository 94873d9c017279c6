package io.lfvit.app.metrics;

import io.lfvit.schemas.avro.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The product's meters (Micrometer; Prometheus names in brackets): images localized
 * ({@code lfvit_images_localized_total}; images/s is its rate), early exits ({@code lfvit_exits_total};
 * exit rate = exits / localized), focus tasks, classifications by stage and degraded, dead letters by
 * reason, batch sizes, model time per batch and end-to-end latency per stage (histograms), and the
 * focus lag (age of the task the focus worker is answering).
 */
public final class Metrics {
    private final MeterRegistry registry;
    private final Counter localized;
    private final Counter exits;
    private final Counter focusTasks;
    private final AtomicLong focusLagMs = new AtomicLong();
    private final java.util.Map<String, AtomicLong> firstInputMs = new java.util.concurrent.ConcurrentHashMap<>();

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
        localized = Counter.builder("lfvit.images.localized").description("images through the localization stage")
                .register(registry);
        exits = Counter.builder("lfvit.exits").description("images answered by localization (confidence >= eta)")
                .register(registry);
        focusTasks = Counter.builder("lfvit.focus.tasks").description("images sent on to the focus stage")
                .register(registry);
        Gauge.builder("lfvit.focus.lag.ms", focusLagMs, AtomicLong::get)
                .description("age (ms since localization) of the last focus task answered").register(registry);
    }

    /** Meters kept in memory only (tests, tools). */
    public static Metrics inMemory() {
        return new Metrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void localized(int images, int exited) {
        localized.increment(images);
        exits.increment(exited);
        focusTasks.increment(images - exited);
    }

    public void classified(String stage, boolean degraded) {
        Counter.builder("lfvit.classifications").tag("stage", stage).tag("degraded", String.valueOf(degraded))
                .description("final answers").register(registry).increment();
    }

    public void deadLetter(DeadLetterReason reason, String stage) {
        Counter.builder("lfvit.dead.letters").tag("reason", reason.name()).tag("stage", stage)
                .description("records sent to the dead-letter topic").register(registry).increment();
    }

    public void batch(String stage, int size, long nanos) {
        DistributionSummary.builder("lfvit.batch.size").tag("stage", stage).publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(4096.0)
                .register(registry).record(size);
        Timer.builder("lfvit.batch.model.time").tag("stage", stage).publishPercentileHistogram()
                .description("model time per batch").register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void endToEnd(String stage, long ms) {
        if (ms >= 0) {
            Timer.builder("lfvit.end.to.end").tag("stage", stage).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                    .description("capture to answer").register(registry).record(ms, TimeUnit.MILLISECONDS);
        }
    }

    public void focusLag(long ms) {
        focusLagMs.set(Math.max(0, ms));
    }

    /**
     * Time spent in one step of a stage ({@code lfvit_step_seconds_total{stage,step}}), summed over
     * images: divided by {@code lfvit_step_images_total} it is the per-image cost of that step, the
     * breakdown {@code lfvit bench} reports (avro, decode, batch-wait, inference-wait, model, forward).
     */
    public void step(String stage, String step, long nanos) {
        Counter.builder("lfvit.step.seconds").tag("stage", stage).tag("step", step).baseUnit("seconds")
                .description("time spent in one step of a stage, summed over images").register(registry)
                .increment(nanos / 1e9);
    }

    /** Images that went through a stage's batcher ({@code lfvit_step_images_total{stage}}). */
    public void stepImages(String stage, int images) {
        Counter.builder("lfvit.step.images").tag("stage", stage).description("images a stage answered from a batch")
                .register(registry).increment(images);
    }

    /**
     * Wall-clock time (epoch ms) at which this process admitted its first input record of a stage
     * ({@code lfvit_first_input_ms{stage}}): where a benchmark's throughput window starts.
     */
    public void firstInput(String stage, long epochMs) {
        if (firstInputMs.containsKey(stage)) {
            return;
        }
        firstInputMs.computeIfAbsent(stage, s -> {
            AtomicLong at = new AtomicLong(epochMs);
            Gauge.builder("lfvit.first.input.ms", at, AtomicLong::get).tag("stage", s)
                    .description("epoch ms of the first input record this process admitted").register(registry);
            return at;
        });
    }

    /** The batch observer of a stage: batch waits, forwarding time, images, the first admission. */
    public io.lfvit.app.batch.BatchObserver batchObserver(String stage) {
        return new io.lfvit.app.batch.BatchObserver() {
            @Override
            public void admitted(long nowMs) {
                firstInput(stage, nowMs);
            }

            @Override
            public void flushed(int images, long batchWaitNanos, long forwardNanos) {
                stepImages(stage, images);
                step(stage, "batch-wait", batchWaitNanos);
                step(stage, "forward", (long) images * forwardNanos);
            }
        };
    }

    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
