package io.lfvit.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The results of one {@code lfvit bench} run: the table, the targets, the JSON and the plots. */
final class BenchReport {
    private final BenchSettings settings;
    private final Map<String, BareBench.Result> bare = new LinkedHashMap<>();
    /** Per row, the fastest of its runs. */
    private final List<PipelineBench.Row> rows = new ArrayList<>();
    /** Every run of each row, by the row's label. */
    private final Map<String, List<PipelineBench.Row>> runs = new LinkedHashMap<>();
    private double latencyEta = Double.NaN;
    private List<PipelineBench.LatencyPoint> latency = List.of();
    private List<PipelineBench.LatencyWarmUpRound> latencyWarmUp = List.of();
    private List<PipelineBench.WarmUpRound> brokerWarmUp = List.of();

    BenchReport(BenchSettings settings) {
        this.settings = settings;
    }

    void bare(String model, Double eta, BareBench.Result result) {
        bare.put(key(model, eta), result);
    }

    /** The runs of one pipeline row: the fastest counts. */
    void pipeline(List<PipelineBench.Row> rowRuns) {
        PipelineBench.Row best = rowRuns.stream().max(java.util.Comparator.comparingDouble(PipelineBench.Row::imagesPerS))
                .orElseThrow();
        rows.add(best);
        runs.put(PipelineBench.label(best.model(), best.eta(), best.input()), List.copyOf(rowRuns));
    }

    void brokerWarmUp(List<PipelineBench.WarmUpRound> rounds) {
        brokerWarmUp = List.copyOf(rounds);
    }

    void latency(double eta, List<PipelineBench.LatencyPoint> points) {
        latencyEta = eta;
        latency = List.copyOf(points);
    }

    void latency(double eta, PipelineBench.Latency rows) {
        latency(eta, rows.points());
        latencyWarmUp = List.copyOf(rows.warmUp());
    }

    double bareBest(String model, Double eta) {
        return bare.get(key(model, eta)).best();
    }

    double pipelineImagesPerS(String model, Double eta, String input) {
        return row(model, eta, input).map(PipelineBench.Row::imagesPerS).orElse(Double.NaN);
    }

    private java.util.Optional<PipelineBench.Row> row(String model, Double eta, String input) {
        return rows.stream().filter(r -> r.model().equals(model) && Objects.equals(r.eta(), eta) && r.input().equals(input))
                .findFirst();
    }

    private static String key(String model, Double eta) {
        return model + "@" + eta;
    }

    /** A target of the issue and whether this run meets it. */
    record Target(String what, double value, double bound, boolean atLeast) {
        boolean met() {
            return atLeast ? value >= bound : value <= bound;
        }
    }

    List<Target> targets() {
        List<Target> out = new ArrayList<>();
        double minShare = settings.split() ? 0.8 : 0.7;
        for (PipelineBench.Row r : rows) {
            if (r.input().equals("canvases")) {
                out.add(new Target("pipeline / bare, " + PipelineBench.label(r.model(), r.eta(), r.input()),
                        r.imagesPerS() / bareBest(r.model(), r.eta()), minShare, true));
            }
        }
        double vitBare = bare.containsKey(key("vit", null)) ? bareBest("vit", null) : Double.NaN;
        double vitPipe = pipelineImagesPerS("vit", null, "canvases");
        for (double eta : settings.latencyOnly() ? List.<Double>of() : settings.etas()) {
            double bareSpeedup = bareBest("lfvit", eta) / vitBare;
            double pipeSpeedup = pipelineImagesPerS("lfvit", eta, "canvases") / vitPipe;
            out.add(new Target(String.format(Locale.ROOT, "speed-up over the ViT through the pipeline / bare, eta %.2f", eta),
                    pipeSpeedup / bareSpeedup, 0.9, true));
            out.add(new Target(String.format(Locale.ROOT, "speed-up over the ViT through the pipeline, eta %.2f", eta),
                    pipeSpeedup, 1.0, true));
        }
        for (PipelineBench.LatencyPoint p : latency) {
            if (Math.abs(p.load() - 0.5) < 1e-9) {
                out.add(new Target(String.format(Locale.ROOT, "p99 ms at 50%% load, LF-ViT eta %.2f", latencyEta), p.p99Ms(), 500, false));
            }
        }
        for (PipelineBench.Row r : rows) {
            if (r.input().equals("frames")) {
                double canvases = pipelineImagesPerS(r.model(), r.eta(), "canvases");
                out.add(new Target("frames / canvases, " + PipelineBench.label(r.model(), r.eta(), "pipeline"),
                        r.imagesPerS() / canvases, 0.7, true));
            }
        }
        return out;
    }

    void print(PrintStream out) {
        out.printf("%nlfvit bench summary (%d images, layout %s; bare and pipeline: the best of %d runs each)%n",
                settings.images(), settings.layout(), settings.repeats());
        out.printf("  %-32s %10s %10s %8s %8s %9s%n", "row", "bare", "pipeline", "ratio", "exits", "accuracy");
        for (PipelineBench.Row r : rows) {
            double b = bareBest(r.model(), r.eta());
            out.printf(Locale.ROOT, "  %-32s %10.1f %10.1f %7.0f%% %7.1f%% %8.2f%%%n", PipelineBench.label(r.model(), r.eta(), r.input()),
                    b, r.imagesPerS(), 100 * r.imagesPerS() / b, 100 * r.exitRate(), 100 * r.accuracy());
        }
        for (PipelineBench.LatencyPoint p : latency) {
            out.printf(Locale.ROOT, "  latency at %3.0f%% load (%.1f img/s): p50 %.0f ms, p99 %.0f ms%n", 100 * p.load(),
                    p.offeredImagesPerS(), p.p50Ms(), p.p99Ms());
        }
        out.println("  targets:");
        for (Target t : targets()) {
            out.printf(Locale.ROOT, "    %-4s %-75s %8.3f (%s %.2f)%n", t.met() ? "MET" : "MISS", t.what(), t.value(),
                    t.atLeast() ? ">=" : "<=", t.bound());
        }
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", settings.images());
        m.put("layout", settings.layout());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("partitions", settings.partitions());
        m.put("sources", settings.sources());
        m.put("settings", settings.settings());
        List<Map<String, Object>> warmUp = new ArrayList<>();
        for (PipelineBench.WarmUpRound r : brokerWarmUp) {
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("eta", r.eta());
            round.put("images", r.images());
            round.put("seconds", round(r.seconds()));
            round.put("broker_cpu_s", round(r.brokerCpuSeconds()));
            round.put("broker_jit_s", round(r.brokerJitSeconds()));
            warmUp.add(round);
        }
        m.put("broker_warm_up", warmUp);
        List<Map<String, Object>> pacedWarmUp = new ArrayList<>();
        for (PipelineBench.LatencyWarmUpRound r : latencyWarmUp) {
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("round", r.round());
            round.put("seconds", round(r.seconds()));
            round.put("broker_jit_s", round(r.brokerJitSeconds()));
            round.put("bench_jit_s", round(r.benchJitSeconds()));
            pacedWarmUp.add(round);
        }
        m.put("latency_warm_up", pacedWarmUp);
        List<Map<String, Object>> throughput = new ArrayList<>();
        List<Map<String, Object>> frames = new ArrayList<>();
        Map<String, Object> breakdown = new LinkedHashMap<>();
        for (PipelineBench.Row r : rows) {
            BareBench.Result b = bare.get(key(r.model(), r.eta()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", r.model());
            row.put("eta", r.eta());
            if (r.input().equals("canvases")) {
                row.put("bare_images_per_s", round(b.best()));
                row.put("bare_pipeline_calls_images_per_s", round(b.pipelineCallsImagesPerS()));
                row.put("bare_classify_images_per_s", round(b.classifyImagesPerS()));
                row.put("bare_replicas_images_per_s", round(b.replicasImagesPerS()));
            }
            row.put("pipeline_images_per_s", round(r.imagesPerS()));
            List<PipelineBench.Row> all = runs.get(PipelineBench.label(r.model(), r.eta(), r.input()));
            row.put("pipeline_runs_images_per_s", all.stream().map(x -> round(x.imagesPerS())).toList());
            row.put(r.input().equals("canvases") ? "pipeline_over_bare" : "frames_over_canvases",
                    round(r.imagesPerS() / (r.input().equals("canvases") ? b.best()
                            : pipelineImagesPerS(r.model(), r.eta(), "canvases"))));
            row.put("early_exit_rate", round(r.exitRate()));
            row.put("accuracy", round(r.accuracy()));
            row.put("seconds", round(r.seconds()));
            row.put("mean_batch", r.meanBatch());
            row.put("cpu_ms_per_image", r.cpuMsPerImage());
            row.put("pace", r.pace().asMap());
            // over every run of the row, not only the fastest: a record lost or doubled anywhere shows
            row.put("duplicated", all.stream().mapToLong(PipelineBench.Row::duplicates).sum());
            row.put("lost", all.stream().mapToLong(PipelineBench.Row::missing).sum());
            row.put("dead_lettered", all.stream().mapToLong(PipelineBench.Row::deadLettered).sum());
            (r.input().equals("canvases") ? throughput : frames).add(row);
            breakdown.put(PipelineBench.label(r.model(), r.eta(), r.input()), r.breakdown());
        }
        m.put("throughput", throughput);
        List<Map<String, Object>> lat = new ArrayList<>();
        for (PipelineBench.LatencyPoint p : latency) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", "lfvit");
            row.put("eta", latencyEta);
            row.put("load", p.load());
            row.put("offered_images_per_s", round(p.offeredImagesPerS()));
            row.put("images", p.images());
            row.put("p50_ms", round(p.p50Ms()));
            row.put("p99_ms", round(p.p99Ms()));
            row.put("by_stage", p.byStage());
            row.put("mean_batch", p.meanBatch());
            row.put("cpu_ms_per_image", p.cpuMsPerImage());
            row.put("breakdown_ms_per_image", p.breakdown());
            lat.add(row);
        }
        m.put("latency", lat);
        m.put("frames", frames);
        m.put("breakdown_ms_per_image", breakdown);
        m.put("targets", targets().stream().map(t -> Map.of("target", t.what(), "value", round(t.value()),
                "bound", t.bound(), "met", t.met())).toList());
        return m;
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json());
    }

    /** bench-throughput.png (bare vs pipeline per row, frames too) and bench-latency.png (p50/p99 vs load). */
    List<Path> writePlots(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        for (PipelineBench.Row r : rows) {
            String column = PipelineBench.label(r.model(), r.eta(), "").replace(" ()", "");
            if (r.input().equals("canvases")) {
                bars.addValue(bareBest(r.model(), r.eta()), "bare model", column);
                bars.addValue(r.imagesPerS(), "pipeline, canvases", column);
            } else {
                bars.addValue(r.imagesPerS(), "pipeline, 1920x1080 JPEG frames", column);
            }
        }
        JFreeChart throughput = ChartFactory.createBarChart("Throughput, layout " + settings.layout() + " ("
                + settings.images() + " images)", null, "images/s", bars, PlotOrientation.VERTICAL, true, false, false);
        Path t = dir.resolve("bench-throughput.png");
        ChartUtils.saveChartAsPNG(t.toFile(), throughput, 900, 500);
        written.add(t);
        if (!latency.isEmpty()) {
            XYSeries p50 = new XYSeries("p50");
            XYSeries p99 = new XYSeries("p99");
            for (PipelineBench.LatencyPoint p : latency) {
                p50.add(100 * p.load(), p.p50Ms());
                p99.add(100 * p.load(), p.p99Ms());
            }
            XYSeriesCollection series = new XYSeriesCollection();
            series.addSeries(p50);
            series.addSeries(p99);
            JFreeChart chart = ChartFactory.createXYLineChart(String.format(Locale.ROOT,
                    "Capture to committed answer, LF-ViT eta %.2f, layout %s", latencyEta, settings.layout()),
                    "offered load (% of measured capacity)", "ms", series, PlotOrientation.VERTICAL, true, false, false);
            Path l = dir.resolve("bench-latency.png");
            ChartUtils.saveChartAsPNG(l.toFile(), chart, 900, 500);
            written.add(l);
        }
        return written;
    }

    /** Four decimals: ratios and rates in the JSON. */
    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10_000) / 10_000.0;
    }
}
