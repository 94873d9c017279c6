package io.lfvit.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline row run several times: the fastest run counts, as for the bare model, and nothing any run lost is hidden. */
class BenchReportTest {
    private static final BenchSettings SETTINGS = new BenchSettings(2000, "split", Path.of("models/lfvit"),
            Path.of("models/vit-e6"), List.of(0.8), 0.8, List.of(0.5), 10, null, false, false, 4, 4, 2, Map.of(),
            Path.of("data"), Path.of("work"), List.of());

    private static PipelineBench.Row run(double imagesPerS, long duplicates, long missing) {
        return new PipelineBench.Row("lfvit", 0.8, "canvases", 2000, 2000 / imagesPerS, imagesPerS, 0.27, 0.76,
                duplicates, missing, 0, Map.of(), Map.of(), Map.of(),
                Pace.of(new long[0], 0, 0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFastestRunCountsEveryRunIsListedAndALossInAnyRunIsReported() {
        BenchReport report = new BenchReport(SETTINGS);
        report.bare("lfvit", 0.8, new BareBench.Result(190, 185, 200, 0.27));
        report.pipeline(List.of(run(150, 0, 0), run(160, 1, 2)));

        Map<String, Object> row = ((List<Map<String, Object>>) report.json().get("throughput")).get(0);
        assertEquals(160.0, row.get("pipeline_images_per_s"));
        assertEquals(List.of(150.0, 160.0), row.get("pipeline_runs_images_per_s"));
        assertEquals(0.8, (double) row.get("pipeline_over_bare"), 1e-9, "the best run over the best bare (200)");
        assertEquals(1L, row.get("duplicated"));
        assertEquals(2L, row.get("lost"));
    }

    @Test
    void theTargetIsJudgedOnTheFastestRun() {
        BenchReport report = new BenchReport(SETTINGS);
        report.bare("lfvit", 0.8, new BareBench.Result(190, 185, 200, 0.27));
        report.pipeline(List.of(run(150, 0, 0), run(161, 0, 0)));
        BenchReport.Target share = report.targets().get(0);
        assertTrue(share.what().startsWith("pipeline / bare"), share.what());
        assertTrue(share.met(), "161 / 200 >= 0.8");

        BenchReport slower = new BenchReport(SETTINGS);
        slower.bare("lfvit", 0.8, new BareBench.Result(190, 185, 200, 0.27));
        slower.pipeline(List.of(run(150, 0, 0), run(155, 0, 0)));
        assertFalse(slower.targets().get(0).met(), "155 / 200 < 0.8");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLatencyWarmUpRoundsAreInTheJsonWithTheCoresTheirCompilersUsed() {
        BenchReport report = new BenchReport(new BenchSettings(2000, "split", Path.of("models/lfvit"),
                Path.of("models/vit-e6"), List.of(0.8), 0.8, List.of(0.5), 10, 112.7, false, true, 4, 4, 2, Map.of(),
                Path.of("data"), Path.of("work"), List.of())); // --latency-capacity: the latency rows alone
        PipelineBench.LatencyWarmUpRound busy = new PipelineBench.LatencyWarmUpRound(1, 32.0, 5.0, 3.0);
        PipelineBench.LatencyWarmUpRound settled = new PipelineBench.LatencyWarmUpRound(2, 32.0, 0.4, 0.24);
        assertEquals(0.25, busy.jitCores(), 1e-9);
        assertTrue(settled.jitCores() <= PipelineBench.LATENCY_JIT_SETTLED_CORES, "0.02 cores");
        assertFalse(busy.jitCores() <= PipelineBench.LATENCY_JIT_SETTLED_CORES);
        report.latency(0.8, new PipelineBench.Latency(List.of(busy, settled), List.of()));

        List<Map<String, Object>> rounds = (List<Map<String, Object>>) report.json().get("latency_warm_up");
        assertEquals(2, rounds.size());
        assertEquals(1, rounds.get(0).get("round"));
        assertEquals(5.0, (double) rounds.get(0).get("broker_jit_s"), 1e-9);
        assertEquals(0.24, (double) rounds.get(1).get("bench_jit_s"), 1e-9);
    }
}
