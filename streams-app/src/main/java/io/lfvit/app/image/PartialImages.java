package io.lfvit.app.image;

import java.util.Locale;

/**
 * What the localizer does with an image that decoded only in part (cut short, corrupt scan data): the
 * decoder fills what it could not read with grey or garbage, and a classification of it would look like
 * any other. Setting {@code image.partial}.
 */
public enum PartialImages {
    /** Dead-letter it with reason PARTIAL_IMAGE and the decoder's warning (the default: nothing half-read is answered). */
    DEAD_LETTER,
    /** Classify it, and flag the answer {@code degraded} with the decoder's warning as {@code degraded_reason}. */
    DEGRADED;

    public static PartialImages of(String setting) {
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "dead-letter" -> DEAD_LETTER;
            case "degraded" -> DEGRADED;
            default -> throw new IllegalArgumentException("image.partial must be dead-letter or degraded, got " + setting);
        };
    }
}
