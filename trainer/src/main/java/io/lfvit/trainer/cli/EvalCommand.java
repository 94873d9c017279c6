package io.lfvit.trainer.cli;

import ai.djl.Device;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.cost.MacCounter;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.TwoStageClassifier;
import io.lfvit.model.select.RegionGeometry;
import io.lfvit.model.select.RegionPolicy;
import io.lfvit.data.ImageDataset;
import io.lfvit.data.Sample;
import io.lfvit.trainer.eval.EvalReport;
import io.lfvit.trainer.eval.LineChart;
import io.lfvit.trainer.eval.PeerTable;
import io.lfvit.trainer.eval.RegionGallery;
import io.lfvit.trainer.eval.StageOutputs;
import io.lfvit.trainer.eval.Throughput;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lfvit eval}: the eta sweep of a two-stage model against its baseline, in one run: accuracy,
 * early-exit rate, GMACs per image and measured images/s, plus the paper's plots. With {@code --peer}
 * the peers (EViT, CF-ViT, LF-ViT+EViT) are measured in the same run: the paper's Table 3 analogue.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Sweep eta: accuracy, exit rate, GMACs and measured images/s, with the baseline and any --peer "
                + "(EViT, CF-ViT, LF-ViT+EViT) in the same run.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "bundle directory of the two-stage model to evaluate (LF-ViT, CF-ViT)")
    Path model;

    @Option(names = "--baseline", description = "bundle directory of the baseline (plain ViT)")
    Path baseline;

    @Option(names = "--peer", description = "bundle directory of a peer to measure in the same run (EViT, CF-ViT, "
            + "LF-ViT+EViT, ...); repeatable. Two-stage peers are swept over --peer-etas")
    List<Path> peers = new ArrayList<>();

    @Option(names = "--peer-etas", split = ",", description = "eta values of two-stage peers (default: --etas)")
    List<Double> peerEtas;

    @Option(names = "--limit", description = "score only the first N test images (default: all)")
    Integer limit;

    @Option(names = "--json", description = "write the report as JSON here")
    Path json;

    @Option(names = "--etas", split = ",", defaultValue = "0.5,0.6,0.7,0.8,0.85,0.9,0.95,0.98,0.99,1.0",
            description = "eta values. Default: ${DEFAULT-VALUE}")
    List<Double> etas;

    @Option(names = "--timing-images", defaultValue = "1024", description = "images per throughput measurement. Default: ${DEFAULT-VALUE}")
    int timingImages;

    @Option(names = "--timing-repeats", defaultValue = "5",
            description = "timed passes over the timing images per measurement; the best counts (other processes only ever slow a pass down). Default: ${DEFAULT-VALUE}")
    int timingRepeats;

    @Option(names = "--batch", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--ablations", description = "also score the paper's Table 6 region variants (negative NGCA, max/min GCA, random) and "
            + "its Fig. 5 removals (whole image, fusion off, non-region tokens dropped), with their GMACs and ablations.png")
    boolean ablations;

    @Option(names = "--plots", description = "directory for the PNG plots (default: the model directory)")
    Path plots;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu. Default: ${DEFAULT-VALUE}")
    String device;

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        ModelConfig evaluated = ModelBundle.readConfig(model);
        if (!evaluated.family().isTwoStage()) {
            // The eta sweep, its exit rates and the stage costs only exist for a two-stage model.
            log.printf("%s is a single-stage %s: the eta sweep needs a two-stage model (LF-ViT, CF-ViT). "
                    + "Measure it as --baseline or --peer of one.%n", model, evaluated.family());
            return 2;
        }
        ImageDataset test = data.load().test();
        int n = limit == null ? test.size() : Math.min(limit, test.size());
        Device dev = io.lfvit.model.infer.Devices.resolve(device);
        log.printf("device: %s%n", dev);
        Throughput timer = new Throughput(timingBatches(test), 2, timingRepeats);
        EvalReport.Baseline base = null;
        if (baseline != null) {
            try (ImageClassifier b = ImageClassifier.load(baseline, dev)) {
                StageOutputs out = StageOutputs.collect(b, test, n, batch, log);
                base = new EvalReport.Baseline(b.config().version(), out.focusAccuracy(),
                        new MacCounter(b.config()).plainVit() / 1e9, timer.imagesPerSecond(b, 1.01));
            }
        }
        List<EvalReport.Peer> peerRows = new ArrayList<>();
        Set<String> peerNames = new HashSet<>();
        for (Path dir : peers) {
            try (ImageClassifier p = ImageClassifier.load(dir, dev)) {
                String name = PeerTable.unique(PeerTable.name(p.config()), String.valueOf(dir.getFileName()), peerNames);
                peerRows.add(PeerTable.measure(p, name, test, n, batch, peerEtas != null ? peerEtas : etas, timer, log));
            }
        }
        try (ImageClassifier m = ImageClassifier.load(model, dev)) {
            ModelConfig config = m.config();
            MacCounter macs = new MacCounter(config);
            StageOutputs out = StageOutputs.collect(m, test, n, batch, log);
            List<EvalReport.Point> points = new ArrayList<>();
            for (double eta : etas) {
                double exit = out.exitRate(eta);
                points.add(new EvalReport.Point(eta, out.accuracy(eta), exit,
                        macs.expectedTwoStage(exit) / 1e9, timer.imagesPerSecond(m, eta)));
            }
            Map<String, Object> stages = new LinkedHashMap<>();
            stages.put("localization_accuracy", out.localizationAccuracy());
            stages.put("focus_accuracy", out.focusAccuracy());
            stages.put("localization_gmacs", macs.localization() / 1e9);
            stages.put("focus_gmacs", macs.focus() / 1e9);
            stages.put("focus_tokens", 1 + 3 * macs.splitCells() + config.locGrid() * config.locGrid());
            List<EvalReport.Ablation> ablationRows = ablations && m instanceof TwoStageClassifier two
                    ? ablate(two, test, n, log) : List.of();
            EvalReport report = new EvalReport(n, config.version(), base, points, stages, ablationRows, peerRows);
            print(report, log);
            if (!peerRows.isEmpty()) {
                PeerTable.print(report, PeerTable.name(config), log);
            }
            if (json != null) {
                ModelBundle.JSON.writeValue(json.toFile(), report);
                log.printf("report: %s%n", json);
            }
            Path plotDir = plots != null ? plots : model;
            Files.createDirectories(plotDir);
            writePlot(report, plotDir.resolve("accuracy-vs-gmacs.png"));
            writeGallery(m, out, test, plotDir.resolve("regions.png"));
            log.printf("plots: %s, %s%n", plotDir.resolve("accuracy-vs-gmacs.png"), plotDir.resolve("regions.png"));
            if (!ablationRows.isEmpty()) {
                writeAblationPlot(report, plotDir.resolve("ablations.png"));
                log.printf("ablations: %s%n", plotDir.resolve("ablations.png"));
            }
        }
        return 0;
    }

    private List<List<byte[]>> timingBatches(ImageDataset test) {
        List<List<byte[]>> batches = new ArrayList<>();
        int count = Math.min(timingImages, test.size());
        for (int from = 0; from < count; from += batch) {
            List<byte[]> images = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + batch); i++) {
                images.add(test.get(i, 0, false).pixels());
            }
            batches.add(images);
        }
        return batches;
    }

    /**
     * The paper's Table 6 region variants and Fig. 5 removals, each scored on the same images; their
     * GMACs follow from the focus tokens each variant runs on and the exit rate at the config's eta.
     */
    private List<EvalReport.Ablation> ablate(TwoStageClassifier m, ImageDataset test, int n, PrintStream log) {
        ModelConfig c = m.config();
        MacCounter macs = new MacCounter(c);
        RegionGeometry geometry = new RegionGeometry(c.locGrid(), c.m(), c.alpha());
        int k = geometry.k();
        Map<String, RegionPolicy> policies = new LinkedHashMap<>();
        policies.put("ngca", RegionPolicy.ngca(geometry));
        policies.put("negative-ngca", RegionPolicy.negativeNgca(geometry));
        policies.put("max-gca", RegionPolicy.maxGca(geometry));
        policies.put("min-gca", RegionPolicy.minGca(geometry));
        policies.put("random", RegionPolicy.randomWindow(geometry));
        List<EvalReport.Ablation> rows = new ArrayList<>();
        for (Map.Entry<String, RegionPolicy> e : policies.entrySet()) {
            m.setRegionPolicy(e.getValue());
            rows.add(ablation(e.getKey(), StageOutputs.collect(m, test, n, batch, log), c.eta(), macs, macs.focus(k)));
        }
        // Fig. 5 "without region identification": every cell split, the whole image at full resolution.
        int all = c.locGrid() * c.locGrid();
        m.setRegionPolicy(RegionPolicy.wholeImage(c.locGrid()));
        rows.add(ablation("whole-image", StageOutputs.collect(m, test, n, batch, log), c.eta(), macs, macs.focus(all)));
        m.setRegionPolicy(policies.get("ngca"));
        if (c.fusion()) {
            m.setFusion(false);
            rows.add(ablation("ngca, no fusion at inference", StageOutputs.collect(m, test, n, batch, log), c.eta(),
                    macs, macs.focus(k) - macs.reuse(k)));
            m.setFusion(true);
        }
        m.setNonRegionTokens(false);
        rows.add(ablation("ngca, non-region tokens dropped", StageOutputs.collect(m, test, n, batch, log), c.eta(),
                macs, macs.focus(k, false)));
        m.setNonRegionTokens(true);
        return rows;
    }

    private static EvalReport.Ablation ablation(String name, StageOutputs out, double eta, MacCounter macs,
            long focusMacs) {
        double gmacs = (macs.localization() + (1 - out.exitRate(eta)) * focusMacs) / 1e9;
        return new EvalReport.Ablation(name, eta, out.localizationAccuracy(), out.focusAccuracy(), out.accuracy(eta),
                focusMacs / 1e9, gmacs);
    }

    private static void print(EvalReport r, PrintStream log) {
        log.printf("%n%d test images, model %s%n", r.images(), r.model());
        log.printf("%s%n", r.stages());
        if (r.baseline() != null) {
            log.printf("baseline %s: accuracy %.2f%%  %.3f GMACs  %.1f img/s%n", r.baseline().model(),
                    100 * r.baseline().accuracy(), r.baseline().gmacs(), r.baseline().imagesPerS());
        }
        log.printf("%6s %9s %9s %8s %9s%s%n", "eta", "accuracy", "exit", "GMACs", "img/s",
                r.baseline() != null ? "   MACs vs base   speed-up   acc delta" : "");
        for (EvalReport.Point p : r.points()) {
            String vs = r.baseline() == null ? "" : String.format("   %+12.1f%%   %7.2fx   %+8.2f",
                    100 * (p.gmacs() / r.baseline().gmacs() - 1), p.imagesPerS() / r.baseline().imagesPerS(),
                    100 * (p.accuracy() - r.baseline().accuracy()));
            log.printf("%6.2f %8.2f%% %8.1f%% %8.4f %9.1f%s%n", p.eta(), 100 * p.accuracy(), 100 * p.exitRate(),
                    p.gmacs(), p.imagesPerS(), vs);
        }
        for (EvalReport.Ablation a : r.ablations()) {
            log.printf("ablation %-32s localization %.2f%%  focus %.2f%% (%.3f GMACs)  at eta %.2f: %.2f%% (%.3f GMACs)%n",
                    a.variant(), 100 * a.localizationAccuracy(), 100 * a.focusAccuracy(), a.focusGmacs(), a.eta(),
                    100 * a.accuracy(), a.gmacs());
        }
    }

    private static void writePlot(EvalReport r, Path file) throws java.io.IOException {
        int k = r.points().size();
        double[] x = new double[k];
        double[] y = new double[k];
        String[] labels = new String[k];
        for (int i = 0; i < k; i++) {
            x[i] = r.points().get(i).gmacs();
            y[i] = 100 * r.points().get(i).accuracy();
            labels[i] = String.format("η=%.2f", r.points().get(i).eta());
        }
        LineChart chart = new LineChart("Accuracy vs GMACs per image (" + r.images() + " test images)",
                "GMACs per image", "top-1 accuracy (%)")
                .add(new LineChart.Series("LF-ViT (eta sweep)", x, y, labels, true));
        if (r.baseline() != null) {
            chart.add(new LineChart.Series("ViT baseline", new double[] {r.baseline().gmacs()},
                    new double[] {100 * r.baseline().accuracy()}, null, false));
        }
        PeerTable.series(r.peers()).forEach(chart::add);
        chart.write(file);
    }

    /** Each variant at the config's eta against the model's eta sweep (the paper's Fig. 5 as a scatter). */
    private static void writeAblationPlot(EvalReport r, Path file) throws java.io.IOException {
        List<EvalReport.Ablation> rows = r.ablations();
        double[] x = rows.stream().mapToDouble(EvalReport.Ablation::gmacs).toArray();
        double[] y = rows.stream().mapToDouble(a -> 100 * a.accuracy()).toArray();
        String[] labels = rows.stream().map(EvalReport.Ablation::variant).toArray(String[]::new);
        LineChart chart = new LineChart(String.format("Ablations at eta %.2f (%d test images)", rows.get(0).eta(),
                r.images()), "GMACs per image", "top-1 accuracy (%)")
                .add(new LineChart.Series("variant", x, y, labels, false))
                .add(new LineChart.Series("as shipped, eta sweep", r.points().stream().mapToDouble(EvalReport.Point::gmacs)
                        .toArray(), r.points().stream().mapToDouble(p -> 100 * p.accuracy()).toArray(), null, true));
        chart.write(file);
    }

    private static void writeGallery(ImageClassifier m, StageOutputs out, ImageDataset test, Path file)
            throws java.io.IOException {
        ModelConfig c = m.config();
        List<RegionGallery.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < out.size() && tiles.size() < 24; i++) {
            if (out.locConfidence()[i] >= c.eta()) {
                continue;
            }
            Sample s = test.get(i, 0, false);
            List<String> names = c.classNames();
            String loc = String.format("loc: %s %.0f%%", names.get(out.locPredicted()[i]), 100 * out.locConfidence()[i]);
            boolean ok = out.finalPredicted()[i] == out.labels()[i];
            String focus = "focus: " + names.get(out.finalPredicted()[i]) + (ok ? "" : " (is " + names.get(out.labels()[i]) + ")");
            tiles.add(new RegionGallery.Tile(s.pixels(), out.regions()[i], loc, focus, ok));
        }
        RegionGallery.write(file, c, tiles, 6);
    }
}
