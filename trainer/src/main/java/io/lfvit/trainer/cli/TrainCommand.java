package io.lfvit.trainer.cli;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.data.Datasets;
import io.lfvit.trainer.train.TrainingOptions;
import io.lfvit.trainer.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lfvit train}: trains LF-ViT or a peer with the shared recipe; resumable. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train LF-ViT (or the ViT baseline, CF-ViT, EViT) with checkpoints; run again to resume.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the bundle was written", "2:invalid options", "3:stopped (SIGTERM) at a checkpoint: run again to resume",
            "4:--out already holds a finished bundle: nothing done (--force retrains)"})
public final class TrainCommand implements Callable<Integer> {
    static final int STOPPED = 3;
    static final int ALREADY_TRAINED = 4;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--out", description = "bundle directory (checkpoints in <out>/checkpoint). Default: runs/<family>")
    Path out;

    @Option(names = "--init", description = "start from the weights of this trained bundle (same backbone and classes, "
            + "any family: e.g. the ViT baseline into LF-ViT) instead of random ones")
    Path init;

    @Option(names = "--epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}")
    double epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-4", description = "peak learning rate. Default: ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--min-lr", defaultValue = "1e-5", description = "Default: ${DEFAULT-VALUE}")
    double minLr;

    @Option(names = "--warmup", defaultValue = "200", description = "warm-up steps. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "Default: ${DEFAULT-VALUE}")
    double weightDecay;

    @Option(names = "--clip", defaultValue = "1.0", description = "gradient-norm clip, 0 = off. Default: ${DEFAULT-VALUE}")
    double clip;

    @Option(names = "--smoothing", defaultValue = "0.1", description = "label smoothing. Default: ${DEFAULT-VALUE}")
    double smoothing;

    @Option(names = "--whole-image-fraction", defaultValue = "0.3",
            description = "share of steps whose focus stage sees the whole image (paper: 230/350). Default: ${DEFAULT-VALUE}")
    double wholeImageFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "50", description = "steps. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--validation-images", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}")
    int validationImages;

    @Option(names = "--threads", description = "torch intra-op threads (default: all cores)")
    Integer threads;

    @Option(names = "--force", description = "train again even if --out already holds a finished bundle")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path dir = out != null ? out : Path.of("runs", model.family.name().toLowerCase());
        if (!force && Files.exists(dir.resolve(ModelBundle.WEIGHTS)) && !TrainingRun.hasCheckpoint(dir)) {
            System.err.printf("%s already holds a trained bundle and no checkpoint to resume: nothing to do. "
                    + "Pass --force to train it again from scratch (the bundle is replaced at the end), or choose another --out.%n", dir);
            return ALREADY_TRAINED;
        }
        Datasets.Splits splits = data.load();
        int c = splits.train().channels();
        ModelConfig config = model.toConfig(splits.train().imageSize(), c, splits.train().classNames(),
                data.mean(c), data.std(c));
        TrainingOptions options = new TrainingOptions(epochs, batch, lr, minLr, warmup, weightDecay, clip, smoothing,
                wholeImageFraction, seed, checkpointEvery, validationImages);
        if (init != null) {
            options = options.initialisedFrom(ModelBundle.readConfig(init).version());
        }
        TrainingRun run = new TrainingRun(config, options, splits.train(), splits.validation(), dir, init, System.err);
        ModelConfig written = run.run();
        return written == null ? STOPPED : 0;
    }
}
