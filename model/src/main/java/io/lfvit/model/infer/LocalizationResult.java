package io.lfvit.model.infer;

import io.lfvit.model.select.Region;

/**
 * The localization stage's answer for one image.
 *
 * @param prediction localization prediction
 * @param exits true when the confidence reached eta: the answer is final
 * @param gca global class attention per localization cell (row-major G x G)
 * @param region the chosen region when the image continues to focus, else null
 * @param payload what the focus stage needs when the image continues, else null
 */
public record LocalizationResult(Prediction prediction, boolean exits, float[] gca, Region region,
        FocusPayload payload) {}
