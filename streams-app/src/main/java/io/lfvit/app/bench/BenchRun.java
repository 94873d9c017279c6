package io.lfvit.app.bench;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.produce.Frame;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.infer.Devices;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lfvit bench}: the bare model and the pipeline on the same images, in one run, so that their
 * ratios compare (absolute speeds move between machines and runs). See {@link BareBench} and
 * {@link PipelineBench} for what each row times; {@link BenchReport} prints and writes the results.
 */
public final class BenchRun {
    /**
     * The broker counts as warm after a round in which its JIT threads used at most this share of its CPU
     * (a share, not zero: a long-running HotSpot JVM still compiles now and then; here the share fell from
     * 38% to ~20% over eight rounds and stayed there).
     */
    private static final double BROKER_JIT_SETTLED = 0.25;
    private static final int BROKER_WARM_UP_ROUNDS = 10;

    private final BenchSettings settings;
    private final PrintStream out;

    BenchRun(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** One model configuration of the throughput rows. */
    private record Model(String name, Path bundle, Double eta) {}

    BenchReport run() throws Exception {
        Files.createDirectories(settings.workDir());
        out.printf("lfvit bench: %d canvases, layout %s, work directory %s%n", settings.images(), settings.layout(),
                settings.workDir());
        BenchInputs inputs = BenchInputs.load(settings.dataDir(), settings.images());
        List<Model> models = new ArrayList<>();
        for (double eta : settings.etas()) {
            models.add(new Model("lfvit", settings.lfvit(), eta));
        }
        models.add(new Model("vit", settings.vit(), null));

        AppConfig appConfig = AppConfig.defaults().withAll(settings.settings());
        String device = appConfig.device();
        BareBench.Batches batchMax = new BareBench.Batches(appConfig.batchMax(),
                appConfig.focusBatchMax(Devices.resolve(device).isGpu()));
        BenchReport report = new BenchReport(settings);
        try (PipelineBench pipeline = new PipelineBench(settings, out)) {
            out.println("pipeline: " + (settings.split()
                    ? "broker, localizer and focus worker each in its own JVM"
                    : "localizer and focus worker in one JVM sharing its model replicas, the broker in another"));
            pipeline.startBroker();
            report.brokerWarmUp(warmUpBroker(pipeline, inputs.canvases()));
            out.println("rows: each the bare model, then the pipeline; bare: the model alone in this process (pipeline"
                    + " calls at batch " + batchMax.localize() + ", focus at " + batchMax.focus() + ", classify at batch "
                    + BareBench.CLASSIFY_BATCH + ", both one OpenMP team of all cores; pipeline calls on " + BareBench.REPLICAS
                    + " single-threaded replicas; best of " + settings.repeats() + ")");
            for (Model m : settings.latencyOnly() ? List.<Model>of() : models) {
                // measured next to its pipeline runs: this host's speed drifts by 15-35% within an hour, and a ratio
                // of two numbers taken minutes apart would carry that drift (docs/pipeline-efficiency.md)
                bare(report, m, inputs, device, batchMax);
                bestOf(report, m, () -> pipeline.throughput(m.name(), m.bundle(), m.eta(), "canvases", inputs.canvases()));
            }
            if (settings.latency()) {
                double capacity = settings.latencyOnly() ? settings.latencyCapacity()
                        : report.pipelineImagesPerS("lfvit", settings.latencyEta(), "canvases");
                if (Double.isNaN(capacity)) {
                    PipelineBench.Row row = pipeline.throughput("lfvit", settings.lfvit(), settings.latencyEta(), "canvases",
                            inputs.canvases());
                    report.pipeline(List.of(row));
                    capacity = row.imagesPerS();
                }
                out.printf(Locale.ROOT, "latency: LF-ViT eta %.2f at %s of %.1f img/s%n", settings.latencyEta(),
                        settings.loads(), capacity);
                report.latency(settings.latencyEta(),
                        pipeline.latency(settings.lfvit(), settings.latencyEta(), capacity, inputs.canvases()));
            }
            if (settings.frames() && !settings.latencyOnly()) {
                List<Frame> frames = inputs.jpegFrames(out);
                for (Model m : models) {
                    bestOf(report, m, () -> pipeline.throughput(m.name(), m.bundle(), m.eta(), "frames", frames));
                }
            }
        }
        return report;
    }

    /**
     * A deployed broker is long-running and JIT-compiled; a fresh one is not ({@link PipelineBench#warmUpBroker}
     * has the numbers). Rounds through both stages until its compiler has mostly settled; not counted.
     */
    private List<PipelineBench.WarmUpRound> warmUpBroker(PipelineBench pipeline, List<Frame> canvases) throws Exception {
        List<PipelineBench.WarmUpRound> rounds = pipeline.warmUpBroker(settings.lfvit(), settings.etas(), canvases,
                BROKER_JIT_SETTLED, BROKER_WARM_UP_ROUNDS);
        out.printf(Locale.ROOT, "  broker warm-up: %d rounds at eta %s in turn (not counted); %s%n", rounds.size(),
                settings.etas(), PipelineBench.isSettled(rounds.get(rounds.size() - 1), BROKER_JIT_SETTLED)
                        ? "its JIT has settled"
                        : "its JIT had NOT settled after the last round: the first rows may pay for it");
        return rounds;
    }

    /** The bare model for {@code m}'s row, best of {@code repeats}, into {@code report}. */
    private void bare(BenchReport report, Model m, BenchInputs inputs, String device, BareBench.Batches batchMax)
            throws Exception {
        ModelConfig config = ModelBundle.readConfig(m.bundle());
        BareBench.Result bare = BareBench.measure(m.bundle(), device, inputs.modelInputs(config), m.eta(), batchMax,
                settings.repeats());
        out.printf(Locale.ROOT, "  %-22s bare: pipeline calls %7.1f img/s, classify %7.1f img/s, replicas %7.1f img/s,"
                + " exit rate %.1f%%%n", PipelineBench.label(m.name(), m.eta(), "canvases"), bare.pipelineCallsImagesPerS(),
                bare.classifyImagesPerS(), bare.replicasImagesPerS(), 100 * bare.exitRate());
        report.bare(m.name(), m.eta(), bare);
    }

    /**
     * A pipeline row run {@code repeats} times, each on fresh topics with the apps started afresh; the fastest
     * counts, as the best of the bare model's timed repeats does (both sides share this machine with the
     * same disturbances). Every run is printed and in the JSON, and a record lost or answered twice in any
     * run is reported.
     */
    private void bestOf(BenchReport report, Model m, java.util.concurrent.Callable<PipelineBench.Row> run) throws Exception {
        List<PipelineBench.Row> runs = new ArrayList<>();
        for (int r = 0; r < settings.repeats(); r++) {
            PipelineBench.Row row = run.call();
            runs.add(row);
            printRow(row, report.bareBest(m.name(), m.eta()));
        }
        report.pipeline(runs);
    }

    private void printRow(PipelineBench.Row row, double bare) {
        out.printf(Locale.ROOT, "  %-30s %7.1f img/s (%.0f%% of bare %.1f), exit rate %.1f%%, accuracy %.2f%%, batches %s"
                        + "%s%n", PipelineBench.label(row.model(), row.eta(), row.input()), row.imagesPerS(),
                100 * row.imagesPerS() / bare, bare, 100 * row.exitRate(), 100 * row.accuracy(), row.meanBatch(),
                row.duplicates() + row.missing() > 0 ? ", " + row.duplicates() + " DUPLICATES, " + row.missing() + " MISSING" : "");
        out.printf(Locale.ROOT, "    ms per image: %s%n", row.breakdown());
        out.printf(Locale.ROOT, "    CPU ms per image by process, RUNNING to last answer (the broker also serves the bench): %s%n",
                row.cpuMsPerImage());
        Pace pace = row.pace();
        out.printf(Locale.ROOT, "    pace: %.1f img/s in the row's middle (10-90%% of answers); first answer %.0f ms after the first"
                + " input; the last answer read %.0f ms after its batch started%n",
                pace.middleImagesPerS(), pace.firstAnswerMs(), pace.lastAnswerReadMs());
    }

    /** Runs the bench, prints the summary, writes the JSON and the plots; exit code 0 (the numbers are the result). */
    public static int run(int images, String layout, Path lfvit, Path vit, List<Double> etas, double latencyEta,
            List<Double> loads, double latencySeconds, Double latencyCapacity, boolean frames, boolean latency,
            int partitions, int sources, int repeats, Map<String, String> settings, Path dataDir, Path workDir, List<String> jvmOptions, Path json, Path plots,
            PrintStream out)
            throws Exception {
        BenchSettings s = new BenchSettings(images, layout, lfvit, vit, List.copyOf(etas), latencyEta, List.copyOf(loads),
                latencySeconds, latencyCapacity, frames, latency, partitions, sources, repeats, Map.copyOf(settings), dataDir,
                workDir, List.copyOf(jvmOptions));
        BenchReport report = new BenchRun(s, out).run();
        report.print(out);
        if (json != null) {
            report.writeJson(json);
            out.println("lfvit bench: results written to " + json);
        }
        if (plots != null) {
            out.println("lfvit bench: plots " + report.writePlots(plots));
        }
        out.println("lfvit bench: logs of every process in " + workDir);
        return 0;
    }
}
