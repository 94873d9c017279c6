package io.lfvit.app.cli;

import io.lfvit.app.bench.BenchRun;
import io.lfvit.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures, in one run on the same test canvases, the bare model (the pipeline's calls and in-process"
                + " classify) and the pipeline through a real broker (topic filled first; first record consumed to last"
                + " answer committed) for LF-ViT at each --etas and the ViT; latency at offered loads; the same rows with"
                + " 1920 x 1080 JPEG frames; where an image's time goes. Needs a quiet machine.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--images", paramLabel = "N", defaultValue = "2000",
            description = "Test canvases per row; short runs are dominated by the apps' first seconds. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--layout", paramLabel = "split|single", defaultValue = "split",
            description = "split: broker, localizer and focus worker each in its own JVM (as deployed); single: localizer and"
                    + " focus worker in one JVM sharing its model replicas (as ./lfvit demo). Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--json", paramLabel = "FILE", description = "Writes the results as JSON.")
    Path json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Writes bench-throughput.png and bench-latency.png here.")
    Path plots;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/lfvit", description = "LF-ViT bundle. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--baseline", paramLabel = "DIR", defaultValue = "models/vit-e6", description = "ViT bundle. Default: ${DEFAULT-VALUE}.")
    Path baseline;

    @Option(names = "--etas", split = ",", paramLabel = "X", defaultValue = "0.46,0.8", description = "LF-ViT's eta per row. Default: ${DEFAULT-VALUE}.")
    List<Double> etas;

    @Option(names = "--latency-eta", paramLabel = "X", defaultValue = "0.8", description = "eta of the latency rows. Default: ${DEFAULT-VALUE}.")
    double latencyEta;

    @Option(names = "--loads", split = ",", paramLabel = "SHARE", defaultValue = "0.25,0.5,0.75",
            description = "Offered loads of the latency rows, as shares of the measured capacity. Default: ${DEFAULT-VALUE}.")
    List<Double> loads;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "15", description = "Seconds per load. Default: ${DEFAULT-VALUE}.")
    double latencySeconds;

    @Option(names = "--latency-capacity", paramLabel = "IMG_PER_S",
            description = "Only the latency rows, at the --loads of this capacity (from an earlier run) instead of the"
                    + " measured one: no throughput or frame rows.")
    Double latencyCapacity;

    @Option(names = "--no-frames", description = "Skip the 1920 x 1080 JPEG frame rows.")
    boolean noFrames;

    @Option(names = "--no-latency", description = "Skip the latency rows.")
    boolean noLatency;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4", description = "Partitions of the bench's topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--sources", paramLabel = "N", defaultValue = "4", description = "Sources the images are spread over. Default: ${DEFAULT-VALUE}.")
    int sources;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "2",
            description = "Timed runs of each bare and each pipeline row (the best counts; every pipeline run is in the"
                    + " JSON). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Each process's log and each run's answer timeline (the broker's data and the apps' state, 1-3 GB, are deleted at the end). Default: a new temporary directory, kept.")
    Path workDir;

    @Option(names = "--jvm-options", paramLabel = "OPTIONS", defaultValue = "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 -XX:ReservedCodeCacheSize=128m -XX:+AlwaysPreTouch",
            description = "JVM options of the app processes, space-separated; the default is what ./lfvit gives the"
                    + " serving commands (the broker runs with the JVM's defaults, as a broker does). Default: ${DEFAULT-VALUE}.")
    String jvmOptions;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "An app setting for every process (e.g. batch.max=16).")
    Map<String, String> settings = new TreeMap<>();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files. Default: ${DEFAULT-VALUE}.")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Override
    public Integer call() throws Exception {
        if (!layout.equals("split") && !layout.equals("single")) {
            throw new IllegalArgumentException("--layout must be split or single, got " + layout);
        }
        if (images < 64 || images > 10_000) {
            throw new IllegalArgumentException("--images must lie in 64..10000");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("lfvit-bench-");
        return BenchRun.run(images, layout, model, baseline, etas, latencyEta, loads, latencySeconds, latencyCapacity,
                !noFrames, !noLatency, partitions, sources, repeats, settings, dataDir, work,
                jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+")), json, plots, System.out);
    }
}
