package io.lfvit.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything that defines a model: architecture, input, LF-ViT's region hyper-parameters and the
 * label space. Written as config.json in a bundle; a loaded bundle is checked against it.
 *
 * @param family network family
 * @param version model version string carried by every result (a FocusTask from another version is
 *     refused)
 * @param imageSize full-resolution input side in pixels (square)
 * @param channels input channels
 * @param patchSize patch side in pixels, at both resolutions
 * @param depth encoder blocks
 * @param width token width D
 * @param heads attention heads
 * @param mlpRatio MLP hidden width / D
 * @param m NGCA window side in localization-grid cells
 * @param alpha share of window cells split to full resolution: K = ceil(alpha m^2); for CF-ViT the
 *     share of all cells
 * @param beta EMA factor of the global class attention
 * @param gcaStart first (0-based) block whose attention enters the GCA
 * @param eta default early-exit threshold on the localization softmax maximum
 * @param fusion whether the focus stage adds the reuse MLP of localization features to fine tokens
 * @param keepRate EViT keep rate kappa (1 = no reorganisation). For EVIT the encoder reorganises; for
 *     LFVIT/CFVIT a rate below 1 makes the focus stage's encoder reorganise (LF-ViT+EViT), never the
 *     localization stage
 * @param reorganiseBlocks EViT 0-based blocks after whose attention half tokens are reorganised
 *     (the paper's 3, 6, 9 of 12; our default for depth 6 is 1, 3, 5: see
 *     TokenReorganisation.defaultBlocks)
 * @param classNames class names, index = class id
 * @param mean per-channel normalisation mean (of pixel/255)
 * @param std per-channel normalisation std
 */
public record ModelConfig(
        ModelFamily family,
        String version,
        int imageSize,
        int channels,
        int patchSize,
        int depth,
        int width,
        int heads,
        int mlpRatio,
        int m,
        double alpha,
        double beta,
        int gcaStart,
        double eta,
        boolean fusion,
        double keepRate,
        List<Integer> reorganiseBlocks,
        List<String> classNames,
        List<Double> mean,
        List<Double> std) {

    public ModelConfig {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(version, "version");
        reorganiseBlocks = reorganiseBlocks == null ? List.of() : List.copyOf(reorganiseBlocks);
        classNames = List.copyOf(classNames);
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        validate(family, imageSize, channels, patchSize, depth, width, heads, m, alpha, beta, gcaStart,
                eta, keepRate, reorganiseBlocks, classNames, mean, std);
    }

    private static void validate(ModelFamily family, int imageSize, int channels, int patchSize, int depth,
            int width, int heads, int m, double alpha, double beta, int gcaStart, double eta,
            double keepRate, List<Integer> reorganiseBlocks, List<String> classNames, List<Double> mean,
            List<Double> std) {
        require(imageSize > 0 && patchSize > 0 && imageSize % (2 * patchSize) == 0,
                "imageSize " + imageSize + " must be a positive multiple of 2*patchSize (" + 2 * patchSize + ")");
        require(channels > 0 && depth > 0 && width > 0 && heads > 0, "channels, depth, width, heads must be > 0");
        require(width % heads == 0, "width " + width + " must be divisible by heads " + heads);
        int grid = imageSize / patchSize / 2;
        require(!family.isTwoStage() || (m >= 1 && m <= grid),
                "region size m=" + m + " must lie in 1.." + grid + " (the localization grid)");
        require(alpha > 0 && alpha <= 1, "alpha must lie in (0,1], got " + alpha);
        require(beta >= 0 && beta < 1, "beta must lie in [0,1), got " + beta);
        require(gcaStart >= 0 && gcaStart < depth, "gcaStart must lie in 0.." + (depth - 1));
        require(eta >= 0 && eta <= 1, "eta must lie in [0,1], got " + eta);
        require(keepRate > 0 && keepRate <= 1, "keepRate must lie in (0,1], got " + keepRate);
        require(family != ModelFamily.VIT || keepRate == 1,
                "the VIT baseline keeps every token: use family EVIT for keepRate " + keepRate);
        require(reorganiseBlocks.stream().allMatch(l -> l >= 0 && l < depth)
                        && reorganiseBlocks.stream().distinct().count() == reorganiseBlocks.size(),
                "reorganiseBlocks " + reorganiseBlocks + " must be distinct blocks in 0.." + (depth - 1));
        require(classNames.size() >= 2, "at least two class names are needed");
        require(mean.size() == channels && std.size() == channels, "mean and std need one value per channel");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid model config: " + message);
        }
    }

    public int classes() {
        return classNames.size();
    }

    /** Side of the full-resolution token grid (2G). */
    public int fullGrid() {
        return imageSize / patchSize;
    }

    /** Side G of the localization token grid. */
    public int locGrid() {
        return fullGrid() / 2;
    }

    /** Side of the localization image in pixels. */
    public int locImageSize() {
        return imageSize / 2;
    }

    public ModelConfig withVersion(String newVersion) {
        return new ModelConfig(family, newVersion, imageSize, channels, patchSize, depth, width, heads, mlpRatio,
                m, alpha, beta, gcaStart, eta, fusion, keepRate, reorganiseBlocks, classNames, mean, std);
    }

    public ModelConfig withEta(double newEta) {
        return new ModelConfig(family, version, imageSize, channels, patchSize, depth, width, heads, mlpRatio,
                m, alpha, beta, gcaStart, newEta, fusion, keepRate, reorganiseBlocks, classNames, mean, std);
    }
}
