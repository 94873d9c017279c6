package io.lfvit.model.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.TwoStageVit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a network from a trained bundle of any family with the same backbone (a ViT baseline into
 * LF-ViT, CF-ViT or EViT: the EViT recipe's "fine-tune from DeiT"). Parameters with the same name
 * and shape are copied; LF-ViT's localization position table, which a plain ViT lacks, is derived
 * from the full-resolution one by averaging each 2 x 2 block of positions, because a localization
 * cell covers exactly those four patches; the rest (the reuse MLP) keeps its fresh initialisation.
 */
public final class WeightTransfer {
    /** What happened to each parameter of the target network, by name. */
    public record Report(List<String> copied, List<String> derived, List<String> fresh) {
        public String summary() {
            return copied.size() + " parameters copied" + listed(" derived", derived)
                    + listed(" freshly initialised", fresh);
        }

        private static String listed(String what, List<String> names) {
            return names.isEmpty() ? "" : ", " + names.size() + what + " (" + String.join(", ", names) + ")";
        }
    }

    private WeightTransfer() {}

    /**
     * Copies {@code source}'s weights into {@code target} (initialised, built from {@code targetConfig}).
     *
     * @throws BundleException when the two configs differ in the backbone, the input or the classes
     */
    public static Report copy(ModelBundle.Loaded source, ModuleBlock target, ModelConfig targetConfig)
            throws BundleException {
        checkCompatible(source.config(), targetConfig, source.dir().toString());
        // DJL names parameters by child position ("01backbone_..."); every network adds its backbone
        // first, so the shared parameters carry the same names in every family.
        Map<String, Parameter> from = byName(source.network());
        List<String> copied = new ArrayList<>();
        List<String> derived = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : byName(target).entrySet()) {
            NDArray to = e.getValue().getArray();
            Parameter same = from.get(e.getKey());
            if (same != null && same.getArray().getShape().equals(to.getShape())) {
                to.set(same.getArray().toFloatArray());
                copied.add(e.getKey());
            } else if (e.getKey().endsWith(TwoStageVit.LOC_POSITIONS) && (same = fullPositions(from)) != null) {
                to.set(poolPositions(same.getArray(), targetConfig.locGrid()).toFloatArray());
                derived.add(e.getKey());
            } else {
                fresh.add(e.getKey());
            }
        }
        return new Report(copied, derived, fresh);
    }

    /**
     * The localization table [1, 1+G^2, D] from a full-resolution one [1, 1+(2G)^2, D]: the [CLS]
     * row as it is, each cell the mean of its 2 x 2 patches.
     */
    static NDArray poolPositions(NDArray full, int locGrid) {
        long d = full.getShape().get(2);
        NDArray cls = full.get(new NDIndex(":, 0:1, :"));
        NDArray cells = full.get(new NDIndex(":, 1:, :"))
                .reshape(locGrid, 2, locGrid, 2, d)
                .mean(new int[] {3})
                .mean(new int[] {1})
                .reshape(1, (long) locGrid * locGrid, d);
        return cls.concat(cells, 1);
    }

    private static void checkCompatible(ModelConfig from, ModelConfig to, String where) throws BundleException {
        List<String> differences = new ArrayList<>();
        compare(differences, "image_size", from.imageSize(), to.imageSize());
        compare(differences, "channels", from.channels(), to.channels());
        compare(differences, "patch_size", from.patchSize(), to.patchSize());
        compare(differences, "depth", from.depth(), to.depth());
        compare(differences, "width", from.width(), to.width());
        compare(differences, "heads", from.heads(), to.heads());
        compare(differences, "mlp_ratio", from.mlpRatio(), to.mlpRatio());
        compare(differences, "class_names", from.classNames(), to.classNames());
        if (!differences.isEmpty()) {
            throw new BundleException("cannot start from " + where + ": its network differs from the one to train in "
                    + String.join(", ", differences));
        }
    }

    private static void compare(List<String> differences, String name, Object from, Object to) {
        if (!from.equals(to)) {
            differences.add(name + " (" + from + " there, " + to + " here)");
        }
    }

    private static Parameter fullPositions(Map<String, Parameter> parameters) {
        return parameters.entrySet().stream()
                .filter(e -> e.getKey().endsWith(TwoStageVit.FULL_POSITIONS))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Parameter> byName(ModuleBlock network) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        return parameters;
    }
}
