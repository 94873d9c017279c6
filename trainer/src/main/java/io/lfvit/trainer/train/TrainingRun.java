package io.lfvit.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.bundle.WeightTransfer;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.Torch;
import io.lfvit.model.select.RegionGeometry;
import io.lfvit.model.select.RegionPolicy;
import io.lfvit.trainer.data.Batches;
import io.lfvit.data.ImageDataset;
import io.lfvit.data.Sample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains one model with a {@link TrainingOptions} recipe, checkpointing to {@code out/checkpoint}
 * and resuming from it, and writes the bundle to {@code out} at the end. A stop request (SIGTERM,
 * Ctrl-C) saves a checkpoint before the process exits.
 */
public final class TrainingRun {
    private final ModelConfig config;
    private final TrainingOptions options;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final Path out;
    private final Path init;
    private final PrintStream log;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch loopDone = new CountDownLatch(1);

    public TrainingRun(ModelConfig config, TrainingOptions options, ImageDataset train, ImageDataset validation,
            Path out, PrintStream log) {
        this(config, options, train, validation, out, null, log);
    }

    /**
     * A run whose weights start from the bundle in {@code init} (null: random), whose version
     * {@code options.init()} names; a resumed run takes its weights from the checkpoint instead.
     */
    public TrainingRun(ModelConfig config, TrainingOptions options, ImageDataset train, ImageDataset validation,
            Path out, Path init, PrintStream log) {
        if ((init == null) != (options.init() == null)) {
            throw new IllegalArgumentException("the recipe's init (" + options.init() + ") and the bundle to start from ("
                    + init + ") must be given together");
        }
        this.config = config;
        this.options = options;
        this.train = train;
        this.validation = validation;
        this.out = out;
        this.init = init;
        this.log = log;
    }

    /** Asks a running {@link #run} to checkpoint and return early. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** True when {@code out} holds a checkpoint this class can resume from (an interrupted swap is repaired first). */
    public static boolean hasCheckpoint(Path out) throws IOException {
        return Checkpoint.exists(out);
    }

    /** @return the written bundle's config, or null when stopped before the end */
    public ModelConfig run() throws IOException {
        Torch.disableGradients();
        Engine.getInstance().setRandomSeed((int) options.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock network = Networks.create(config);
            network.initialize(manager);
            Checkpoint.State state = fresh();
            if (Checkpoint.exists(out)) {
                // Loading replaces the parameter arrays: weights first, then the optimizer built on them.
                state = Checkpoint.readState(out);
                checkSameRecipe(state);
                Checkpoint.loadWeights(out, network, manager);
                log.printf("resuming %s from step %d of %d%n", out, state.step(), state.totalSteps());
            } else if (init != null) {
                startFrom(network, manager);
            }
            AdamW optimizer = new AdamW(network, manager, (float) options.weightDecay(), (float) options.clipNorm());
            if (state.step() > 0) {
                Checkpoint.loadOptimizer(out, optimizer);
            }
            return loop(network, optimizer, state, manager);
        }
    }

    private void startFrom(ModuleBlock network, NDManager manager) throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            ModelBundle.Loaded source = ModelBundle.load(init, scratch);
            if (!source.config().version().equals(options.init())) {
                throw new IOException(init + " holds " + source.config().version() + ", the recipe names "
                        + options.init());
            }
            WeightTransfer.Report report = WeightTransfer.copy(source, network, config);
            log.printf("starting from %s (%s): %s%n", init, options.init(), report.summary());
        }
    }

    private void checkSameRecipe(Checkpoint.State state) throws IOException {
        if (!state.config().withVersion("").equals(config.withVersion("")) || !state.options().equals(options)
                || !train.description().equals(state.data())) {
            throw new IOException("the checkpoint in " + out + " was made with another config, recipe or dataset; "
                    + "use the same options to resume, or another --out to start afresh");
        }
    }

    private void awaitLoop() {
        try {
            if (!loopDone.await(5, TimeUnit.MINUTES)) {
                log.println("training did not reach a checkpoint within 5 minutes of the stop request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Checkpoint.State fresh() {
        long stepsPerEpoch = train.size() / options.batchSize();
        long total = Math.max(1, Math.round(options.epochs() * stepsPerEpoch));
        return new Checkpoint.State(0, total, 0, config, options, train.description(), new ArrayList<>(), new ArrayList<>());
    }

    private ModelConfig loop(ModuleBlock network, AdamW optimizer, Checkpoint.State start, NDManager manager)
            throws IOException {
        Objective objective = Objective.of(network, (float) options.labelSmoothing(), start.totalSteps());
        LearningRate schedule = new LearningRate(options.learningRate(), options.minLearningRate(),
                options.warmupSteps(), start.totalSteps());
        long stepsPerEpoch = train.size() / options.batchSize();
        long wholeImageSteps = Math.round(options.wholeImageFraction() * start.totalSteps());
        RegionPolicy wholeImage = RegionPolicy.wholeImage(config.locGrid());
        RegionPolicy regions = regionPolicy(config);
        EpochOrder epochOrder = new EpochOrder(train.size(), options.seed());
        List<double[]> history = start.history();
        List<Map<String, Object>> validations = start.validations();
        double seconds = start.seconds();
        RunningMean loss = new RunningMean(0.98);
        RunningMean accuracy = new RunningMean(0.98);
        Progress progress = new Progress(log, config.family().name().toLowerCase(), start.totalSteps(), start.step());
        // On SIGTERM/Ctrl-C the JVM runs this hook and then halts: it waits for the loop to checkpoint.
        Thread hook = new Thread(() -> {
            requestStop();
            awaitLoop();
        }, "training-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (long step = start.step(); step < start.totalSteps(); step++) {
                long t0 = System.nanoTime();
                int epoch = (int) (step / stepsPerEpoch);
                int[] order = epochOrder.of(epoch);
                int offset = (int) (step % stepsPerEpoch) * options.batchSize();
                RegionPolicy policy = step < wholeImageSteps ? wholeImage : regions;
                objective.startStep(step);
                double[] result = step(objective, optimizer, manager, order, offset, epoch, policy,
                        (float) schedule.at(step), step);
                seconds += (System.nanoTime() - t0) / 1e9;
                loss.add(result[0]);
                accuracy.add(result[1]);
                history.add(new double[] {step + 1, result[0], result[1], seconds});
                progress.update(step + 1, String.format("%sloss %.3f acc %.1f%% lr %.1e%s",
                        phase(step < wholeImageSteps), loss.value(), 100 * accuracy.value(),
                        schedule.at(step),
                        config.keepRate() < 1 ? String.format(" keep %.2f", objective.keepRate()) : ""));
                boolean epochEnd = (step + 1) % stepsPerEpoch == 0;
                if (epochEnd || step + 1 == start.totalSteps()) {
                    validations.add(validate(network, manager, step + 1));
                }
                boolean last = step + 1 == start.totalSteps();
                if ((step + 1) % options.checkpointEvery() == 0 || epochEnd || last || stopRequested.get()) {
                    Checkpoint.save(out, network, optimizer, new Checkpoint.State(step + 1, start.totalSteps(),
                            seconds, config, options, train.description(), history, validations));
                }
                if (stopRequested.get() && !last) {
                    log.printf("%nstopped at step %d; run the same command again to resume%n", step + 1);
                    return null;
                }
            }
        } finally {
            loopDone.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the checkpoint above was written
            }
        }
        ModelConfig written = writeBundle(network, history, validations, seconds, start.totalSteps());
        Checkpoint.delete(out);
        return written;
    }

    /** The focus stage's phase, for the progress line; single-stage families have none. */
    private String phase(boolean wholeImage) {
        return !config.family().isTwoStage() ? "" : wholeImage ? "whole " : "region ";
    }

    private double[] step(Objective objective, AdamW optimizer, NDManager manager, int[] order, int offset,
            int epoch, RegionPolicy policy, float lr, long stepIndex) {
        try (NDScope scope = new NDScope()) {
            Sample[] samples = new Sample[options.batchSize()];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = train.get(order[offset + i], epoch, true);
            }
            Batches.Batch batch = Batches.of(manager, samples, config.channels(), config.imageSize());
            Objective.Forward forward;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                forward = objective.forward(batch.pixels(), batch.labels(), policy);
                collector.backward(forward.loss());
            }
            float lossValue = forward.loss().getFloat();
            if (!Float.isFinite(lossValue)) {
                throw new IllegalStateException("training diverged at step " + (stepIndex + 1) + " ("
                        + config.family().name().toLowerCase() + "): loss " + lossValue
                        + "; lower --lr or raise --warmup and start afresh");
            }
            optimizer.step(lr);
            double correct = accuracy(forward.logits(), batch.labelValues());
            return new double[] {lossValue, correct};
        }
    }

    private static double accuracy(NDArray logits, int[] labels) {
        long[] predicted = logits.argMax(1).toLongArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** The focus stage's region choice during training, by family (single-stage: the whole image). */
    static RegionPolicy regionPolicy(ModelConfig config) {
        return switch (config.family()) {
            case LFVIT -> RegionPolicy.ngca(new RegionGeometry(config.locGrid(), config.m(), config.alpha()));
            case CFVIT -> RegionPolicy.globalTopK(config.locGrid(), config.alpha());
            default -> RegionPolicy.wholeImage(config.locGrid());
        };
    }

    private Map<String, Object> validate(ModuleBlock network, NDManager manager, long step) {
        Validation.Result r = Validation.run(network, validation,
                Math.min(options.validationImages(), validation.size()), options.batchSize(), manager);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("images", r.images());
        row.put("accuracy", r.accuracy());
        if (r.localizationAccuracy() >= 0) {
            row.put("localization_accuracy", r.localizationAccuracy());
        }
        log.printf("%nvalidation at step %d: %s%n", step, row);
        return row;
    }

    private ModelConfig writeBundle(ModuleBlock network, List<double[]> history, List<Map<String, Object>> validations,
            double seconds, long totalSteps) throws IOException {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("family", config.family().name());
        // Wall-clock seconds spent in training steps (all resumed runs; validation and checkpoints excluded).
        // Bundles written before this name called it "cpu_seconds"; no reader depends on either.
        metrics.put("training", Map.of("steps", totalSteps, "images_seen", totalSteps * options.batchSize(),
                "wall_seconds", Math.round(seconds), "options", options));
        metrics.put("validation", validations);
        metrics.put("loss_curve", downsample(history, 200));
        String prefix = config.family().name().toLowerCase() + "-" + config.imageSize() + "px";
        ModelConfig written = ModelBundle.save(out, config, network, prefix, metrics);
        log.printf("wrote bundle %s (version %s)%n", out, written.version());
        return written;
    }

    private static List<double[]> downsample(List<double[]> rows, int max) {
        int stride = Math.max(1, rows.size() / max);
        List<double[]> kept = new ArrayList<>();
        for (int i = stride - 1; i < rows.size(); i += stride) {
            kept.add(rows.get(i));
        }
        return kept;
    }

    /** Exponential moving average for the progress line. */
    private static final class RunningMean {
        private final double decay;
        private double value;
        private double weight;

        RunningMean(double decay) {
            this.decay = decay;
        }

        void add(double x) {
            value = decay * value + (1 - decay) * x;
            weight = decay * weight + (1 - decay);
        }

        double value() {
            return weight == 0 ? 0 : value / weight;
        }
    }

    /** The deterministic order of training samples in each epoch, computed once per epoch. */
    private static final class EpochOrder {
        private final int size;
        private final long seed;
        private int epoch = -1;
        private int[] order;

        EpochOrder(int size, long seed) {
            this.size = size;
            this.seed = seed;
        }

        int[] of(int wanted) {
            if (wanted != epoch) {
                order = new int[size];
                for (int i = 0; i < size; i++) {
                    order[i] = i;
                }
                Random random = new Random(seed * 1_000_003L + wanted);
                for (int i = size - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                epoch = wanted;
            }
            return order;
        }
    }
}
