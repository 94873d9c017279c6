package io.lfvit.app.image;

import io.lfvit.schemas.avro.DeadLetterReason;

/** An image the localizer cannot use, with the dead-letter reason. */
public final class ImageRejectedException extends Exception {
    private final DeadLetterReason reason;

    public ImageRejectedException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
