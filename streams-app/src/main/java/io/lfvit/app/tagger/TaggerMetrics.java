package io.lfvit.app.tagger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The tagger's meters: frames later than their window's grace ({@code lfvit_tagger_late_dropped_total{source}}:
 * in no window, so counted here rather than lost without a trace), frames late but within grace
 * ({@code lfvit_tagger_late_accepted_total}), frames taken into windows ({@code lfvit_tagger_frames_total})
 * and windows written ({@code lfvit_tagger_windows_total}).
 */
public final class TaggerMetrics {
    private final MeterRegistry registry;

    public TaggerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    void lateDropped(String source) {
        Counter.builder("lfvit.tagger.late.dropped").tag("source", source)
                .description("answers whose window had closed (end + grace passed in stream time): in no FrameTags")
                .register(registry).increment();
    }

    void lateAccepted(String source) {
        Counter.builder("lfvit.tagger.late.accepted").tag("source", source)
                .description("answers that arrived after their window's end, within grace (counted in late_frames)")
                .register(registry).increment();
    }

    void frame() {
        Counter.builder("lfvit.tagger.frames").description("answers taken into a window").register(registry).increment();
    }

    void window() {
        Counter.builder("lfvit.tagger.windows").description("FrameTags records written (closed windows)")
                .register(registry).increment();
    }

    void deadLetter() {
        Counter.builder("lfvit.tagger.dead.letters").description("classifications the tagger could not read")
                .register(registry).increment();
    }

    /** Sum of a counter over its tags (tests, the demo's summary). */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
