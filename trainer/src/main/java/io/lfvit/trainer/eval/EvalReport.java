package io.lfvit.trainer.eval;

import java.util.List;
import java.util.Map;

/**
 * What {@code lfvit eval} writes as JSON.
 *
 * @param images test images scored
 * @param model the evaluated bundle's version
 * @param baseline the baseline measured in the same run (null without --baseline)
 * @param points one per eta
 * @param stages accuracy and GMACs of each stage alone
 * @param ablations region-variant and fusion ablations (empty unless requested)
 * @param peers other models measured in the same run (--peer): the Table 3 analogue
 */
public record EvalReport(int images, String model, Baseline baseline, List<Point> points, Map<String, Object> stages,
        List<Ablation> ablations, List<Peer> peers) {

    public record Baseline(String model, double accuracy, double gmacs, double imagesPerS) {}

    public record Point(double eta, double accuracy, double exitRate, double gmacs, double imagesPerS) {}

    /**
     * A peer model (EViT, CF-ViT, LF-ViT+EViT, ...) scored on the same images with the same timer.
     *
     * @param name paper-style name (family, and keep rate when tokens are reorganised)
     * @param family the bundle's family
     * @param model the bundle's version
     * @param keepRate EViT keep rate (1 = none; for two-stage families it applies to the focus stage)
     * @param reorganiseBlocks blocks that reorganise tokens
     * @param points one per eta for two-stage peers; one with null eta and exit rate for single-stage ones
     */
    public record Peer(String name, String family, String model, double keepRate, List<Integer> reorganiseBlocks,
            List<PeerPoint> points) {}

    public record PeerPoint(Double eta, Double exitRate, double accuracy, double gmacs, double imagesPerS) {}

    /**
     * A Table 6 / Fig. 5 style row: one variant, both stages scored without early exit, then at eta.
     *
     * @param focusGmacs the variant's focus stage alone
     * @param gmacs expected per image at eta (localization, plus focus for the images that go on)
     */
    public record Ablation(String variant, double eta, double localizationAccuracy, double focusAccuracy,
            double accuracy, double focusGmacs, double gmacs) {}
}
