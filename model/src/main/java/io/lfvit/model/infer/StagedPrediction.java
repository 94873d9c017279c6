package io.lfvit.model.infer;

import io.lfvit.model.select.Region;

/**
 * An in-process early-exit answer.
 *
 * @param prediction final prediction
 * @param localization the localization stage's prediction
 * @param focused true when the focus stage produced the answer
 * @param region the focus region, null when the image exited early
 */
public record StagedPrediction(Prediction prediction, Prediction localization, boolean focused, Region region) {}
