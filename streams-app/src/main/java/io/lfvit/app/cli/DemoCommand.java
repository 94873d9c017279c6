package io.lfvit.app.cli;

import io.lfvit.app.demo.DemoRun;
import io.lfvit.app.stack.LocalStack;
import io.lfvit.app.video.VideoDemoRun;
import io.lfvit.data.FashionMnist;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Everything in one process: a single-node KRaft broker, the embedded schema registry, a localizer and a focus worker; streams the cluttered Fashion-MNIST test canvases through them with the shipped model, with live progress and a reconciled summary (produced = classified + dead-lettered).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--images", paramLabel = "N", defaultValue = "2000", description = "Canvases to stream (max 10000). Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--eta", paramLabel = "X", description = "eta at the start (published on the control topic); default: the model's.")
    Double eta;

    @Option(names = "--eta-change-at", paramLabel = "K:X", description = "Once K images are answered, publish eta X on the control topic (mid-stream); the summary shows the answers per eta.")
    String etaChangeAt;

    @Option(names = "--json", paramLabel = "FILE", description = "Writes the summary as JSON.")
    Path json;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/lfvit", description = "Model bundle. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--window", paramLabel = "M", defaultValue = "0", description = "LF-ViT's NGCA window side for the localizer; 0 = the bundle's. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--untrained", description = "Use a tiny untrained LF-ViT (chance accuracy) instead of a bundle: tries the pipeline without trained weights.")
    boolean untrained;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--rate", paramLabel = "IMG/S", defaultValue = "0", description = "Producer rate; 0 = as fast as possible.")
    double rate;

    @Option(names = "--sources", paramLabel = "N", defaultValue = "4", description = "Sources (cameras) the canvases are spread over.")
    int sources;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Partitions per topic.")
    int partitions;

    @Option(names = "--batch-max", paramLabel = "N", defaultValue = "32")
    int batchMax;

    @Option(names = "--linger-ms", paramLabel = "MS", defaultValue = "20")
    long lingerMs;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "600", description = "Give up after S seconds.")
    long timeout;

    @Option(names = "--video", paramLabel = "FILE|synthetic", description = "Stream a video instead of canvases: a file "
            + "(MP4/H.264) or 'synthetic' (made on the fly from the test canvases, items moving); sent live, tagged per window "
            + "by the tagger (docs/video.md).")
    String video;

    @Option(names = "--video-seconds", paramLabel = "S", defaultValue = "30", description = "Length of the synthetic video. Default: ${DEFAULT-VALUE}.")
    int videoSeconds;

    @Option(names = "--video-fps", paramLabel = "N", defaultValue = "10", description = "Frame rate of the synthetic video. Default: ${DEFAULT-VALUE}.")
    int videoFps;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "0", description = "With --video: frames per second of video time to send; 0 = every frame.")
    double fps;

    @Option(names = "--source", paramLabel = "ID", defaultValue = "video-1", description = "With --video: its source id. Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--tag-window-ms", paramLabel = "MS", defaultValue = "1000", description = "With --video: the tagger's window. Default: ${DEFAULT-VALUE}.")
    long tagWindowMs;

    @Option(names = "--tag-grace-ms", paramLabel = "MS", defaultValue = "2000", description = "With --video: the tagger's grace. Default: ${DEFAULT-VALUE}.")
    long tagGraceMs;

    @Option(names = "--controller", paramLabel = "P99_MS", description = "With --video: run the eta controller with this target p99 (ms) of focus answers.")
    Double controller;

    @Option(names = "--plot", paramLabel = "FILE", description = "With --video and --controller: a PNG of eta and focus latency over time.")
    Path plot;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files. Default: ${DEFAULT-VALUE}.")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Override
    public Integer call() throws Exception {
        Integer changeAt = null;
        Double changeTo = null;
        if (etaChangeAt != null) {
            String[] parts = etaChangeAt.split(":");
            if (parts.length != 2) {
                System.err.println("--eta-change-at wants K:X, e.g. 1000:0.6");
                return 2;
            }
            changeAt = Integer.parseInt(parts[0].trim());
            changeTo = Double.parseDouble(parts[1].trim());
        }
        String missing = untrained ? null : LocalStack.missingModel("demo", model);
        if (missing != null) {
            System.err.println(missing);
            return 2;
        }
        if (video != null) {
            Map<String, Object> s = new VideoDemoRun(new VideoDemoRun.Options(video, videoSeconds, videoFps, fps, source, controller, json,
                    plot, model, untrained, device, dataDir, partitions, batchMax, lingerMs, timeout, tagWindowMs, tagGraceMs),
                    System.out).run();
            return Boolean.TRUE.equals(s.get("reconciled")) ? 0 : 1;
        }
        DemoRun.Summary s = new DemoRun(new DemoRun.Options(Math.min(images, 10_000), eta, changeAt, changeTo, json, model,
                untrained, device, dataDir, rate, sources, partitions, batchMax, lingerMs, timeout, window), System.out).run();
        return s.reconciled() ? 0 : 1;
    }
}
