package io.lfvit.trainer.cli;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.nn.TokenReorganisation;
import java.util.List;
import picocli.CommandLine.Option;

/** Architecture options of {@code lfvit train}; defaults are the shipped X112 model. */
public final class ModelOptions {
    @Option(names = "--family", defaultValue = "lfvit", description = "lfvit, vit (baseline), cfvit, evit. Default: ${DEFAULT-VALUE}")
    ModelFamily family;

    @Option(names = "--width", defaultValue = "192", description = "token width D. Default: ${DEFAULT-VALUE}")
    int width;

    @Option(names = "--depth", defaultValue = "6", description = "encoder blocks. Default: ${DEFAULT-VALUE}")
    int depth;

    @Option(names = "--heads", defaultValue = "3", description = "attention heads. Default: ${DEFAULT-VALUE}")
    int heads;

    @Option(names = "--mlp-ratio", defaultValue = "4", description = "MLP hidden / width. Default: ${DEFAULT-VALUE}")
    int mlpRatio;

    @Option(names = "--patch", defaultValue = "8", description = "patch side in pixels. Default: ${DEFAULT-VALUE}")
    int patch;

    @Option(names = "--m", defaultValue = "5", description = "NGCA window side in localization cells. Default: ${DEFAULT-VALUE}")
    int m;

    @Option(names = "--alpha", description = "split share: K = ceil(alpha m^2) (LF-ViT 0.88, CF-ViT 0.5 of all cells)")
    Double alpha;

    @Option(names = "--beta", defaultValue = "0.99", description = "GCA EMA factor. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--gca-start", defaultValue = "3", description = "first 0-based block in the GCA. Default: ${DEFAULT-VALUE}")
    int gcaStart;

    @Option(names = "--eta", defaultValue = "0.8", description = "default early-exit threshold. Default: ${DEFAULT-VALUE}")
    double eta;

    @Option(names = "--no-fusion", description = "train without the reuse-MLP fusion (ablation)")
    boolean noFusion;

    @Option(names = "--keep-rate", description = "EViT keep rate kappa: evit's (default 0.7); with lfvit/cfvit below 1 "
            + "the focus stage reorganises its tokens (LF-ViT+EViT). Default: 1 except evit")
    Double keepRate;

    @Option(names = "--reorganise-blocks", split = ",", description = "0-based blocks that reorganise tokens after "
            + "their attention (default: 1,3,5 for depth 6, the paper's 3,6,9 of 12 scaled)")
    List<Integer> reorganiseBlocks;

    ModelConfig toConfig(int imageSize, int channels, List<String> classNames, List<Double> mean, List<Double> std) {
        double a = alpha != null ? alpha : family.defaultAlpha();
        double kappa = keepRate != null ? keepRate : family.defaultKeepRate();
        List<Integer> blocks = kappa >= 1 ? List.of()
                : reorganiseBlocks != null ? reorganiseBlocks : TokenReorganisation.defaultBlocks(depth);
        return new ModelConfig(family, "untrained", imageSize, channels, patch, depth, width, heads, mlpRatio, m, a,
                beta, gcaStart, eta, !noFusion, kappa, blocks, classNames, mean, std);
    }
}
