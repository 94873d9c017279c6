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
 */
public record EvalReport(int images, String model, Baseline baseline, List<Point> points, Map<String, Object> stages,
        List<Ablation> ablations) {

    public record Baseline(String model, double accuracy, double gmacs, double imagesPerS) {}

    public record Point(double eta, double accuracy, double exitRate, double gmacs, double imagesPerS) {}

    /** A Table 6 style row: one variant, both stages scored without early exit, then at eta. */
    public record Ablation(String variant, double eta, double localizationAccuracy, double focusAccuracy,
            double accuracy) {}
}
