package io.lfvit.app.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code lfvit bench} runs.
 *
 * @param images         test canvases (the same ones for every row)
 * @param layout         {@code split}: broker, localizer and focus worker each in its own JVM, as deployed;
 *                       {@code single}: the localizer and the focus worker in one JVM sharing its model replicas
 *                       (the apps' layout in {@code lfvit demo}), the broker in another
 * @param lfvit          the LF-ViT bundle
 * @param vit            the plain ViT bundle (the baseline)
 * @param etas           LF-ViT's eta per throughput row
 * @param latencyEta     LF-ViT's eta for the latency rows
 * @param loads          offered loads for the latency rows, as shares of the measured pipeline capacity
 * @param latencySeconds how long each load is offered
 * @param latencyCapacity null: the latency rows' loads are shares of the measured capacity; else of this one
 *                       (img/s), and only the latency rows run
 * @param frames         also run the throughput rows with 1920 x 1080 JPEG frames
 * @param latency        run the latency rows
 * @param partitions     partitions of the bench's topics
 * @param sources        sources (keys) the images are spread over
 * @param repeats        timed runs of each bare measurement and each pipeline row (the best counts)
 * @param settings       app settings for every process (-D), e.g. batch.max
 * @param dataDir        Fashion-MNIST
 * @param workDir        broker logs, app state and logs of this run
 * @param jvmOptions     JVM options of the broker and app processes
 */
record BenchSettings(int images, String layout, Path lfvit, Path vit, List<Double> etas, double latencyEta,
        List<Double> loads, double latencySeconds, Double latencyCapacity, boolean frames, boolean latency, int partitions, int sources,
        int repeats, Map<String, String> settings, Path dataDir, Path workDir, List<String> jvmOptions) {

    /** Only the latency rows, at a given capacity. */
    boolean latencyOnly() {
        return latencyCapacity != null;
    }

    boolean split() {
        return layout.equals("split");
    }
}
