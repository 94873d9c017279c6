package io.lfvit.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.nn.Pixels;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.model.select.Region;
import io.lfvit.model.select.RegionBatch;
import io.lfvit.model.select.RegionGeometry;
import io.lfvit.model.select.RegionPolicy;
import io.lfvit.model.select.Regions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** LF-ViT / CF-ViT inference: the two stages separately (for two processes) or together. */
public final class TwoStageClassifier implements ImageClassifier {
    private final NDManager manager;
    private final TwoStageVit network;
    private final ModelConfig config;
    private final Random random = new Random(0);
    private final HostStaging staging = new HostStaging();
    private RegionPolicy policy;
    private boolean fusion;
    private boolean nonRegionTokens = true;

    private TwoStageClassifier(NDManager manager, TwoStageVit network) {
        this.manager = manager;
        this.network = network;
        this.config = network.config();
        this.policy = defaultPolicy(config);
        this.fusion = config.fusion();
    }


    /** Wraps an in-memory network (tests, training-time evaluation). */
    public static TwoStageClassifier of(TwoStageVit network, NDManager manager) {
        return new TwoStageClassifier(manager, network);
    }

    static RegionPolicy defaultPolicy(ModelConfig config) {
        return config.family() == ModelFamily.CFVIT
                ? RegionPolicy.globalTopK(config.locGrid(), config.alpha())
                : RegionPolicy.ngca(new RegionGeometry(config.locGrid(), config.m(), config.alpha()));
    }

    @Override
    public void setWindow(int m) {
        if (config.family() != ModelFamily.LFVIT) {
            ImageClassifier.super.setWindow(m);
        }
        if (m < 1 || m > config.locGrid()) {
            throw new IllegalArgumentException("window " + m + " must lie in 1.." + config.locGrid()
                    + " (the localization grid)");
        }
        this.policy = RegionPolicy.ngca(new RegionGeometry(config.locGrid(), m, config.alpha()));
    }

    /** Replaces the region policy (the paper's ablations: max-GCA or random windows). */
    public void setRegionPolicy(RegionPolicy regionPolicy) {
        this.policy = regionPolicy;
    }

    /**
     * Switches the reuse-vector fusion of the in-process {@link #classify} path (the inference-time
     * ablation; a model trained without fusion is the trained one).
     */
    public void setFusion(boolean enabled) {
        this.fusion = enabled && config.fusion();
    }

    /**
     * Switches the appended non-region tokens (the localization tokens of the cells outside the
     * region) of the in-process {@link #classify} path: the paper's Fig. 5 "without feature reuse".
     */
    public void setNonRegionTokens(boolean enabled) {
        this.nonRegionTokens = enabled;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public boolean isTwoStage() {
        return true;
    }

    @Override
    public List<LocalizationResult> localize(List<byte[]> images, double[] etas) {
        if (etas.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + etas.length + " eta values");
        }
        try (NDScope scope = new NDScope()) {
            NDArray full = network.normalize(PixelBatch.of(manager, staging, images, config));
            TwoStageVit.Localization loc = network.localize(full);
            float[][] probabilities = PixelBatch.rows(loc.logits().softmax(-1));
            float[][] gca = PixelBatch.rows(loc.gca());
            LocalizationResult[] results = new LocalizationResult[images.size()];
            List<Integer> continuing = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                Prediction p = Prediction.of(probabilities[i]);
                if (p.confidence() >= etas[i]) {
                    results[i] = new LocalizationResult(p, true, gca[i], null, null);
                } else {
                    continuing.add(i);
                }
            }
            if (!continuing.isEmpty()) {
                addPayloads(images, loc, probabilities, gca, continuing, results);
            }
            return Arrays.asList(results);
        }
    }

    private void addPayloads(List<byte[]> images, TwoStageVit.Localization loc, float[][] probabilities,
            float[][] gca, List<Integer> continuing, LocalizationResult[] results) {
        TwoStageVit.Localization hard = loc.rows(indexArray(continuing));
        Region[] regions = new Region[continuing.size()];
        for (int j = 0; j < regions.length; j++) {
            regions[j] = policy.select(gca[continuing.get(j)], random);
        }
        RegionBatch batch = RegionBatch.of(manager, regions, config.locGrid());
        NDArray tokens = cachedTokens(hard, batch);
        int rows = (int) tokens.getShape().get(1);
        byte[] encoded = Float16.encode(tokens);
        int perImage = rows * config.width() * 2;
        for (int j = 0; j < regions.length; j++) {
            int i = continuing.get(j);
            byte[] imageTokens = Arrays.copyOfRange(encoded, j * perImage, (j + 1) * perImage);
            FocusPayload payload = new FocusPayload(config.version(), regions[j].splitCells(),
                    regions[j].coarseCells(), imageTokens, rows, config.width(),
                    CellPixels.extract(images.get(i), regions[j].splitCells(), config));
            results[i] = new LocalizationResult(Prediction.of(probabilities[i]), false, gca[i], regions[j], payload);
        }
    }

    /** [B, rows, D]: reuse vectors of the split cells (with fusion), then the coarse cells' tokens. */
    private NDArray cachedTokens(TwoStageVit.Localization loc, RegionBatch batch) {
        NDArray coarse = batch.coarseCells() == null ? null : network.coarseTokens(loc, batch.coarseCells());
        if (!config.fusion()) {
            return coarse != null ? coarse : manager.zeros(new Shape(batch.splitCells().getShape().get(0), 0, config.width()));
        }
        NDArray reuse = network.reuseVectors(loc, batch.splitCells());
        return coarse == null ? reuse : reuse.concat(coarse, 1);
    }

    @Override
    public List<Prediction> focus(List<FocusPayload> payloads) {
        Prediction[] out = new Prediction[payloads.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < payloads.size(); i++) {
            FocusPayload p = payloads.get(i);
            if (!config.version().equals(p.modelVersion())) {
                throw new ModelVersionMismatchException(config.version(), p.modelVersion());
            }
            groups.computeIfAbsent(p.splitCells().length + "/" + p.coarseCells().length, key -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : groups.values()) {
            List<FocusPayload> members = group.stream().map(payloads::get).toList();
            float[][] probabilities = focusGroup(members);
            for (int j = 0; j < group.size(); j++) {
                out[group.get(j)] = Prediction.of(probabilities[j]);
            }
        }
        return Arrays.asList(out);
    }

    private float[][] focusGroup(List<FocusPayload> payloads) {
        int b = payloads.size();
        int k = payloads.get(0).splitCells().length;
        int nc = payloads.get(0).coarseCells().length;
        int reuseRows = config.fusion() ? k : 0;
        int rows = reuseRows + nc;
        int d = config.width();
        int p = config.patchSize();
        int c = config.channels();
        try (NDScope scope = new NDScope()) {
            Region[] regions = new Region[b];
            for (int i = 0; i < b; i++) {
                FocusPayload payload = payloads.get(i);
                if (payload.tokenRows() != rows || payload.tokenWidth() != d) {
                    throw new IllegalArgumentException("focus payload tokens are " + payload.tokenRows() + "x"
                            + payload.tokenWidth() + ", this model expects " + rows + "x" + d);
                }
                if (payload.tokens().length != rows * d * 2) {
                    throw new IllegalArgumentException("focus payload has " + payload.tokens().length
                            + " token bytes; " + rows + "x" + d + " float16 values need " + rows * d * 2);
                }
                CellPixels.checkPatches(payload.pixels(), k, config);
                regions[i] = new Region(0, 0, 0, payload.splitCells(), payload.coarseCells());
            }
            NDArray tokens = staging.upload(manager, new Shape(b, rows, d), DataType.FLOAT16, DataType.FLOAT32,
                    buffer -> payloads.forEach(payload -> buffer.put(payload.tokens())));
            NDArray rawPatches = staging.upload(manager, new Shape(b, 4L * k, c, p, p), DataType.UINT8, DataType.FLOAT32,
                    buffer -> payloads.forEach(payload -> CellPixels.writePatches(payload.pixels(), k, config, buffer)));
            NDArray reuse = config.fusion() ? tokens.get(new NDIndex(":, 0:" + k + ", :")) : null;
            NDArray coarse = nc == 0 ? null : tokens.get(new NDIndex(":, " + reuseRows + ":, :"));
            NDArray finePatches = Pixels.normalize(rawPatches,
                    config.mean(), config.std()).reshape(b, 4L * k, (long) c * p * p);
            RegionBatch batch = RegionBatch.of(manager, regions, config.locGrid());
            NDArray logits = network.focus(new TwoStageVit.FocusInput(reuse, coarse, finePatches, batch.fineIds()));
            return PixelBatch.rows(logits.softmax(-1));
        }
    }

    @Override
    public List<StagedPrediction> classify(List<byte[]> images, double eta) {
        try (NDScope scope = new NDScope()) {
            NDArray full = network.normalize(PixelBatch.of(manager, staging, images, config));
            TwoStageVit.Localization loc = network.localize(full);
            float[][] probabilities = PixelBatch.rows(loc.logits().softmax(-1));
            StagedPrediction[] out = new StagedPrediction[images.size()];
            List<Integer> continuing = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                Prediction p = Prediction.of(probabilities[i]);
                if (p.confidence() >= eta) {
                    out[i] = new StagedPrediction(p, p, false, null);
                } else {
                    continuing.add(i);
                }
            }
            if (!continuing.isEmpty()) {
                NDArray index = indexArray(continuing);
                TwoStageVit.Localization hard = loc.rows(index);
                Region[] regions = Regions.select(policy, hard.gca(), random);
                RegionBatch batch = RegionBatch.of(manager, regions, config.locGrid());
                NDArray logits = network.focus(network.focusInput(hard, full.get(new NDIndex("{}", index)),
                        batch.splitCells(), nonRegionTokens ? batch.coarseCells() : null, batch.fineIds(), fusion));
                float[][] focused = PixelBatch.rows(logits.softmax(-1));
                for (int j = 0; j < continuing.size(); j++) {
                    int i = continuing.get(j);
                    out[i] = new StagedPrediction(Prediction.of(focused[j]), Prediction.of(probabilities[i]), true,
                            regions[j]);
                }
            }
            return Arrays.asList(out);
        }
    }

    private NDArray indexArray(List<Integer> rows) {
        return manager.create(rows.stream().mapToLong(Integer::longValue).toArray());
    }

    @Override
    public void close() {
        manager.close();
    }
}
